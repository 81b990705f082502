"""Workflows: the status of a thing moves only along its declared transitions.

Each workflow declares its steps once, as a `Workflow` of `Step`s (from, to, who may, what is required). The
pages show a step's button exactly when `workflow.allowed(...)` says so, and the API asks the same table, so a
button is offered exactly when the API would accept the step. The services still decide atomically: `move()`
is a compare-and-swap on the status column, so of two people deciding at once only one moves the thing, and it
writes the history row in the same transaction.

TransitionConflict is the one refusal every workflow raises when the current state does not allow a step, for
example when someone else decided first; pages show it as a message, the API answers 409.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class TransitionConflict(Exception):
    """The object was not in a state that allows this step (for example someone else decided first)."""


def _always(*_args) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One step of a workflow.

    name: the step's name in URLs and forms ("open_funding").
    sources: the statuses the step starts from.
    target: the status it leads to; None for steps that add something without moving the status (an estimate,
        a pledge) or whose outcome the service decides.
    who: may this person take the step on this object? `who(roles, obj)`, with `roles` from core.roles.
    requires: does the object have what the step needs? `requires(obj)`.
    """

    name: str
    sources: tuple[str, ...]
    target: str | None = None
    who: Callable = _always
    requires: Callable = _always

    def fits(self, obj) -> bool:
        return obj.status in self.sources and bool(self.requires(obj))


class Workflow:
    """A table of steps, asked by the pages and by the API."""

    def __init__(self, *steps: Step):
        self.steps = {step.name: step for step in steps}

    def __iter__(self):
        return iter(self.steps.values())

    def __contains__(self, name) -> bool:
        return name in self.steps

    def __getitem__(self, name) -> Step:
        return self.steps[name]

    def allowed(self, name: str, obj, roles) -> bool:
        """May this person take this step on the object now?"""
        step = self.steps.get(name)
        return bool(step and step.fits(obj) and step.who(roles, obj))

    def available(self, obj, roles) -> list[str]:
        """The names of the steps this person may take now, in the table's order."""
        return [step.name for step in self if self.allowed(step.name, obj, roles)]

    def leading_to(self, current: str, to: str) -> Step | None:
        """The step that moves an object in status `current` to status `to` (the API's `{"to": ...}`)."""
        for step in self:
            if step.target == to and current in step.sources:
                return step
        return None

    def sources_of(self, to: str) -> list[str]:
        """Every status from which some step leads to `to`, for the API's refusal messages."""
        found: list[str] = []
        for step in self:
            if step.target == to:
                found.extend(s for s in step.sources if s not in found)
        return found


class TransitionHistory(models.Model):
    """One row per transition: who, when, from, to and why. Each workflow's history model adds the link to its
    object and the `from_status`/`to_status` fields with its own status choices."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


def move(
    obj,
    *,
    sources: Iterable[str],
    to: str,
    actor,
    comment: str = "",
    refusal: Callable[[str | None], str],
    history: str = "events",
    **fields,
):
    """Move `obj` to status `to` if it is still in one of `sources`, and record it in its history.

    The row is locked and its status read from the database (the caller's copy may be stale, and the history
    must record the status the object really had). Raises TransitionConflict with `refusal(current_status)`
    when the status does not fit any more. Returns the status the object had before.
    """
    if isinstance(sources, str):
        sources = (sources,)
    model = type(obj)
    with transaction.atomic():
        before = model.objects.select_for_update().filter(pk=obj.pk).values_list("status", flat=True).first()
        updated = model.objects.filter(pk=obj.pk, status__in=tuple(sources)).update(
            status=to, updated_at=timezone.now(), **fields
        )
        if not updated:
            raise TransitionConflict(refusal(before))
        getattr(obj, history).create(from_status=before, to_status=to, actor=actor, comment=comment)
    obj.refresh_from_db()
    return before
