"""pg_trgm on PostgreSQL, for the site-wide search's tolerance of typos (os2hub/web/search.py: the word similarity
of the query to names and titles), and a trigram index on the products' names, which answers both that similarity
(`name %> query`) and the search's `name ILIKE '%word%'`. Nothing on SQLite, which has no extensions; its search
compares titles in Python."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresTrigramExtension(TrigramExtension):
    """Django's operation, which already does nothing on other databases going forwards, made to do nothing going
    backwards too (it would ask SQLite for pg_extension)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def index_names(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS products_product_name_trgm ON products_product USING gin (name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS products_product_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_search_document"),
    ]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(index_names, drop_index),
    ]
