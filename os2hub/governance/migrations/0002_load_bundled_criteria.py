"""Load the criteria versions bundled in os2hub/governance/criteria/, so every installation has the model."""

from django.db import migrations


def load(apps, schema_editor):
    from os2hub.governance import criteria
    from os2hub.governance.services import criteria_version_load

    for path in criteria.bundled_files():
        criteria_version_load(
            criteria.parse(path.read_bytes()),
            version_model=apps.get_model("governance", "CriteriaVersion"),
            criterion_model=apps.get_model("governance", "Criterion"),
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
