"""Every Django form in OS2hub (allauth's included) renders with DKFDS markup through this renderer.

What the label says after a field's name (`DkfdsBoundField.marker`), as DKFDS asks: nothing for a required field;
"(optional)" for a field that may be left empty; for a field a form may save without but a later step needs (a
draft's description, needed to submit it), what that step is - a form names those fields in `required_for_step`
(field name -> the words, e.g. ``{"description": _("needed to submit")}``, or a tuple of names for the default
words). A form whose fields are all optional (a filter) sets `hide_optional_marker = True`; a label that already
says it is optional ("Note (optional)") gets no second marker.
"""

import re
from functools import lru_cache

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language, gettext, gettext_lazy

WIDGET_CLASSES = {
    "checkbox": "form-checkbox",
    "checkboxselectmultiple": "form-checkbox",
    "radioselect": "form-radio",
    "select": "form-select",
    "fastselect": "form-select",
    "selectmultiple": "form-select",
    "clearablefile": "form-file-input",
    "file": "form-file-input",
    "textarea": "form-input",
}

NEEDED_TO_SUBMIT = gettext_lazy("needed to submit")


@lru_cache(maxsize=8)
def _says_optional(language: str | None) -> re.Pattern:
    """A parenthesis that says "optional", in English or the current language: "(optional)", "(DKK, optional)",
    "(frivilligt)"."""
    words = {"optional", gettext("optional").lower()}
    return re.compile(r"\([^()]*\b(" + "|".join(re.escape(w) for w in sorted(words)) + r")\b[^()]*\)", re.IGNORECASE)


def label_says_optional(label) -> bool:
    return bool(label) and bool(_says_optional(get_language()).search(str(label)))


class DkfdsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type, "form-input")
        if css:
            attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), css]))
        return attrs

    @property
    def marker(self) -> str:
        """The words in brackets after the label: "" (required, or the label says it already), what a later
        step needs it for, or "optional"."""
        if self.field.required:
            return ""
        step = getattr(self.form, "required_for_step", None) or ()
        if self.name in step:
            words = step[self.name] if isinstance(step, dict) else NEEDED_TO_SUBMIT
            return str(words or NEEDED_TO_SUBMIT)
        if getattr(self.form, "hide_optional_marker", False) or label_says_optional(self.label):
            return ""
        return gettext("optional")


class DkfdsRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DkfdsBoundField
