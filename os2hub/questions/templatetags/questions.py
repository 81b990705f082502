"""{% questions_section obj %}: the questions and answers on a development request, call or need, for the pages of
those apps. The tag lives here, not in their templates' apps, because questions sit above them (they must not
import this app)."""

from django import template
from django.template.loader import render_to_string

from os2hub.questions.views import section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def questions_section(context, subject):
    request = context["request"]
    return render_to_string("questions/_section.html", section_context(request, subject), request=request)
