"""Trigram indexes (pg_trgm, created by the products app's migration 0003) on the development requests' titles and
descriptions, which the site-wide search (os2hub/web/search.py) matches with `ILIKE '%word%'` and, for the title,
pg_trgm's word similarity (`%>`). benchmarks/search.py: about half the database time of a search by name or with a
typo. Nothing on SQLite."""

from django.db import migrations

TABLE = "development_developmentrequest"
COLUMNS = ("title", "description")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_{column}_trgm ON {TABLE} USING gin ({column} gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0003_requestevent_transition_history"),
        ("products", "0003_pg_trgm"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
