"""Trigram indexes (pg_trgm, created by the products app's migration 0003) on the needs' titles and texts, which the
site-wide search (os2hub/web/search.py) matches with `ILIKE '%word%'` and, for the title, pg_trgm's word similarity
(`%>`). benchmarks/search.py: about half the database time of a search by name or with a typo. Nothing on SQLite."""

from django.db import migrations

from os2hub.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0002_needevent_transition_history"),
        ("products", "0003_pg_trgm"),
    ]

    operations = [trigram_indexes("needs_need", ("title", "problem", "desired_outcome"))]
