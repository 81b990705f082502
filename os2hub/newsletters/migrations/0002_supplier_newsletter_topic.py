"""The supplier newsletter carries over: its topic, and a confirmed subscription (with the consent's own time
and wording) for every partner contact who agreed to it on the partner application."""

from django.db import migrations

SUPPLIER_TOPIC_SLUG = "leverandoerer"


def forwards(apps, schema_editor):
    Topic = apps.get_model("newsletters", "Topic")
    Subscription = apps.get_model("newsletters", "Subscription")
    ContactPerson = apps.get_model("suppliers", "ContactPerson")
    topic, _created = Topic.objects.get_or_create(
        slug=SUPPLIER_TOPIC_SLUG,
        defaults={
            "name": "Nyhedsbrev for leverandører",
            "description": "OS2's nyhedsbrev til leverandørpartnere: partnerskabet, udbud, arrangementer og nye muligheder.",
            "public": True,
        },
    )
    seen = set()
    for contact in ContactPerson.objects.filter(newsletter_consent_at__isnull=False).order_by("-newsletter_consent_at"):
        email = contact.email.strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        Subscription.objects.get_or_create(
            topic=topic,
            email=email,
            defaults={
                "status": "confirmed",
                "source": "supplier_application",
                "consent_at": contact.newsletter_consent_at,
                "consent_text": contact.newsletter_consent_text,
                "confirmed_at": contact.newsletter_consent_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("suppliers", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
