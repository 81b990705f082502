"""Filters of the DKFDS form components (templates/components/error_summary.html, templates/forms/)."""

from django import template

register = template.Library()


@register.filter
def summarise(form) -> bool:
    """Whether the form has errors to sum up; marks the form as summed up, so the form's body (forms/form.html)
    does not repeat the errors that belong to no field (a wrong password): the error summary lists them."""
    if not form or not getattr(form, "errors", None):
        return False
    form.dkfds_summarised = True
    return True
