"""Every Django form in OS2hub (allauth's included) renders with DKFDS markup through this renderer."""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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
