"""Questions and answers on development requests, calls for suppliers and needs (issue 16).

A question belongs to exactly one of the three (three nullable foreign keys and a check constraint, so the
database itself refuses a question on none or on two). It is public - seen by everyone who may see what it is
asked on - or private: on a call, a supplier's question is seen only by the asking organisation, the caller side
and the secretariat (a fair tender gives every bidder the same information, so the caller answers such a
question to all bidders by publishing it, without naming the asker). Who sees and who answers is decided in
getters.py; this module only keeps the data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Call, Need

BODY_MAX = 10_000


class Question(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    development_request = models.ForeignKey(
        DevelopmentRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, null=True, blank=True, related_name="questions")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, null=True, blank=True, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="questions_asked"
    )
    # On whose behalf the question was asked (None: a person without an organisation).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions_asked"
    )
    body = models.TextField(_("question"), max_length=BODY_MAX)
    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    # A private question the caller published to all bidders: public from then on, the asker not named.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["development_request", "created_at"], name="question_request"),
            models.Index(fields=["call", "created_at"], name="question_call"),
            models.Index(fields=["need", "created_at"], name="question_need"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(development_request__isnull=False, call__isnull=True, need__isnull=True)
                    | Q(development_request__isnull=True, call__isnull=False, need__isnull=True)
                    | Q(development_request__isnull=True, call__isnull=True, need__isnull=False)
                ),
                name="question_on_exactly_one_thing",
            ),
            # Only a question on a call is ever private.
            models.CheckConstraint(
                condition=Q(visibility="public") | Q(call__isnull=False), name="only_call_questions_are_private"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(visibility="public"), name="published_question_is_public"
            ),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.body[:60]

    @property
    def subject(self):
        """What the question is asked on: the development request, the call or the need."""
        return self.development_request or self.call or self.need

    @property
    def subject_kind(self) -> str:
        if self.development_request_id:
            return "request"
        return "call" if self.call_id else "need"

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    @property
    def anonymous(self) -> bool:
        """A published question does not name its asker to others."""
        return self.published_at is not None


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="questions_answered"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("answer"), max_length=BODY_MAX)
    is_accepted = models.BooleanField(_("marked as the answer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_accepted=True), name="one_accepted_answer_per_question"
            )
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return self.body[:60]


class QuestionFollow(models.Model):
    """A person who gets an e-mail when the question is answered (the asker follows from the start)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="one_question_follow_per_user")]

    def __str__(self):
        return f"{self.user} follows {self.question}"
