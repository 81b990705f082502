"""What a person is to an organisation and to a product: the one answer every app asks.

The ground floor imports no app, so it reads the person's relations by the names the apps declare:
`user.memberships` (organisation, role), `user.group_memberships` (group.product, group.kind),
`product.coordinator_id`, and an organisation's approved `supplier_applications` with their `competences`.

`roles_for(user)` computes each answer at most once per user object. Django gives every request its own
`request.user`, so a page that asks twenty times still makes one query per kind of relation. Code that changes a
person's memberships in the middle of a request calls `forget(user)`.
"""

from __future__ import annotations

ADMIN = "admin"
SECRETARIAT = "secretariat"
SUPPLIER = "supplier"
AUTHORITY = "authority"
APPROVED = "approved"

COORDINATOR = "coordinator"
STEERING = "steering_group"
COORDINATION = "coordination_group"
PROFESSIONAL = "faggruppe"

_CACHE = "_os2hub_roles"


def _id(thing) -> int | None:
    """An object or its primary key."""
    return getattr(thing, "pk", thing)


class Roles:
    """Everything one person is, loaded lazily: one query for organisations, one for groups, one for
    partnerships."""

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user is not None and user.is_authenticated)

    # --- Organisations --------------------------------------------------------------------------------------

    def _load_organisations(self) -> dict[int, tuple[str, str]]:
        """organisation id -> (membership role, organisation kind)."""
        if not hasattr(self, "_organisations"):
            self._organisations = (
                {
                    org: (role, kind)
                    for org, role, kind in self.user.memberships.values_list(
                        "organisation_id", "role", "organisation__kind"
                    )
                }
                if self.authenticated
                else {}
            )
        return self._organisations

    def organisation_ids(self, kind: str | None = None) -> set[int]:
        return {org for org, (_role, k) in self._load_organisations().items() if kind is None or k == kind}

    def member(self, organisation) -> bool:
        return _id(organisation) in self._load_organisations()

    def admin(self, organisation) -> bool:
        found = self._load_organisations().get(_id(organisation))
        return bool(found and found[0] == ADMIN)

    @property
    def secretariat(self) -> bool:
        return bool(self.organisation_ids(SECRETARIAT))

    # --- Products -------------------------------------------------------------------------------------------

    def _load_groups(self) -> dict[int, set[str]]:
        """product id -> the kinds of the product's groups the person sits in."""
        if not hasattr(self, "_groups"):
            groups: dict[int, set[str]] = {}
            if self.authenticated:
                for product, kind in self.user.group_memberships.values_list("group__product_id", "group__kind"):
                    groups.setdefault(product, set()).add(kind)
            self._groups = groups
        return self._groups

    def product_roles(self, product) -> set[str]:
        """coordinator, steering_group, coordination_group, faggruppe: what the person is to the product."""
        if not self.authenticated:
            return set()
        roles = set(self._load_groups().get(product.pk, ()))
        if product.coordinator_id == self.user.pk:
            roles.add(COORDINATOR)
        return roles

    def coordinator(self, product) -> bool:
        return self.authenticated and product.coordinator_id == self.user.pk

    def in_group(self, product, kind: str | None = None) -> bool:
        kinds = self._load_groups().get(_id(product), set())
        return bool(kinds) if kind is None else kind in kinds

    # --- Partnerships ---------------------------------------------------------------------------------------

    def _load_partnerships(self) -> dict[int, set[str]]:
        """supplier organisation id -> the competences of its approved partnership, for the person's suppliers."""
        if not hasattr(self, "_partnerships"):
            partnerships: dict[int, set[str]] = {}
            suppliers = self.organisation_ids(SUPPLIER)
            if suppliers:
                model = self.user.memberships.model._meta.get_field("organisation").related_model
                applications = model._meta.get_field("supplier_applications").related_model
                rows = applications.objects.filter(organisation__in=suppliers, status=APPROVED).values_list(
                    "organisation_id", "competences__key"
                )
                for org, key in rows:
                    partnerships.setdefault(org, set())
                    if key:
                        partnerships[org].add(key)
            self._partnerships = partnerships
        return self._partnerships

    def partner_organisations(self, competence: str | None = None) -> set[int]:
        """The person's supplier organisations that are approved partners (offering the competence, if given)."""
        return {org for org, keys in self._load_partnerships().items() if competence is None or competence in keys}


def roles_for(user) -> Roles:
    """The person's roles, computed once per user object (so once per request)."""
    if user is None or not user.is_authenticated:
        return Roles(user)
    found = user.__dict__.get(_CACHE)
    if found is None:
        found = Roles(user)
        user.__dict__[_CACHE] = found
    return found


def forget(user) -> None:
    """Call after changing the person's memberships, groups or partnerships within the same request."""
    if user is not None:
        user.__dict__.pop(_CACHE, None)


# --- The questions every app asks -------------------------------------------------------------------------------


def is_member(user, organisation) -> bool:
    return roles_for(user).member(organisation)


def is_admin(user, organisation) -> bool:
    return roles_for(user).admin(organisation)


def is_secretariat(user) -> bool:
    return roles_for(user).secretariat


def product_roles(user, product) -> set[str]:
    return roles_for(user).product_roles(product)


def is_coordinator(user, product) -> bool:
    return roles_for(user).coordinator(product)


def in_group(user, product, kind: str | None = None) -> bool:
    return roles_for(user).in_group(product, kind)


def is_coordination(user, product) -> bool:
    """The product's coordination group prioritises community-funded work; the secretariat may act too."""
    roles = roles_for(user)
    return roles.secretariat or roles.in_group(product, COORDINATION)


def can_edit_product(user, product) -> bool:
    """The product's coordinator (tovholder) and the secretariat edit its page and run its governance."""
    roles = roles_for(user)
    return roles.coordinator(product) or roles.secretariat


def partner_organisations(user, competence: str | None = None) -> set[int]:
    return roles_for(user).partner_organisations(competence)
