"""Fictional news, events and wiki pages on the first products."""

from django.utils import timezone

from os2hub.demo.common import DEMO_NOTE


def product_content(product, editor, steering):
    """Fictional news, an event and wiki pages, so the product pages look lived in."""
    from os2hub.community import services as community_services
    from os2hub.products import wiki

    now = timezone.now()
    meeting = timezone.localtime(now + timezone.timedelta(days=14)).replace(hour=10, minute=0, second=0, microsecond=0)
    post = community_services.news_create(
        product=product,
        user=editor,
        data={
            "title": f"Ny version af {product.name} er klar (demo)",
            "body": f"Fællesskabet har frigivet en ny version af {product.name} med rettelser og forbedringer."
            + DEMO_NOTE,
        },
    )
    # Published a few days ago, so the demo's news list reads naturally.
    type(post).objects.filter(pk=post.pk).update(published_at=now - timezone.timedelta(days=3))
    community_services.event_create(
        product=product,
        user=editor,
        data={
            "title": f"Brugergruppemøde om {product.name} (demo)",
            "description": "Vi gennemgår ønsker til næste version og deler erfaringer." + DEMO_NOTE,
            # A user group meets at ten in the morning, two weeks from the day the demo was loaded.
            "starts_at": meeting,
            "ends_at": meeting + timezone.timedelta(hours=3),
            "location": "Aarhus Rådhus",
            "online_url": "https://os2.eu/",
        },
    )
    wiki.wiki_page_save(
        product=product,
        user=editor,
        title="Kom godt i gang",
        body=f"## Installation\n\nSe dokumentationen i {product.name}s repository.\n" + DEMO_NOTE,
        comment="Første udgave",
    )
    if steering is not None:
        wiki.wiki_page_save(
            product=product,
            user=editor,
            group=steering,
            title="Styregruppens referater",
            body="Referater fra styregruppens møder." + DEMO_NOTE,
            comment="Oprettet",
        )


def load(*, secretariat):
    """Events for the whole community: an OS2-wide day proposed by the demo partner, co-hosted by Aarhus,
    published by the secretariat, full with a waiting list and a pitch on its agenda; a workshop an authority has
    proposed that waits for the secretariat; and a partner's news post waiting for the coordinator's review."""
    from os2hub.accounts.models import User
    from os2hub.community import services as community
    from os2hub.community.models import Event
    from os2hub.needs.models import Pitch
    from os2hub.products.models import SupplierRole

    def user(email):
        return User.objects.get(email=email)

    partner_admin = user("leverandoer@os2hub.example")
    partner = partner_admin.memberships.get().organisation
    kommune, kommune2, koordinator = (
        user("kommune@os2hub.example"),
        user("kommune2@os2hub.example"),
        user("koordinator@os2hub.example"),
    )
    aarhus = kommune.memberships.get().organisation
    start = timezone.localtime(timezone.now() + timezone.timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    day = community.event_propose(
        user=partner_admin,
        organisation=partner,
        data={
            "title": "OS2-dagen: open source i praksis (demo)",
            "description": "En dag for hele fællesskabet med oplæg fra kommuner og leverandører, "
            "erfaringsudveksling og netværk." + DEMO_NOTE,
            "starts_at": start,
            "ends_at": start + timezone.timedelta(hours=6),
            "location": "Aarhus Rådhus, festsalen",
            "signup": True,
            "capacity": 2,
        },
    )
    cohost = community.cohost_invite(event=day, user=partner_admin, organisation=aarhus)
    community.cohost_respond(cohost=cohost, user=kommune, accept=True)
    community.event_move(event=day, user=secretariat, step="publish")
    for person in (kommune, kommune2, koordinator):
        community.registration_create(event=Event.objects.get(pk=day.pk), user=person)
    community.agenda_add(event=day, user=partner_admin, title="Velkomst og dagens program")
    pitch = Pitch.objects.filter(marked_for_meeting_at__isnull=False).order_by("pk").first()
    if pitch is not None:
        community.agenda_add(event=day, user=secretariat, pitch=pitch)

    workshop = start + timezone.timedelta(days=14)
    community.event_propose(
        user=kommune2,
        organisation=kommune2.memberships.get().organisation,
        data={
            "title": "Workshop om tilgængelighed i OS2-produkter (demo)",
            "description": "Vi gennemgår WCAG 2.1 AA og deler erfaringer med test." + DEMO_NOTE,
            "starts_at": workshop,
            "ends_at": workshop + timezone.timedelta(hours=3),
            "online_url": "https://os2.eu/",
            "signup": True,
            "capacity": 30,
        },
    )

    role = SupplierRole.objects.filter(supplier=partner).select_related("product").order_by("pk").first()
    if role is not None:
        community.news_propose(
            product=role.product,
            user=partner_admin,
            organisation=partner,
            data={
                "title": f"Ny integration til {role.product.name} (demo)",
                "body": "Vi har bygget en integration, som alle kommuner kan bruge." + DEMO_NOTE,
            },
        )


def summary() -> str:
    from os2hub.community.models import Event, NewsPost, Registration

    return (
        f"{Event.objects.count()} events ({Event.objects.filter(status='proposed').count()} proposed), "
        f"{Registration.objects.count()} sign-ups, {NewsPost.objects.filter(status='pending').count()} news posts "
        "waiting for review"
    )
