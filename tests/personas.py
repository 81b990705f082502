"""The people tests act as, in one place. Mirrors the demo personas of API.md.

- secretariat: the OS2 secretariat (reviews applications).
- authority_admin / authority2_admin: admins of two member authorities.
- supplier_admin: admin of an approved supplier partner offering software-development and code-review.
- new_supplier_admin: admin of a supplier organisation that has not applied yet.
- outsider: a logged-in person with no organisation.
"""

from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.suppliers.models import (
    ApplicationEvent,
    ContactPerson,
    PriceEntry,
    SupplierApplication,
    SupplierCompetence,
)
from os2hub.suppliers.services import NEWSLETTER_CONSENT_TEXT, PUBLIC_CONSENT_TEXT

from .files import PDF_BYTES, image_bytes

PASSWORD = "test-password-123"

# Valid CVR numbers (modulus 11), distinct per organisation.
VALID_CVRS = ["13748136", "29403473", "25052943", "10103940", "55133018", "20756438", "21659509",
              "12345674", "31565510", "33257872", "19435075"]  # fmt: skip


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.dk")
    name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        from allauth.account.models import EmailAddress

        if create:
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.AUTHORITY


def member(user, org, role="admin"):
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_application(
    org,
    user,
    *,
    status="approved",
    cvr=None,
    competences=("software-development", "code-review"),
    rates=(Decimal("950.00"), Decimal("1100.00")),
) -> SupplierApplication:
    """A complete application (every required part present) in the given status."""
    app = SupplierApplication.objects.create(
        organisation=org,
        status=status,
        organisation_name=org.name,
        cvr=cvr or org.cvr,
        street="Testvej 1",
        postcode="8000",
        city="Aarhus C",
        website="https://leverandoer.example",
        created_by=user,
        core_competences="Vi bygger **open source**.",
        coc_version="2024-1",
        coc_accepted_at=timezone.now(),
        coc_accepted_by=user,
        agreement_uploaded_at=timezone.now(),
    )
    app.logo.save("logo.png", ContentFile(image_bytes()), save=False)
    app.agreement.save("aftale.pdf", ContentFile(PDF_BYTES), save=False)
    if status != "draft":
        app.submitted_at = timezone.now()
    app.save()
    for key in competences:
        SupplierCompetence.objects.create(application=app, key=key)
    for key, rate in zip(competences, rates, strict=False):
        PriceEntry.objects.create(
            application=app,
            competence=key,
            hourly_rate_dkk=rate,
            valid_from=date(2026, 1, 1),
            created_by=user,
        )
    now = timezone.now()
    ContactPerson.objects.create(
        application=app,
        name="Synlig Kontakt",
        role="Salgschef",
        email="synlig@example.dk",
        phone="+45 12 34 56 78",
        public_consent_at=now,
        public_consent_text=PUBLIC_CONSENT_TEXT,
        newsletter_consent_at=now,
        newsletter_consent_text=NEWSLETTER_CONSENT_TEXT,
    )
    ContactPerson.objects.create(application=app, name="Skjult Kontakt", role="Udvikler", email="skjult@example.dk")
    ApplicationEvent.objects.create(application=app, from_status="", to_status="draft", actor=user)
    if status != "draft":
        ApplicationEvent.objects.create(application=app, from_status="draft", to_status="submitted", actor=user)
    return app


def ensure_criteria():
    """The criteria are loaded by a data migration; tests on a live server or with transaction=True flush the
    database after each test, so the personas' world loads them again when they are missing."""
    from os2hub.governance import criteria
    from os2hub.governance.models import CriteriaVersion
    from os2hub.governance.services import criteria_version_load

    if not CriteriaVersion.objects.exists():
        for path in criteria.bundled_files():
            criteria_version_load(criteria.parse(path.read_bytes()))


class Personas:
    def __init__(self):
        ensure_criteria()
        self.secretariat_org = OrganisationFactory(name="OS2-sekretariatet", slug="os2", kind="secretariat")
        self.secretariat = member(
            UserFactory(email="sekretariat@example.dk", name="Sekretær Sørensen"), self.secretariat_org
        )
        self.authority = OrganisationFactory(name="Aarhus Kommune", slug="aarhus", cvr="55133018", ean="5798000000001")
        self.authority_admin = member(UserFactory(email="kommune@example.dk", name="Kommune Karlsen"), self.authority)
        self.authority2 = OrganisationFactory(name="Odense Kommune", slug="odense", cvr="35209115")
        self.authority2_admin = member(UserFactory(email="kommune2@example.dk"), self.authority2)
        self.supplier_org = OrganisationFactory(
            name="Kodekammeret ApS", slug="kodekammeret", kind="supplier", cvr="13748136"
        )
        self.supplier_admin = member(
            UserFactory(email="leverandoer@example.dk", name="Lene Leverandør"), self.supplier_org
        )
        self.supplier_member = member(UserFactory(email="udvikler@example.dk"), self.supplier_org, role="member")
        self.supplier = make_application(self.supplier_org, self.supplier_admin, status="approved")
        self.new_supplier_org = OrganisationFactory(name="Nyt Firma ApS", slug="nyt-firma", kind="supplier")
        self.new_supplier_admin = member(
            UserFactory(email="ny-leverandoer@example.dk", name="Nils Ny"), self.new_supplier_org
        )
        self.outsider = UserFactory(email="outsider@example.dk", name="Ude Udenfor")
