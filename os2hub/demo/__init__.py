"""Demo data for `make run`: the personas of API.md, authorities, supplier partners in every state.

The top floor, beside web: it imports every app, and nothing imports it but its command (`manage.py load_demo`,
in web) and the tests. One module per app, run in order by `load()`; the shared helpers are in common.py and the
public facts and texts in data/.

Loaded only with DEBUG on. Every persona's password is `demo-os2hub` (documented in the README as demo-only).
"""

from django.db import transaction

from os2hub.accounts.models import Organisation, User
from os2hub.demo import (
    charts,
    community,
    contact,
    development,
    governance,
    needs,
    newsletters,
    personas,
    products,
    questions,
    scans,
    suppliers,
)
from os2hub.governance.models import Decision, Evaluation, Practice, Round, SelfAssessment
from os2hub.products.models import Product
from os2hub.products.search import index_products
from os2hub.suppliers.models import SupplierApplication


def already_loaded() -> bool:
    return User.objects.filter(email="sekretariat@os2hub.example").exists()


@transaction.atomic
def load(stdout=None):
    say = stdout.write if stdout else (lambda s: None)
    secretariat, authorities = personas.load()
    suppliers.load(secretariat=secretariat)
    products.load(secretariat=secretariat, authorities=authorities)
    governance.load(secretariat=secretariat)
    scanned = scans.load(secretariat=secretariat)
    development.load()
    needs.load(secretariat=secretariat)
    community.load(secretariat=secretariat)  # after needs: a pitch marked for a community meeting on an agenda
    questions.load()  # after development and needs: asks on their requests, calls and needs
    newsletters.load(secretariat=secretariat)  # after suppliers and products: their consents and adopters
    charts.load()  # after products: spreads the adoptions over the years for the adoption charts
    contact.load(secretariat=secretariat)  # after personas: a message from Karen Kommune
    # Products made outside the product services (an accepted donation) are indexed for the catalogue search too.
    index_products()
    say(
        f"Loaded {Organisation.objects.count()} organisations, {User.objects.count()} people, "
        f"{SupplierApplication.objects.count()} partner applications and {Product.objects.count()} products.\n"
        f"Governance: {Round.objects.count()} evaluation rounds, {SelfAssessment.objects.count()} self-assessments, "
        f"{Evaluation.objects.count()} evaluations, {Decision.objects.count()} level decisions and "
        f"{Practice.objects.count()} follow-or-explain entries.\n"
        + (f"Scans: OS2hub's own code, {scanned}.\n" if scanned else "")
        + f"Development requests: {development.summary()}.\n"
        + f"Needs and calls: {needs.summary()}.\n"
        + f"Events and news: {community.summary()}.\n"
        + f"Contact: {contact.summary()}.\n"
    )
