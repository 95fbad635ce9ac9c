"""Migrations stand alone: they import no application module, so later code changes cannot change what they do."""

import ast
import importlib
from pathlib import Path

from django.conf import settings

from claims import search

MIGRATIONS = sorted((Path(settings.BASE_DIR) / "claims" / "migrations").glob("0*.py"))
PROJECT_PACKAGES = {"claims", "review", "public", "analysis", "bench", "mgreview"}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_no_migration_imports_application_code():
    assert MIGRATIONS
    offenders = {
        path.name: module
        for path in MIGRATIONS
        for module in imported_modules(path)
        if module.startswith(".") or module.split(".")[0] in PROJECT_PACKAGES
    }
    assert offenders == {}


def test_the_search_index_migration_froze_the_sql_the_app_repairs_with():
    # search.install() repairs the index after every migrate; it must build what the migration built.
    frozen = importlib.import_module("claims.migrations.0006_claim_fulltext_search")
    assert frozen.SQLITE_TRIGGERS == search.SQLITE_TRIGGERS
    assert frozen.PG_SQL == search.PG_SQL
    assert frozen.PG_DROP == search.PG_DROP


def test_the_topics_migration_froze_the_list_and_keywords_the_code_had():
    # Migration 0023 seeds ClaimTopic with choices.Topic's slugs and labels and the importer's
    # TOPIC_KEYWORDS (still its fallback for an empty table), in the same order.
    from analysis.importer import TOPIC_KEYWORDS
    from claims.choices import Topic

    frozen = importlib.import_module("claims.migrations.0025_substances_seed")
    assert {slug: label for slug, label, _ in frozen.TOPICS} == dict(Topic.choices)
    seeded = [(slug, keywords) for slug, _, keywords in frozen.TOPICS if keywords]
    assert seeded == [(str(topic), words) for topic, words in TOPIC_KEYWORDS]
