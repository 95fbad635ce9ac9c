"""
Full-text search index for claims: SQLite FTS5 or PostgreSQL tsvector + GIN,
kept in sync by triggers. See claims/search.py. Nothing on other engines.
"""

from django.db import migrations

from claims import search


def install(apps, schema_editor):
    search.install(schema_editor.connection)
    search.rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):
    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_reviewer_pseudonyms")]

    operations = [migrations.RunPython(install, uninstall)]
