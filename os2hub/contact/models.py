"""Reaching the secretariat: the people on the contact page and the messages visitors send through its form.

A message is a thread: the visitor's text, then the secretariat's answers (`ContactAnswer`), each e-mailed to
the sender. Its status moves open -> answered -> closed (and back to open) only through the steps of
`contact/workflow.py`, each recorded as a `ContactMessageEvent`."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from os2hub.core.workflow import TransitionHistory


class SecretariatPerson(models.Model):
    """One person of the OS2 secretariat as the contact page shows them, in the secretariat's own order."""

    name = models.CharField(_("name"), max_length=120)
    role_da = models.CharField(_("role in Danish"), max_length=120)
    role_en = models.CharField(_("role in English"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("short description"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("person in the secretariat")
        verbose_name_plural = _("people in the secretariat")

    def __str__(self):
        return self.name

    @property
    def role(self) -> str:
        """The role in the page's language; English pages fall back to the Danish role when none is given."""
        if get_language() == "en" and self.role_en:
            return self.role_en
        return self.role_da


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    sender_name = models.CharField(_("name"), max_length=120)
    sender_email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
        verbose_name=_("signed in as"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    # The language the sender wrote in: their receipt and the answers are e-mailed in it.
    language = models.CharField(max_length=8, default="da")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to the secretariat")
        verbose_name_plural = _("messages to the secretariat")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("contact:message", args=[self.pk])

    @property
    def email(self) -> str:
        return self.sender_email

    @property
    def preferred_language(self) -> str:
        """So core/mail writes to the sender in the language they wrote in."""
        return self.language


class ContactAnswer(models.Model):
    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("answer"), max_length=10000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.message} ({self.created_at:%Y-%m-%d})"


class ContactMessageEvent(TransitionHistory):
    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ContactMessage.Status.choices)
    to_status = models.CharField(max_length=10, choices=ContactMessage.Status.choices)
