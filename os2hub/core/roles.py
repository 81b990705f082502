"""What a person is to an organisation: the one answer every app asks (ARCHITECTURE rule 2 keeps the getters).

The ground floor imports no app, so these read the person's memberships through the relation the accounts app
declares (`user.memberships`, each with `organisation` and `role`); `is_secretariat` is the user's own
cached property, computed once per request.
"""

ADMIN = "admin"


def is_member(user, organisation) -> bool:
    return bool(user.is_authenticated and user.memberships.filter(organisation=organisation).exists())


def is_admin(user, organisation) -> bool:
    return bool(user.is_authenticated and user.memberships.filter(organisation=organisation, role=ADMIN).exists())


def is_secretariat(user) -> bool:
    return bool(user.is_authenticated and user.is_secretariat)
