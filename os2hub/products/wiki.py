"""Wiki pages of a product and of its groups: Markdown text where every edit is kept as a revision.

Saving never overwrites silently: an edit is based on the revision the editor saw, and if someone else saved
in the meantime the save is refused (EditConflict) so that the editor can merge. Reverting writes the old text
as a new revision, so history only ever grows. Who may edit which page is decided in getters.py
(`can_edit_page`, `get_page_for_user`).
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from os2hub.core.text import text_errors

from .getters import can_edit_group, can_edit_page, can_edit_product
from .models import WikiPage, WikiRevision

# Far more than any wiki page needs, and small enough that comparing two revisions stays quick.
MAX_BODY_CHARS = 200_000
# Slugs that the wiki's own URLs use (/wiki/new/ would never reach a page called "New").
RESERVED_SLUGS = {"new"}
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
SLUG_LENGTH = WikiPage._meta.get_field("slug").max_length


class EditConflict(Exception):
    """Someone else saved the page after the editor opened it. `latest` is the revision they saved."""

    def __init__(self, latest: WikiRevision):
        self.latest = latest
        super().__init__(
            _(
                "Someone else changed the page while you were editing it. Your text has not been saved. "
                "Compare it with their version below, then save again."
            )
        )


# --- Reading revisions ------------------------------------------------------------------------------------------


def get_revision(page, pk) -> WikiRevision:
    revision = WikiRevision.objects.filter(page=page, pk=pk).select_related("author").first()
    if revision is None:
        raise Http404
    return revision


# Revisions are ordered by primary key: saves of one page are serialised by a row lock, so the key order is the
# order in which they happened, even if the clock of some machine is off.


def latest_revision(page: WikiPage) -> WikiRevision | None:
    return page.revisions.order_by("-pk").first()


def previous_revision(revision: WikiRevision) -> WikiRevision | None:
    return WikiRevision.objects.filter(page=revision.page_id, pk__lt=revision.pk).order_by("-pk").first()


# --- Slugs ------------------------------------------------------------------------------------------------------


def slug_from_title(title: str) -> str:
    """`Mødereferater på årsbasis` -> `moedereferater-paa-aarsbasis`; other accents lose their marks."""
    slug = slugify(title.translate(DANISH_LETTERS))[:SLUG_LENGTH].strip("-")
    return slug or "side"


def _free_slug(product, title: str) -> str:
    base = slug_from_title(title)
    # A numbered slug may have cut the end of a long base to fit: look for everything sharing its start.
    prefix = base[: SLUG_LENGTH - 6]
    taken = set(WikiPage.objects.filter(product=product, slug__startswith=prefix).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug


# --- Writing ----------------------------------------------------------------------------------------------------


def _check_text(title: str, body: str, comment: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = [_("Give the page a title.")]
    if len(body) > MAX_BODY_CHARS:
        errors["body"] = [_("The text is longer than %(limit)s characters.") % {"limit": f"{MAX_BODY_CHARS:,}"}]
    errors.update(text_errors({"title": title, "body": body, "comment": comment}, single_line=("title", "comment")))
    if errors:
        raise ValidationError(errors)


def _lock(page) -> None:
    """Lock the page's row until the transaction ends (PostgreSQL; SQLite serialises all writes anyway)."""
    WikiPage.objects.select_for_update().values_list("pk", flat=True).get(pk=page.pk)


def _create_page(*, product, group, title, body) -> WikiPage:
    # Two people creating "Referater" at the same moment both find the slug free; the unique constraint
    # decides, and the loser takes the next number.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return WikiPage.objects.create(
                    product=product, group=group, slug=_free_slug(product, title), title=title, body=body
                )
        except IntegrityError:
            continue
    raise ValidationError({"title": _("Could not find a free address for the page. Try another title.")})


def wiki_page_save(
    *, product, user, title: str, body: str, comment: str = "", page=None, group=None, base_revision=None
) -> WikiPage:
    """Create a page (page=None; group=None for a product page) or save a new version of one. Every save is
    kept as a revision with its author, time and comment.

    `base_revision` is the id of the revision the editor started from; if another revision has been saved
    since, nothing is saved and EditConflict is raised. None skips the check (a new page has no revisions)."""
    title = title.strip()
    comment = (comment or "").strip()
    body = body or ""
    _check_text(title, body, comment)
    with transaction.atomic():
        if page is None:
            if group is not None and group.product_id != product.pk:
                raise PermissionDenied
            allowed = can_edit_group(user, group) if group is not None else can_edit_product(user, product)
            if not allowed:
                raise PermissionDenied
            page = _create_page(product=product, group=group, title=title, body=body)
        else:
            if page.product_id != product.pk or not can_edit_page(user, page):
                raise PermissionDenied
            # The lock serialises saves of one page, so two editors cannot both pass the check below.
            _lock(page)
            latest = latest_revision(page)
            if base_revision is not None and latest is not None and latest.pk != int(base_revision):
                raise EditConflict(latest)
            page.title, page.body = title, body
            page.save(update_fields=["title", "body", "updated_at"])
        WikiRevision.objects.create(
            page=page, title=title, body=body, author=user, comment=comment, created_at=timezone.now()
        )
    return page


def wiki_page_revert(*, page, revision, user) -> WikiRevision:
    """Bring back the text of an earlier revision by saving it as a new revision; nothing is deleted."""
    if revision.page_id != page.pk:
        raise Http404
    with transaction.atomic():
        if not can_edit_page(user, page):
            raise PermissionDenied
        _lock(page)
        page.title, page.body = revision.title, revision.body
        page.save(update_fields=["title", "body", "updated_at"])
        when = date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
        comment = _("Reverted to the version of %(when)s") % {"when": when}
        return WikiRevision.objects.create(
            page=page,
            title=revision.title,
            body=revision.body,
            author=user,
            comment=comment[: WikiRevision._meta.get_field("comment").max_length],
        )


# --- Comparing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    """One row of a comparison. kind is "context", "added", "removed" or "gap" (lines left out between hunks).
    The text is plain: the template escapes it like any other text, so a diff can never inject markup."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


TRAILING_WHITESPACE = re.compile(r"[ \t]+$")


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Compare two texts line by line, like a unified diff: changed lines with `context` lines around them."""
    a = [TRAILING_WHITESPACE.sub("", line) for line in (old or "").splitlines()]
    b = [TRAILING_WHITESPACE.sub("", line) for line in (new or "").splitlines()]
    rows: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for n, group in enumerate(matcher.get_grouped_opcodes(context)):
        if n:
            rows.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffLine("context", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            rows.extend(DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2))
            rows.extend(DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2))
    return rows
