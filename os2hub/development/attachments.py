"""A request's attachments: specifications, mock-ups and screenshots that explain what is wanted.

They are checked by content like a product's documents (PDF, DOCX, PPTX, ODT: os2hub/products/documents.py), and
PNG and JPEG pictures are accepted by their signature. Nothing is rendered inside OS2hub: a download is always
served as an attachment with the detected type, `nosniff` and a sandboxing CSP, so a picture or PDF with script in
it never runs on our origin. SVG is not accepted (it is a document that can carry script).

The requester's members add and remove attachments while the request is a draft: they are part of what
suppliers estimate. The secretariat may remove one at any time (personal data uploaded by mistake)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from os2hub.core.roles import is_secretariat
from os2hub.core.text import check_text
from os2hub.core.workflow import TransitionConflict
from os2hub.products.documents import check_document, max_document_bytes

from .getters import can_change_attachments, is_requester
from .models import Attachment, DevelopmentRequest

MAX_ATTACHMENTS = 20
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def check_attachment(upload) -> str:
    """The kind of an uploaded file (a key of Attachment.KINDS), judged by its content; ValidationError with a
    message for the uploader otherwise. The size limit is the documents' (OS2HUB_MAX_DOCUMENT_BYTES)."""
    limit = max_document_bytes()
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(_("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)})
    upload.seek(0)
    head = upload.read(len(PNG_MAGIC))
    upload.seek(0)
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(JPEG_MAGIC):
        return "jpg"
    try:
        return check_document(upload)
    except ValidationError as exc:
        if exc.code == "not_a_document":
            raise ValidationError(
                _("The file must be a PDF, DOCX, PPTX or ODT document, or a PNG or JPEG picture.")
            ) from None
        raise


def get_attachment(request, pk) -> Attachment:
    """An attachment of a request the viewer may already see (the caller used get_request_for_user)."""
    attachment = Attachment.objects.filter(request=request, pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


def attachment_add(*, request, user, title: str, upload) -> Attachment:
    if not is_requester(user, request):
        raise PermissionDenied
    try:
        kind = check_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    check_text({"title": title})
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": [_("Give the attachment a title.")]})
    attachment = Attachment(request=request, title=title[:200], kind=kind, size=upload.size, uploaded_by=user)
    upload.seek(0)
    attachment.file.save(f"{get_random_string(24)}.{kind}", upload, save=False)
    try:
        with transaction.atomic():
            # The request's row is locked so two uploads at the same moment cannot both pass the count, and a
            # request submitted meanwhile takes no more files.
            locked = DevelopmentRequest.objects.select_for_update().get(pk=request.pk)
            if locked.status != DevelopmentRequest.Status.DRAFT:
                raise TransitionConflict(_("Attachments are added while the request is a draft."))
            if locked.attachments.count() >= MAX_ATTACHMENTS:
                raise ValidationError(
                    {"file": [_("A request has at most %(count)s attachments.") % {"count": MAX_ATTACHMENTS}]}
                )
            attachment.save()
    except BaseException:
        default_storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, user) -> None:
    request = attachment.request
    secretariat = is_secretariat(user)
    if not secretariat and not is_requester(user, request):
        raise PermissionDenied
    name = attachment.file.name
    with transaction.atomic():
        locked = DevelopmentRequest.objects.select_for_update().get(pk=request.pk)
        # Decided on the locked row: a request submitted meanwhile keeps its files (but for the secretariat).
        if not secretariat and not can_change_attachments(user, locked):
            raise TransitionConflict(_("Attachments are removed while the request is a draft."))
        attachment.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: default_storage.delete(name))
