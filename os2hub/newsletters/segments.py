"""Who an issue goes to: segments by relation, as keys stored on the issue.

A key is a kind and, for most kinds, the id of what it relates to:

    partners                 members of approved supplier partners and their contacts who agreed to the newsletter
    competence:<key>         the same, for partners offering the competence
    adopters:<product id>    members of the authorities that use the product (an Adoption)
    groups:<product id>      the product's coordinator and the members of its groups
    followers:<category id>  people who follow a need in the category
    topic:<topic id>         confirmed subscribers of the topic

`recipients(keys, topic=...)` is the union, each address once, in the person's language where it is known, without
anyone who unsubscribed from the issue's topic and without addresses that bounce. A coordinator may only use the
product-scoped segments of their own product (`segment_choices`).
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from os2hub.accounts.models import Organisation, User
from os2hub.products.models import Category, Product
from os2hub.suppliers.models import Competence, ContactPerson, SupplierApplication

from .models import Subscription, Topic

KINDS = ("partners", "competence", "adopters", "groups", "followers", "topic")
PRODUCT_KINDS = ("adopters", "groups")
APPROVED = SupplierApplication.Status.APPROVED


def parse(key) -> tuple[str, str] | None:
    """(kind, value) of a well-formed key, or None."""
    if not isinstance(key, str) or len(key) > 60:
        return None
    kind, _sep, value = key.partition(":")
    if kind not in KINDS or (kind == "partners") != (value == ""):
        return None
    if kind == "competence":
        return (kind, value) if value in Competence.values else None
    if kind != "partners" and not (value.isascii() and value.isdigit()):
        return None
    return kind, value


# --- Choices --------------------------------------------------------------------------------------------------


def segment_choices(*, secretariat: bool, products=(), topics=()) -> list[tuple[str, list[tuple[str, str]]]]:
    """The segments a writer may choose, grouped for the form: (group label, [(key, label)]). The secretariat
    chooses from everything; a coordinator (secretariat=False) from the product segments of `products` and the
    topics in `topics`."""
    groups = []
    products = list(products) if not secretariat else list(Product.objects.only("pk", "name"))
    if secretariat:
        groups.append(
            (
                _("Supplier partners"),
                [("partners", _("All supplier partners"))]
                + [
                    (f"competence:{key}", _("Partners offering %(c)s") % {"c": label})
                    for key, label in Competence.choices
                ],
            )
        )
    if products:
        groups.append(
            (
                _("Authorities using a product"),
                [(f"adopters:{p.pk}", _("Authorities using %(p)s") % {"p": p.name}) for p in products],
            )
        )
        groups.append(
            (
                _("Groups of a product"),
                [(f"groups:{p.pk}", _("Coordinator and groups of %(p)s") % {"p": p.name}) for p in products],
            )
        )
    if secretariat:
        categories = list(Category.objects.all())
        if categories:
            groups.append(
                (
                    _("Followers of needs"),
                    [(f"followers:{c.pk}", _("Following needs in %(c)s") % {"c": c.name}) for c in categories],
                )
            )
        topics = list(Topic.objects.all())
    if topics:
        groups.append(
            (_("Subscribers"), [(f"topic:{t.pk}", _("Subscribed to “%(t)s”") % {"t": t.name}) for t in topics])
        )
    return groups


def labels(keys) -> list[str]:
    """Readable labels of stored keys, for the pages (unknown or deleted targets are named as such)."""
    parsed = [p for p in (parse(k) for k in keys or ()) if p]
    ids = defaultdict(set)
    for kind, value in parsed:
        if kind in ("adopters", "groups", "followers", "topic"):
            ids[kind].add(int(value))
    products = {p.pk: p.name for p in Product.objects.filter(pk__in=ids["adopters"] | ids["groups"]).only("name")}
    categories = {c.pk: c.name for c in Category.objects.filter(pk__in=ids["followers"])}
    topics = {t.pk: t.name for t in Topic.objects.filter(pk__in=ids["topic"]).only("name")}
    competences = dict(Competence.choices)
    gone = _("(deleted)")
    found = []
    for kind, value in parsed:
        if kind == "partners":
            found.append(_("All supplier partners"))
        elif kind == "competence":
            found.append(_("Partners offering %(c)s") % {"c": competences[value]})
        elif kind == "adopters":
            found.append(_("Authorities using %(p)s") % {"p": products.get(int(value), gone)})
        elif kind == "groups":
            found.append(_("Coordinator and groups of %(p)s") % {"p": products.get(int(value), gone)})
        elif kind == "followers":
            found.append(_("Following needs in %(c)s") % {"c": categories.get(int(value), gone)})
        else:
            found.append(_("Subscribed to “%(t)s”") % {"t": topics.get(int(value), gone)})
    return found


# --- Recipients -----------------------------------------------------------------------------------------------


def _people(query):
    return User.objects.filter(query, is_active=True).values_list("email", "preferred_language").distinct()


def _partner_contacts(competence=None):
    contacts = ContactPerson.objects.filter(application__status=APPROVED, newsletter_consent_at__isnull=False)
    if competence:
        contacts = contacts.filter(application__competences__key=competence)
    return [(email, "") for email in contacts.values_list("email", flat=True).distinct()]


def _segment(kind: str, value: str):
    """(email, language) pairs of one segment; language may be empty (unknown)."""
    if kind == "partners" or kind == "competence":
        approved = Q(
            memberships__organisation__kind=Organisation.Kind.SUPPLIER,
            memberships__organisation__supplier_applications__status=APPROVED,
        )
        if kind == "competence":
            approved &= Q(memberships__organisation__supplier_applications__competences__key=value)
        return list(_people(approved)) + _partner_contacts(value if kind == "competence" else None)
    if kind == "adopters":
        return list(
            _people(
                Q(
                    memberships__organisation__kind=Organisation.Kind.AUTHORITY,
                    memberships__organisation__adoptions__product_id=int(value),
                )
            )
        )
    if kind == "groups":
        return list(
            _people(Q(group_memberships__group__product_id=int(value)) | Q(coordinated_products__pk=int(value)))
        )
    if kind == "followers":
        return list(_people(Q(need_follows__need__category_id=int(value))))
    return list(
        Subscription.objects.filter(topic_id=int(value), status=Subscription.Status.CONFIRMED).values_list(
            "email", "language"
        )
    )


def recipients(keys, *, topic) -> dict[str, str]:
    """address (lower case) -> language, for the segments `keys` of an issue on `topic`: each address once, in the
    language the person chose where it is known (an account's preference comes before a subscription's), without
    the addresses that unsubscribed from `topic` or bounce."""
    languages = dict(settings.LANGUAGES)
    found: dict[str, str] = {}
    for kind, value in sorted({p for p in (parse(k) for k in keys or ()) if p}):
        for email, language in _segment(kind, value):
            address = (email or "").strip().lower()
            if not address:
                continue
            if language in languages and not found.get(address):
                found[address] = language
            else:
                found.setdefault(address, "")
    blocked = Subscription.objects.filter(
        Q(topic=topic, status=Subscription.Status.UNSUBSCRIBED) | Q(status=Subscription.Status.BOUNCED)
    ).values_list("email", flat=True)
    for address in blocked:
        found.pop(address.lower(), None)
    return {address: language or settings.LANGUAGE_CODE for address, language in found.items()}


def product_keys(product_ids) -> set[str]:
    return {f"{kind}:{pk}" for pk in product_ids for kind in PRODUCT_KINDS}
