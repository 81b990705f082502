"""What the footer of every page says about reaching OS2: the secretariat's address and where the code is."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email() -> str:
    return settings.CONTACT_EMAIL


@register.simple_tag
def source_url() -> str:
    return settings.SOURCE_CODE_URL
