from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    name = "os2hub.scans"
    label = "scans"
    verbose_name = _("Repository scans")

    def ready(self):
        # scans is above products and governance: it tells their pages what it adds, so they never import it.
        from . import contributions

        contributions.register()
