"""Trigram indexes (pg_trgm, created by the products app's migration 0003) on the news posts' titles and texts, which
the site-wide search (os2hub/web/search.py) matches with `ILIKE '%word%'` and, for the title, pg_trgm's word
similarity (`%>`). benchmarks/search.py: about half the database time of a search by name or with a typo. Nothing
on SQLite."""

from django.db import migrations

from os2hub.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_events_for_the_community"),
        ("products", "0003_pg_trgm"),
    ]

    operations = [trigram_indexes("community_newspost", ("title", "body"))]
