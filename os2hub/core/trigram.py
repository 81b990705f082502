"""Trigram indexes (pg_trgm's gin_trgm_ops) for the site-wide search, as one migration operation: created on
PostgreSQL (the extension comes from the products app's migration 0003), nothing on SQLite."""

from django.db import migrations


def trigram_indexes(table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A reversible operation that indexes `columns` of `table` for `ILIKE '%word%'` and pg_trgm's `%>`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for column in columns:
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for column in columns:
                schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")

    return migrations.RunPython(create, drop)
