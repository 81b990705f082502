"""Stub (being written)."""

from django.http import Http404


def decision_create(request, *args, **kwargs):
    raise Http404


def evaluation(request, *args, **kwargs):
    raise Http404


def evaluation_edit(request, *args, **kwargs):
    raise Http404


def evaluation_markdown(request, *args, **kwargs):
    raise Http404


def evaluation_publish(request, *args, **kwargs):
    raise Http404


def evaluation_start(request, *args, **kwargs):
    raise Http404


def round_close(request, *args, **kwargs):
    raise Http404


def round_dashboard(request, *args, **kwargs):
    raise Http404


def round_remind(request, *args, **kwargs):
    raise Http404


def rounds(request, *args, **kwargs):
    raise Http404
