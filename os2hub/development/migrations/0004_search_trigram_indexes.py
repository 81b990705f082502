"""Trigram indexes (pg_trgm, created by the products app's migration 0003) on the development requests' titles and
descriptions, which the site-wide search (os2hub/web/search.py) matches with `ILIKE '%word%'` and, for the title,
pg_trgm's word similarity (`%>`). benchmarks/search.py: about half the database time of a search by name or with a
typo. Nothing on SQLite."""

from django.db import migrations

from os2hub.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0003_requestevent_transition_history"),
        ("products", "0003_pg_trgm"),
    ]

    operations = [trigram_indexes("development_developmentrequest", ("title", "description"))]
