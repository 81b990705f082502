from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from os2hub.core.markdown import render_markdown
from os2hub.core.money import format_dkk

register = template.Library()


@register.filter
def markdown(text):
    """Render user Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def dkk(value):
    return format_dkk(value)


@register.simple_tag
def icon(name, label=""):
    """A DKFDS icon from the vendored sprite; decorative unless a label is given."""
    href = static("dkfds/img/all-svg-icons.svg") + "#" + name
    if label:
        return format_html(
            '<svg class="icon-svg" focusable="false" role="img" aria-label="{}"><use href="{}"></use></svg>',
            label,
            href,
        )
    return format_html('<svg class="icon-svg" focusable="false" aria-hidden="true"><use href="{}"></use></svg>', href)
