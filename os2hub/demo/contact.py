"""The contact page's people and a few messages to the secretariat. The people are fictional (the demo has no
source for the real secretariat's names), labelled as such, with addresses on the demo's own domain."""

from django.utils import timezone

from os2hub.accounts.models import User
from os2hub.contact.models import ContactAnswer, ContactMessage, ContactMessageEvent, SecretariatPerson

PEOPLE = [
    ("Signe Sekretariatschef (fiktiv)", "Sekretariatschef", "Head of the secretariat",
     "Fællesskabets drift, bestyrelsen og økonomi.", "+45 00 00 00 01"),
    ("Peter Produktniveau (fiktiv)", "Governancekonsulent", "Governance consultant",
     "Produktniveauer, selvevalueringer og vurderinger.", "+45 00 00 00 02"),
    ("Lise Leverandørpartner (fiktiv)", "Partnerskabskonsulent", "Partnership consultant",
     "Leverandørpartneraftaler, prislister og adfærdskodeks.", ""),
    ("Erik Events (fiktiv)", "Kommunikation og arrangementer", "Communication and events",
     "Nyhedsbreve, OS2-dagen og brugergruppemøder.", ""),
]  # fmt: skip


def load(*, secretariat: User) -> None:
    for position, (name, role_da, role_en, description, phone) in enumerate(PEOPLE):
        slug = name.split()[0].lower()
        SecretariatPerson.objects.create(
            name=name, role_da=role_da, role_en=role_en, description=description, phone=phone,
            email=f"{slug}@os2hub.example", position=position,
        )  # fmt: skip
    now = timezone.now()
    ContactMessage.objects.create(
        sender_name="Bente Borgerservice",
        sender_email="bente@syddjurs.example",
        organisation="Syddjurs Kommune (demo)",
        subject="Hvordan bliver vi medlem af OS2?",
        body="Vi overvejer at tage OS2mo i brug og vil gerne høre, hvad et medlemskab koster, og hvem vi skal "
        "tale med om en tilslutningsaftale.\n\nVenlig hilsen\nBente",
        created_at=now - timezone.timedelta(days=1, hours=3),
        updated_at=now - timezone.timedelta(days=1, hours=3),
    )
    karen = User.objects.get(email="kommune@os2hub.example")
    asked = now - timezone.timedelta(days=6)
    answered = asked + timezone.timedelta(days=1, hours=2)
    message = ContactMessage.objects.create(
        sender_name=karen.name,
        sender_email=karen.email,
        organisation="Aarhus Kommune",
        user=karen,
        subject="Skabelon til tilslutningsaftale",
        body="Har sekretariatet en skabelon til tilslutningsaftaler, vi kan bruge til OS2kitos?",
        status=ContactMessage.Status.ANSWERED,
        created_at=asked,
        updated_at=answered,
    )
    ContactAnswer.objects.create(
        message=message,
        author=secretariat,
        body="Ja, skabelonen ligger under dokumenterne på produktsiden. Vi hjælper gerne med at udfylde den.",
        created_at=answered,
    )
    ContactMessageEvent.objects.create(
        message=message, from_status="open", to_status="answered", actor=secretariat, created_at=answered
    )


def summary() -> str:
    return (
        f"{SecretariatPerson.objects.count()} people on the contact page, "
        f"{ContactMessage.objects.count()} messages to the secretariat"
    )
