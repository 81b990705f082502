"""Every Django form in OS2hub (allauth's included) renders with DKFDS markup through this renderer."""

import re

from django.forms import DecimalField
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "checkbox": "form-checkbox",
    "checkboxselectmultiple": "form-checkbox",
    "radioselect": "form-radio",
    "select": "form-select",
    "selectmultiple": "form-select",
    "clearablefile": "form-file-input",
    "file": "form-file-input",
    "textarea": "form-input",
}


class DkfdsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type, "form-input")
        if css:
            attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), css]))
        return attrs


class DkfdsRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DkfdsBoundField


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
        return super().to_python(value)
