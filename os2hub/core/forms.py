"""Form fields and helpers that every app's forms share: amounts in Danish notation, fast selects for long
lists, and service errors shown on the form's fields. Rendering with DKFDS markup is the top floor's
(web/forms.py)."""

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.forms import DecimalField, Select
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from os2hub.core.money import plain_decimal


class AmountField(DecimalField):
    """A money amount typed the way people type it: `1.050,00` and `1050,5` in Danish, `1050.50` too."""

    THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\xa0", "").replace(" ", "").removesuffix("kr.").removesuffix("kr")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif self.THOUSANDS.match(value):
                value = value.replace(".", "")
            # Decimal would also read other scripts' digits (١٢٣, １２３), 1_000, 1e30, NaN and Infinity.
            if value and plain_decimal(value) is None:
                raise ValidationError(
                    _("Enter a number with the digits 0-9, for example 1.050,50 or 37,5."), code="invalid"
                )
        return super().to_python(value)


class Options(BaseChoiceIterator):
    """Choices that are already (value, label) pairs. Django normalises a plain list again each time it is given to
    a field or a widget, some microseconds an option; a filter with a thousand supplier partners paid for that
    three times a request. Fields and widgets take an iterator like this one as it is."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)


class FastSelect(Select):
    """A <select> rendered in Python: Django renders every <option> through a template, which costs
    milliseconds on filter forms with a hundred authorities. Same markup, same attributes.

    The <option>s of the last few lists are kept (per process, by language, choices and selection), so a filter
    with a thousand supplier partners is escaped once, not on every request; the choices are the key, so a
    changed list is rendered anew."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = frozenset(str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None)
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        choices = tuple(self.choices)
        try:
            options = _options(get_language(), choices, selected)
        except TypeError:  # a choice that cannot be a key (unhashable value)
            options = _render_options(choices, selected)
        return format_html("<select{}>{}</select>", flatatt(final), options)


def _render_options(choices, selected) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, mark_safe(" selected") if str(v) in selected else "", label) for v, label in choices),
    )


@lru_cache(maxsize=32)
def _options(language, choices, selected) -> str:
    """The rendered <option>s; the language is part of the key because labels may be translated lazily."""
    return _render_options(choices, selected)


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: field errors next to their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
