"""Fictional newsletters: OS2's general newsletter with a few subscribers, the supplier newsletter (the partners'
contacts who agreed to it on their applications), OS2mo's own newsletter, two sent issues in the archive and a
draft for the coordinator to send."""

from django.utils import timezone

from os2hub.accounts.models import User
from os2hub.demo.common import DEMO_NOTE
from os2hub.newsletters import services
from os2hub.newsletters.getters import Writable
from os2hub.newsletters.models import Delivery, Issue, Subscription, Topic
from os2hub.products.models import Product

SUBSCRIBERS = ["it-chef@demo-kommune.example", "arkitekt@demo-region.example", "projektleder@demo-kommune.example"]


def _sent(issue, *, days_ago):
    """The issue as if it was sent `days_ago`: its recipients recorded as delivered. No mail goes out while the
    demo loads (the sending task would print every message to the console)."""
    at = timezone.now() - timezone.timedelta(days=days_ago)
    recipients = services.issue_recipients(issue)
    Delivery.objects.bulk_create(
        Delivery(issue=issue, email=email, language=language, status=Delivery.Status.SENT, sent_at=at)
        for email, language in sorted(recipients.items())
    )
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.SENT, sent_at=at, finished_at=at, recipient_count=len(recipients), updated_at=at
    )


def load(*, secretariat):
    services.supplier_consents_sync()
    suppliers = services.supplier_topic()
    general = Topic.objects.create(
        name="OS2-nyt",
        slug="os2-nyt",
        description="Nyt fra OS2-fællesskabet: produkter, arrangementer og beslutninger.",
    )
    for email in SUBSCRIBERS:
        Subscription.objects.create(
            topic=general,
            email=email,
            status=Subscription.Status.CONFIRMED,
            source=Subscription.Source.FORM,
            language="da",
            consent_at=timezone.now(),
            consent_text=services.consent_wording(general),
            confirmed_at=timezone.now(),
        )
    os2mo = Product.objects.get(slug="os2mo")
    writable = Writable(secretariat)
    december = services.issue_create(
        user=secretariat,
        writable=writable,
        data={
            "topic": general,
            "title": "OS2-nyt: årets sidste nyhedsbrev (demo)",
            "body": "## Tak for i år\n\nFællesskabet har i år fået **nye produkter** og flere leverandørpartnere."
            "\n\n- Produktniveauer vurderes nu to gange om året\n- Udviklingsønsker kan crowdfundes\n" + DEMO_NOTE,
            "segments": [f"topic:{general.pk}", f"adopters:{os2mo.pk}"],
        },
    )
    _sent(december, days_ago=20)
    partners = services.issue_create(
        user=secretariat,
        writable=Writable(secretariat),
        data={
            "topic": suppliers,
            "title": "Nyt til leverandørpartnere: prislister og udbud (demo)",
            "body": "Husk at holde jeres **prisliste** opdateret. Næste markedsdialog er i januar." + DEMO_NOTE,
            "segments": ["partners", f"topic:{suppliers.pk}"],
        },
    )
    _sent(partners, days_ago=6)
    coordinator = os2mo.coordinator or User.objects.get(email="koordinator@os2hub.example")
    product_topic = services.product_topic_ensure(product=os2mo)
    services.issue_create(
        user=coordinator,
        writable=Writable(coordinator),
        data={
            "topic": product_topic,
            "title": "Invitation til brugergruppemøde om OS2mo (demo)",
            "body": "Kære brugere af OS2mo\n\nVi mødes i Aarhus og online og gennemgår næste version." + DEMO_NOTE,
            "segments": [f"adopters:{os2mo.pk}", f"groups:{os2mo.pk}"],
        },
    )


def summary() -> str:
    return (
        f"{Topic.objects.count()} topics, {Subscription.objects.filter(status='confirmed').count()} subscribers, "
        f"{Issue.objects.filter(status='sent').count()} sent issues"
    )
