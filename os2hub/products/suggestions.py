"""Text suggestions: partners on a product and authorities using it suggest new text for the product page; the
coordinator or the secretariat accepts or rejects (products/workflow.py).

A suggestion keeps the text it was written against (`base_text`). Nothing is overwritten silently:
- writing one, the author's form carries a fingerprint of the text they saw; if the text changed while they
  wrote, the suggestion is refused (TextChanged) and they are shown the new text;
- accepting one compares the text as it is now (the row is locked) with the base: when they differ, the
  decider must have been shown the difference from the current text (the fingerprint of the current text comes
  with the decision), else StaleSuggestion is raised and the page shows it. Accepting writes the text in the
  same transaction as the status, and the other suggestions waiting on the same text become *outdated*.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from os2hub.accounts.selectors import secretariat_people
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import roles_for
from os2hub.core.text import check_text
from os2hub.core.workflow import move

from . import wiki
from .getters import suggestion_organisations
from .models import Product, TextSuggestion, WikiPage
from .search import index_products
from .workflow import ACCEPT, REJECT, SUGGESTION_WORKFLOW

Status = TextSuggestion.Status
MAX_TEXT_CHARS = 50_000
MAX_COMMENT_CHARS = 1000


class TextChanged(Exception):
    """The text changed after the author (or the decider) opened it. `current` is the text as it is now."""

    def __init__(self, current: str, message: str):
        self.current = current
        super().__init__(message)


class StaleSuggestion(TextChanged):
    """The text changed since the suggestion was written, and the decider has not been shown the change."""


def fingerprint(text: str) -> str:
    """A short, stable fingerprint of a text, for forms to say which text the person saw."""
    return hashlib.sha256(normalise(text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def normalise(text: str) -> str:
    """Line endings as \\n (browsers send \\r\\n from a textarea), so the same text compares equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# --- What may be suggested ---------------------------------------------------------------------------------------


def text_choices(product: Product, pages=None) -> list[tuple[str, str]]:
    """(key, label) of the texts one may suggest a change to: the product page's texts, then its own wiki pages
    ("wiki:<slug>"; the groups' pages belong to their members)."""
    choices = [(name, str(Product._meta.get_field(name).verbose_name).capitalize()) for name in TextSuggestion.FIELDS]
    if pages is None:
        pages = product.wiki_pages.filter(group__isnull=True).only("slug", "title").order_by("title")
    choices += [(f"wiki:{p.slug}", _("Wiki page: %(title)s") % {"title": p.title}) for p in pages]
    return choices


def resolve(product: Product, key: str) -> tuple[str, WikiPage | None]:
    """(field, page) for a key of text_choices; ValidationError for anything else."""
    if key in TextSuggestion.FIELDS:
        return key, None
    if isinstance(key, str) and key.startswith("wiki:") and "\x00" not in key:
        page = WikiPage.objects.filter(product=product, group__isnull=True, slug=key[5:]).first()
        if page is not None:
            return TextSuggestion.WIKI, page
    raise ValidationError({"text": _("Choose one of the product page's texts.")})


def key_of(suggestion: TextSuggestion) -> str:
    return f"wiki:{suggestion.page.slug}" if suggestion.page_id else suggestion.field


def label_of(suggestion: TextSuggestion) -> str:
    """What the suggestion changes, as a person reads it."""
    if suggestion.page_id:
        return _("Wiki page: %(title)s") % {"title": suggestion.page.title}
    return str(Product._meta.get_field(suggestion.field).verbose_name).capitalize()


def current_text(product: Product, field: str, page: WikiPage | None) -> str:
    if page is not None:
        return page.body
    return getattr(product, field) or ""


# --- Writing a suggestion ----------------------------------------------------------------------------------------


def _clean_proposal(field: str, text: str, comment: str) -> tuple[str, str]:
    text = normalise(text)
    comment = normalise(comment).strip()
    single = ("proposed_text",) if field == "summary" else ()
    check_text({"proposed_text": text, "comment": comment}, single_line=single)
    errors = {}
    if field == "summary":
        text = text.strip()
        limit = Product._meta.get_field("summary").max_length
        if not text:
            errors["proposed_text"] = [_("The summary cannot be empty.")]
    else:
        limit = wiki.MAX_BODY_CHARS if field == TextSuggestion.WIKI else MAX_TEXT_CHARS
    if len(text) > limit:
        errors["proposed_text"] = [_("Write at most %(limit)s characters.") % {"limit": f"{limit:,}"}]
    if len(comment) > MAX_COMMENT_CHARS:
        errors["comment"] = [_("Write at most %(limit)s characters.") % {"limit": f"{MAX_COMMENT_CHARS:,}"}]
    if errors:
        raise ValidationError(errors)
    return text, comment


def suggestion_create(
    *, product: Product, user, key: str, base_fingerprint: str, proposed_text: str, comment: str = "", organisation=None
) -> TextSuggestion:
    """A partner on the product or a member of an authority using it suggests a new text. Refused with
    TextChanged when the text changed after they opened it (they are shown the new one)."""
    organisations = suggestion_organisations(user, product)
    if not organisations:
        raise PermissionDenied
    chosen = next((o for o in organisations if o.pk == getattr(organisation, "pk", organisation)), organisations[0])
    field, page = resolve(product, key)
    proposed_text, comment = _clean_proposal(field, proposed_text, comment)
    current = current_text(product, field, page)
    if base_fingerprint != fingerprint(current):
        raise TextChanged(
            current,
            _(
                "The text has changed since you opened it. Your suggestion is not sent yet: compare it with the "
                "current text below and send it again."
            ),
        )
    if proposed_text == normalise(current):
        raise ValidationError({"proposed_text": _("Your text is the same as the current text. Change something.")})
    waiting = TextSuggestion.objects.filter(product=product, author=user, status=Status.PENDING).count()
    if waiting >= TextSuggestion.MAX_PENDING:
        raise ValidationError(
            _("You have %(count)s suggestions for this product waiting for a decision. Wait for an answer first.")
            % {"count": TextSuggestion.MAX_PENDING}
        )
    with transaction.atomic():
        suggestion = TextSuggestion.objects.create(
            product=product,
            field=field,
            page=page,
            base_text=normalise(current),
            proposed_text=proposed_text,
            comment=comment,
            author=user,
            organisation=chosen,
        )
        suggestion.events.create(from_status="", to_status=Status.PENDING, actor=user)
    send_templated_mail_on_commit(
        template="suggestion_received",
        context={
            "product": product,
            "person": user,
            "organisation": chosen,
            "text_label": label_of(suggestion),
            "comment": comment,
            "link": settings.SITE_URL + suggestion.get_absolute_url(),
        },
        to=[product.coordinator] if product.coordinator_id else secretariat_people(),
    )
    return suggestion


# --- Deciding ----------------------------------------------------------------------------------------------------


def is_stale(suggestion: TextSuggestion, current: str) -> bool:
    """Has the text changed since the suggestion was written?"""
    return normalise(current) != normalise(suggestion.base_text)


def _refusal(suggestion):
    def refusal(current):
        label = dict(Status.choices).get(current, current)
        return _("The suggestion has been decided already (%(status)s).") % {"status": str(label).lower()}

    return refusal


def _check_who(step: str, suggestion, user) -> None:
    if not SUGGESTION_WORKFLOW[step].who(roles_for(user), suggestion):
        raise PermissionDenied


def suggestion_accept(*, suggestion: TextSuggestion, user, seen_fingerprint: str = "") -> TextSuggestion:
    """Write the suggested text and mark the suggestion accepted, in one transaction. When the text changed since
    the suggestion was written, `seen_fingerprint` must be the current text's (the decider saw the difference);
    otherwise StaleSuggestion. The other suggestions waiting on the same text become outdated."""
    _check_who(ACCEPT, suggestion, user)
    product = suggestion.product
    with transaction.atomic():
        # Lock what is written, so nobody changes it between the comparison and the write.
        if suggestion.page_id:
            page = WikiPage.objects.select_for_update().get(pk=suggestion.page_id)
            current = page.body
        else:
            locked = Product.objects.select_for_update().only(suggestion.field).get(pk=product.pk)
            current = getattr(locked, suggestion.field) or ""
        if is_stale(suggestion, current) and seen_fingerprint != fingerprint(current):
            raise StaleSuggestion(
                current,
                _(
                    "The text has changed since the suggestion was written. Nothing is saved: look at the "
                    "difference from the current text below before you decide."
                ),
            )
        move(
            suggestion,
            sources=SUGGESTION_WORKFLOW[ACCEPT].sources,
            to=Status.ACCEPTED,
            actor=user,
            refusal=_refusal(suggestion),
            decided_by=user,
            decided_at=timezone.now(),
        )
        author = suggestion.author.get_full_name() if suggestion.author else ""
        if suggestion.page_id:
            wiki.wiki_page_save(
                product=product,
                user=user,
                page=page,
                title=page.title,
                body=suggestion.proposed_text,
                comment=(_("Text suggestion by %(person)s") % {"person": author})[:200],
            )
        else:
            Product.objects.filter(pk=product.pk).update(
                **{suggestion.field: suggestion.proposed_text, "updated_at": timezone.now()}
            )
            setattr(product, suggestion.field, suggestion.proposed_text)
            index_products(Product.objects.filter(pk=product.pk))
        outdated = list(
            TextSuggestion.objects.filter(
                product=product, field=suggestion.field, page=suggestion.page_id, status=Status.PENDING
            )
            .exclude(pk=suggestion.pk)
            .select_related("author", "product")
        )
        for other in outdated:
            move(
                other,
                sources=(Status.PENDING,),
                to=Status.OUTDATED,
                actor=user,
                comment=_("Another suggestion for the same text was accepted."),
                refusal=_refusal(other),
                decided_by=user,
                decided_at=timezone.now(),
            )
    context = {"product": product, "text_label": label_of(suggestion), "link": settings.SITE_URL}
    send_templated_mail_on_commit(
        template="suggestion_accepted",
        context=context | {"link": settings.SITE_URL + product.get_absolute_url()},
        to=[suggestion.author] if suggestion.author else [],
    )
    for other in outdated:
        send_templated_mail_on_commit(
            template="suggestion_outdated",
            context=context | {"link": settings.SITE_URL + other.get_absolute_url()},
            to=[other.author] if other.author else [],
        )
    return suggestion


def suggestion_reject(*, suggestion: TextSuggestion, user, reason: str) -> TextSuggestion:
    """Reject with a reason, which the author gets by e-mail."""
    _check_who(REJECT, suggestion, user)
    reason = normalise(reason).strip()
    check_text({"reason": reason})
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is sent to the author.")})
    if len(reason) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {"reason": _("Write at most %(limit)s characters.") % {"limit": f"{MAX_COMMENT_CHARS:,}"}}
        )
    move(
        suggestion,
        sources=SUGGESTION_WORKFLOW[REJECT].sources,
        to=Status.REJECTED,
        actor=user,
        comment=reason,
        refusal=_refusal(suggestion),
        reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
    )
    send_templated_mail_on_commit(
        template="suggestion_rejected",
        context={
            "product": suggestion.product,
            "text_label": label_of(suggestion),
            "reason": reason,
            "link": settings.SITE_URL + suggestion.get_absolute_url(),
        },
        to=[suggestion.author] if suggestion.author else [],
    )
    return suggestion
