"""
Full-text search index for claims: SQLite FTS5 or PostgreSQL tsvector + GIN,
kept in sync by triggers. Nothing on other engines.

The SQL is frozen here, as it was when this migration was written: a migration
must do the same thing whatever the application code becomes. claims/search.py
holds the same statements for the app (its post_migrate repair); a change to
them needs a new migration.
"""

# ruff: noqa: E501
from django.db import migrations

FTS_TABLE = "claims_claim_fts"
PG_TABLE = "claims_claim_search"

SQLITE_CREATE = "CREATE VIRTUAL TABLE IF NOT EXISTS claims_claim_fts USING fts5(quote, statement, cited_as, tokenize = 'unicode61 remove_diacritics 0')"

SQLITE_TRIGGERS = {
    "claims_claim_fts_insert": "\n        AFTER INSERT ON claims_claim BEGIN\n          INSERT INTO claims_claim_fts(rowid, quote, statement, cited_as)\n          VALUES (new.id, new.quote, new.statement, (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = new.id));\n        END",
    "claims_claim_fts_update": "\n        AFTER UPDATE OF quote, statement ON claims_claim BEGIN\n          UPDATE claims_claim_fts SET quote = new.quote, statement = new.statement WHERE rowid = new.id;\n        END",
    "claims_claim_fts_delete": "\n        AFTER DELETE ON claims_claim BEGIN\n          DELETE FROM claims_claim_fts WHERE rowid = old.id;\n        END",
    "claims_citation_fts_insert": "\n        AFTER INSERT ON claims_citation BEGIN\n          UPDATE claims_claim_fts SET cited_as = (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = new.claim_id) WHERE rowid = new.claim_id;\n        END",
    "claims_citation_fts_delete": "\n        AFTER DELETE ON claims_citation BEGIN\n          UPDATE claims_claim_fts SET cited_as = (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = old.claim_id) WHERE rowid = old.claim_id;\n        END",
    "claims_citation_fts_update": "\n        AFTER UPDATE OF claim_id, study_id ON claims_citation BEGIN\n          UPDATE claims_claim_fts SET cited_as = (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = claims_claim_fts.rowid)\n          WHERE rowid IN (old.claim_id, new.claim_id);\n        END",
    "claims_study_fts_update": "\n        AFTER UPDATE OF citation ON claims_study BEGIN\n          UPDATE claims_claim_fts SET cited_as = (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = claims_claim_fts.rowid)\n          WHERE rowid IN (SELECT claim_id FROM claims_citation WHERE study_id = new.id);\n        END",
}

SQLITE_REBUILD = "INSERT INTO claims_claim_fts(rowid, quote, statement, cited_as) SELECT c.id, c.quote, c.statement, (SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = c.id) FROM claims_claim c"

PG_SQL = "\nCREATE TABLE IF NOT EXISTS claims_claim_search (\n  claim_id bigint PRIMARY KEY,\n  document tsvector NOT NULL\n);\nCREATE INDEX IF NOT EXISTS claims_claim_search_document_idx ON claims_claim_search USING gin (document);\n\nCREATE OR REPLACE FUNCTION claims_claim_search_refresh(claim_ids bigint[]) RETURNS void\nLANGUAGE sql AS $$\n  INSERT INTO claims_claim_search (claim_id, document)\n  SELECT c.id, to_tsvector('simple', regexp_replace(\n      c.quote || ' ' || c.statement || ' ' || coalesce(\n        (SELECT string_agg(s.citation, ' ') FROM claims_citation ct\n         JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = c.id), ''),\n      '[[:punct:]]', ' ', 'g'))\n  FROM claims_claim c WHERE c.id = ANY(claim_ids)\n  ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;\n$$;\n\nCREATE OR REPLACE FUNCTION claims_claim_search_on_claim() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'DELETE' THEN\n    DELETE FROM claims_claim_search WHERE claim_id = OLD.id;\n  ELSE\n    PERFORM claims_claim_search_refresh(ARRAY[NEW.id]);\n  END IF;\n  RETURN NULL;\nEND $$;\n\nCREATE OR REPLACE FUNCTION claims_claim_search_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  TRUNCATE claims_claim_search;\n  RETURN NULL;\nEND $$;\n\nCREATE OR REPLACE FUNCTION claims_claim_search_on_citation() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    PERFORM claims_claim_search_refresh(ARRAY[NEW.claim_id]);\n  ELSIF TG_OP = 'DELETE' THEN\n    PERFORM claims_claim_search_refresh(ARRAY[OLD.claim_id]);\n  ELSE\n    PERFORM claims_claim_search_refresh(ARRAY[OLD.claim_id, NEW.claim_id]);\n  END IF;\n  RETURN NULL;\nEND $$;\n\nCREATE OR REPLACE FUNCTION claims_claim_search_on_study() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM claims_claim_search_refresh(ARRAY(SELECT claim_id FROM claims_citation WHERE study_id = NEW.id));\n  RETURN NULL;\nEND $$;\n\nCREATE OR REPLACE TRIGGER claims_claim_search_claim\n  AFTER INSERT OR DELETE OR UPDATE OF quote, statement ON claims_claim\n  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_claim();\nCREATE OR REPLACE TRIGGER claims_claim_search_truncate\n  AFTER TRUNCATE ON claims_claim FOR EACH STATEMENT EXECUTE FUNCTION claims_claim_search_on_truncate();\nCREATE OR REPLACE TRIGGER claims_claim_search_citation\n  AFTER INSERT OR DELETE OR UPDATE OF claim_id, study_id ON claims_citation\n  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_citation();\nCREATE OR REPLACE TRIGGER claims_claim_search_study\n  AFTER UPDATE OF citation ON claims_study\n  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_study();\n"

PG_REBUILD = "SELECT claims_claim_search_refresh(ARRAY(SELECT id FROM claims_claim))"

PG_DROP = "\nDROP TRIGGER IF EXISTS claims_claim_search_claim ON claims_claim;\nDROP TRIGGER IF EXISTS claims_claim_search_truncate ON claims_claim;\nDROP TRIGGER IF EXISTS claims_claim_search_citation ON claims_citation;\nDROP TRIGGER IF EXISTS claims_claim_search_study ON claims_study;\nDROP FUNCTION IF EXISTS claims_claim_search_on_claim();\nDROP FUNCTION IF EXISTS claims_claim_search_on_truncate();\nDROP FUNCTION IF EXISTS claims_claim_search_on_citation();\nDROP FUNCTION IF EXISTS claims_claim_search_on_study();\nDROP FUNCTION IF EXISTS claims_claim_search_refresh(bigint[]);\nDROP TABLE IF EXISTS claims_claim_search;\n"


def install(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_CREATE)
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(SQLITE_REBUILD)
        elif connection.vendor == "postgresql":
            cursor.execute(PG_SQL)
            cursor.execute(f"TRUNCATE {PG_TABLE}")
            cursor.execute(PG_REBUILD)


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_reviewer_pseudonyms")]

    operations = [migrations.RunPython(install, uninstall)]
