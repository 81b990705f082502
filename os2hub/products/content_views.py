"""Pages for a product's documents and wiki. Thin: parse the request, call documents.py or wiki.py, render.

Everyone reads. Editing needs the coordinator or the secretariat (documents, product pages) or membership of
the page's group (group pages); anyone else gets 404, so nobody learns more than the public pages show.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors

from . import documents as document_services
from . import wiki
from .getters import (
    can_edit_page,
    can_edit_product,
    editable_group_ids,
    get_group_for_user,
    get_page_for_user,
    get_product,
    get_product_for_user,
)
from .models import Document

# --- Forms (kept next to their only views; products/forms.py is the catalogue's) ---------------------------


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=Document._meta.get_field("title").max_length)
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.pptx,.odt," + ",".join(Document.KINDS.values())}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), PowerPoint (PPTX) or OpenDocument text (ODT), at most %(limit)s."
        ) % {"limit": filesizeformat(document_services.max_document_bytes())}

    def clean_title(self):
        title = self.cleaned_data["title"]
        if "\n" in title or "\r" in title:
            raise ValidationError(_("This field must be a single line."))
        return title


class WikiPageForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        strip=False,  # leading spaces can mean something in Markdown (an indented code block)
        max_length=wiki.MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=gettext_lazy(
            "Markdown: # headings, **bold**, *italic*, lists, links and tables. HTML is not allowed."
        ),
    )
    comment = forms.CharField(
        label=gettext_lazy("What changed"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("A short note for the page's history."),
    )
    # The revision the editor started from; 0 for a page that has none yet.
    base_revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing

    def clean(self):
        data = super().clean()
        if self.editing and data.get("base_revision") is None:
            raise ValidationError(_("The form is out of date. Open the page again and redo your change."))
        return data


# --- Documents --------------------------------------------------------------------------------------------------


def documents(request, slug):
    product = get_product(slug)
    can_edit = can_edit_product(request.user, product)
    form = DocumentForm() if can_edit else None
    if request.method == "POST":
        product = get_product_for_user(request.user, slug, write=True)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = document_services.document_upload(
                    product=product,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The document “%(title)s” is uploaded.") % {"title": document.title})
                return redirect("products:documents", slug=product.slug)
    return render(
        request,
        "products/content/documents.html",
        {
            "product": product,
            "documents": product.documents.select_related("uploaded_by"),
            "can_edit": can_edit,
            "form": form,
        },
    )


def document_download(request, slug, pk):
    product = get_product(slug)
    document = document_services.get_document(product, pk)
    return document_services.download_response(
        document,
        filename=document_services.download_name(document),
        content_type=Document.KINDS.get(document.kind, "application/octet-stream"),
    )


@login_required
@require_POST
def document_delete(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    document = document_services.get_document(product, pk)
    document_services.document_delete(document=document, user=request.user)
    messages.success(request, _("The document “%(title)s” is deleted.") % {"title": document.title})
    return redirect("products:documents", slug=product.slug)


# --- Wiki -------------------------------------------------------------------------------------------------------


def wiki_index(request, slug):
    product = get_product(slug)
    pages = list(product.wiki_pages.defer("body"))
    groups = list(product.groups.all())
    editable = editable_group_ids(request.user, product, groups)
    sections = [
        {"group": g, "pages": [p for p in pages if p.group_id == g.pk], "can_edit": g.pk in editable} for g in groups
    ]
    return render(
        request,
        "products/content/wiki_index.html",
        {
            "product": product,
            "product_pages": [p for p in pages if p.group_id is None],
            "sections": sections,
            "can_edit": can_edit_product(request.user, product),
        },
    )


def wiki_page(request, slug, page_slug):
    product = get_product(slug)
    page = get_page_for_user(request.user, product, page_slug)
    latest = page.revisions.select_related("author").order_by("-pk").first()
    return render(
        request,
        "products/content/wiki_page.html",
        {"product": product, "page": page, "latest": latest, "can_edit": can_edit_page(request.user, page)},
    )


@login_required
def wiki_new(request, slug):
    product = get_product(slug)
    group = None
    group_pk = request.GET.get("group")
    if group_pk:
        if not group_pk.isascii() or not group_pk.isdigit():
            raise Http404
        group = get_group_for_user(request.user, product, int(group_pk), write=True)
    else:
        product = get_product_for_user(request.user, slug, write=True)
    form = WikiPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = wiki.wiki_page_save(
                product=product,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                comment=form.cleaned_data["comment"],
                group=group,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The page is created."))
            return redirect("products:wiki_page", slug=product.slug, page_slug=page.slug)
    return render(
        request,
        "products/content/wiki_edit.html",
        {"product": product, "group": group, "page": None, "form": form, "action": request.get_full_path()},
    )


@login_required
def wiki_edit(request, slug, page_slug):
    product = get_product(slug)
    page = get_page_for_user(request.user, product, page_slug, write=True)
    conflict = None
    if request.method == "POST":
        form = WikiPageForm(request.POST, editing=True)
        if form.is_valid():
            try:
                wiki.wiki_page_save(
                    product=product,
                    user=request.user,
                    page=page,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    comment=form.cleaned_data["comment"],
                    base_revision=form.cleaned_data["base_revision"],
                )
            except wiki.EditConflict as exc:
                # Keep the editor's text, and base the form on the newer revision: saving again after looking
                # at the differences is a deliberate choice to replace it.
                conflict = exc.latest
                data = request.POST.copy()
                data["base_revision"] = str(conflict.pk)
                form = WikiPageForm(data, editing=True)
                form.is_valid()
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The page is saved."))
                return redirect("products:wiki_page", slug=product.slug, page_slug=page.slug)
    else:
        latest = wiki.latest_revision(page)
        form = WikiPageForm(
            initial={"title": page.title, "body": page.body, "base_revision": latest.pk if latest else 0},
            editing=True,
        )
    context = {
        "product": product,
        "group": page.group,
        "page": page,
        "form": form,
        "action": reverse("products:wiki_edit", args=[product.slug, page.slug]),
        "conflict": conflict,
    }
    if conflict is not None:
        context["conflict_rows"] = wiki.diff_lines(conflict.body, form.data.get("body", ""))
        context["conflict_author"] = conflict.author
    return render(request, "products/content/wiki_edit.html", context)


def wiki_history(request, slug, page_slug):
    product = get_product(slug)
    page = get_page_for_user(request.user, product, page_slug)
    history = Paginator(page.revisions.select_related("author").order_by("-pk"), 50).get_page(request.GET.get("side"))
    latest = wiki.latest_revision(page)
    return render(
        request,
        "products/content/wiki_history.html",
        {
            "product": product,
            "page": page,
            "history": history,
            "latest_pk": latest.pk if latest else None,
            "can_edit": can_edit_page(request.user, page),
        },
    )


def wiki_diff(request, slug, page_slug, rev_pk):
    product = get_product(slug)
    page = get_page_for_user(request.user, product, page_slug)
    revision = wiki.get_revision(page, rev_pk)
    previous = wiki.previous_revision(revision)
    latest = wiki.latest_revision(page)
    return render(
        request,
        "products/content/wiki_diff.html",
        {
            "product": product,
            "page": page,
            "revision": revision,
            "previous": previous,
            "rows": wiki.diff_lines(previous.body if previous else "", revision.body),
            "title_changed": previous is not None and previous.title != revision.title,
            "is_latest": latest is not None and latest.pk == revision.pk,
            "can_edit": can_edit_page(request.user, page),
        },
    )


@login_required
@require_POST
def wiki_revert(request, slug, page_slug, rev_pk):
    product = get_product(slug)
    page = get_page_for_user(request.user, product, page_slug, write=True)
    revision = wiki.get_revision(page, rev_pk)
    wiki.wiki_page_revert(page=page, revision=revision, user=request.user)
    messages.success(request, _("The page is back to an earlier version. The change is kept in the history."))
    return redirect("products:wiki_page", slug=product.slug, page_slug=page.slug)
