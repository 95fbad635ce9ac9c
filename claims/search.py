"""
Full-text search over claims, one interface on two engines: ``Claim.objects.search(text)``.

What is searched: a claim's quote, its statement, and the citations (as the
article writes them) of the studies it cites. Semantics, the same on both
engines: the text is split into words (runs of letters and digits), case is
ignored, every word must occur in the claim, the last word may be the start of
a word ("citr" finds "citrate"). No stemming. Text with no words finds nothing.

- SQLite: an FTS5 table ``claims_claim_fts`` (rowid = claim id).
- PostgreSQL: a table ``claims_claim_search`` (claim id, tsvector with the
  'simple' configuration, i.e. no stemming) with a GIN index.

Search joins each claim's index row (the unmanaged models ClaimFtsEntry and
ClaimSearchDocument, with the `match` lookup below), so that the engine can
give matches in its own order, newest first, and a query can stop early
(ClaimQuerySet.newest_matches_first, IdsFirstPaginator's count_cap); a page of
results looks among the newest claims first (ClaimQuerySet.first_ids).

Both are kept in sync by database triggers on claims, citations and studies, so
every write path (forms, admin, bulk_create, raw SQL, seed_synthetic) updates
them. User text never reaches the FTS query syntax: it is split into words
here, and each word is quoted (FTS5) or is plain letters and digits (tsquery).
Other engines fall back to ``icontains``.

SQLite drops a table's triggers when a migration rebuilds the table, so
``install()`` also runs after every ``migrate`` (post_migrate) and rebuilds the
index if it had to recreate anything.
"""

# All SQL here is built from this module's constants; user text only ever goes in as a parameter.
# ruff: noqa: S608

import re

from django.db import models

MAX_WORDS = 32
WORD_RE = re.compile(r"[^\W_]+")

FTS_TABLE = "claims_claim_fts"
PG_TABLE = "claims_claim_search"

# The cited studies' citations for one claim, as one string.
_SQLITE_CITED = (
    "(SELECT coalesce(group_concat(s.citation, ' '), '') FROM claims_citation ct "
    "JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = {claim})"
)

SQLITE_TRIGGERS = {
    "claims_claim_fts_insert": f"""
        AFTER INSERT ON claims_claim BEGIN
          INSERT INTO {FTS_TABLE}(rowid, quote, statement, cited_as)
          VALUES (new.id, new.quote, new.statement, {_SQLITE_CITED.format(claim="new.id")});
        END""",
    "claims_claim_fts_update": f"""
        AFTER UPDATE OF quote, statement ON claims_claim BEGIN
          UPDATE {FTS_TABLE} SET quote = new.quote, statement = new.statement WHERE rowid = new.id;
        END""",
    "claims_claim_fts_delete": f"""
        AFTER DELETE ON claims_claim BEGIN
          DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        END""",
    "claims_citation_fts_insert": f"""
        AFTER INSERT ON claims_citation BEGIN
          UPDATE {FTS_TABLE} SET cited_as = {_SQLITE_CITED.format(claim="new.claim_id")} WHERE rowid = new.claim_id;
        END""",
    "claims_citation_fts_delete": f"""
        AFTER DELETE ON claims_citation BEGIN
          UPDATE {FTS_TABLE} SET cited_as = {_SQLITE_CITED.format(claim="old.claim_id")} WHERE rowid = old.claim_id;
        END""",
    "claims_citation_fts_update": f"""
        AFTER UPDATE OF claim_id, study_id ON claims_citation BEGIN
          UPDATE {FTS_TABLE} SET cited_as = {_SQLITE_CITED.format(claim=FTS_TABLE + ".rowid")}
          WHERE rowid IN (old.claim_id, new.claim_id);
        END""",
    "claims_study_fts_update": f"""
        AFTER UPDATE OF citation ON claims_study BEGIN
          UPDATE {FTS_TABLE} SET cited_as = {_SQLITE_CITED.format(claim=FTS_TABLE + ".rowid")}
          WHERE rowid IN (SELECT claim_id FROM claims_citation WHERE study_id = new.id);
        END""",
}

# A claim `c`'s document, given the SQL of its cited studies' names: the one definition that
# the trigger function (one claim at a time) and the rebuild (every claim, one join) share.
# ASCII punctuation becomes a space before PostgreSQL's parser sees the text, so
# "L-threonate" or "example.org" index as separate words, as FTS5's unicode61 does.
# Laid out as migration 0006 froze the function's text (a test compares them).
_PG_DOCUMENT = (
    "to_tsvector('simple', regexp_replace(\n"
    "      c.quote || ' ' || c.statement || ' ' || coalesce(\n"
    "        {cited}, ''),\n"
    "      '[[:punct:]]', ' ', 'g'))"
)
_PG_CITED_OF_C = (
    "(SELECT string_agg(s.citation, ' ') FROM claims_citation ct\n"
    "         JOIN claims_study s ON s.id = ct.study_id WHERE ct.claim_id = c.id)"
)

PG_SQL = f"""
CREATE TABLE IF NOT EXISTS {PG_TABLE} (
  claim_id bigint PRIMARY KEY,
  document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_claim_search_document_idx ON {PG_TABLE} USING gin (document);

CREATE OR REPLACE FUNCTION claims_claim_search_refresh(claim_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO {PG_TABLE} (claim_id, document)
  SELECT c.id, {_PG_DOCUMENT.format(cited=_PG_CITED_OF_C)}
  FROM claims_claim c WHERE c.id = ANY(claim_ids)
  ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
$$;

CREATE OR REPLACE FUNCTION claims_claim_search_on_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {PG_TABLE} WHERE claim_id = OLD.id;
  ELSE
    PERFORM claims_claim_search_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claims_claim_search_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {PG_TABLE};
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claims_claim_search_on_citation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM claims_claim_search_refresh(ARRAY[NEW.claim_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM claims_claim_search_refresh(ARRAY[OLD.claim_id]);
  ELSE
    PERFORM claims_claim_search_refresh(ARRAY[OLD.claim_id, NEW.claim_id]);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claims_claim_search_on_study() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM claims_claim_search_refresh(ARRAY(SELECT claim_id FROM claims_citation WHERE study_id = NEW.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER claims_claim_search_claim
  AFTER INSERT OR DELETE OR UPDATE OF quote, statement ON claims_claim
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_claim();
CREATE OR REPLACE TRIGGER claims_claim_search_truncate
  AFTER TRUNCATE ON claims_claim FOR EACH STATEMENT EXECUTE FUNCTION claims_claim_search_on_truncate();
CREATE OR REPLACE TRIGGER claims_claim_search_citation
  AFTER INSERT OR DELETE OR UPDATE OF claim_id, study_id ON claims_citation
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_citation();
CREATE OR REPLACE TRIGGER claims_claim_search_study
  AFTER UPDATE OF citation ON claims_study
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_on_study();
"""

PG_REBUILD = f"""
INSERT INTO {PG_TABLE} (claim_id, document)
SELECT c.id, {_PG_DOCUMENT.format(cited="cited.names")}
FROM claims_claim c
LEFT JOIN (
  SELECT ct.claim_id, string_agg(s.citation, ' ') AS names
  FROM claims_citation ct JOIN claims_study s ON s.id = ct.study_id
  GROUP BY ct.claim_id
) cited ON cited.claim_id = c.id
"""

PG_DROP = f"""
DROP TRIGGER IF EXISTS claims_claim_search_claim ON claims_claim;
DROP TRIGGER IF EXISTS claims_claim_search_truncate ON claims_claim;
DROP TRIGGER IF EXISTS claims_claim_search_citation ON claims_citation;
DROP TRIGGER IF EXISTS claims_claim_search_study ON claims_study;
DROP FUNCTION IF EXISTS claims_claim_search_on_claim();
DROP FUNCTION IF EXISTS claims_claim_search_on_truncate();
DROP FUNCTION IF EXISTS claims_claim_search_on_citation();
DROP FUNCTION IF EXISTS claims_claim_search_on_study();
DROP FUNCTION IF EXISTS claims_claim_search_refresh(bigint[]);
DROP TABLE IF EXISTS {PG_TABLE};
"""


def words(text):
    """The searchable words of text, lower-cased; at most MAX_WORDS."""
    return [word.lower() for word in WORD_RE.findall(text or "")][:MAX_WORDS]


def fts5_query(words):
    """'"magnesium" "citr"*': every word as a quoted string (no FTS5 syntax), the last a prefix."""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(words):
    """'magnesium & citr:*': words are letters and digits only, so no tsquery syntax gets in."""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


class IndexedTextField(models.TextField):
    """The searchable document of an index row (SearchIndexEntry models), with a `match` lookup."""

    def deconstruct(self):
        # To migrations it is a plain TextField (the tables are unmanaged): they must not import this module.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


@IndexedTextField.register_lookup
class Match(models.Lookup):
    """`document__match=<query>`: FTS5's MATCH, PostgreSQL's @@ to_tsquery('simple', ...)."""

    lookup_name = "match"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @@ to_tsquery('simple', {rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


# The index row of each claim, per engine: the relation from Claim that search() joins
# (an unmanaged model of that name exists for each engine), and the index's query.
RELATION = {"sqlite": "fts_entry", "postgresql": "search_document"}


def index_query(vendor, found):
    return fts5_query(found) if vendor == "sqlite" else tsquery(found)


def any_word_query(vendor, found):
    """Any of the words, each a prefix: '"a"* OR "b"*' for FTS5, 'a:* | b:*' for tsquery (no query syntax gets in)."""
    if vendor == "sqlite":
        return " OR ".join(f'"{word}"*' for word in found)
    return " | ".join(f"{word}:*" for word in found)


def install(connection, create=True):
    """
    Create the index and its triggers if missing; rebuild the index if anything
    was missing. With create=False (after every migrate) only repair an index
    that exists, so that unapplying the migration that made it sticks.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            present = {row[0] for row in cursor.fetchall()}
            if "claims_claim" not in present or (not create and FTS_TABLE not in present):
                return
            missing = (FTS_TABLE not in present) or any(name not in present for name in SQLITE_TRIGGERS)
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "quote, statement, cited_as, tokenize = 'unicode61 remove_diacritics 0')"
            )
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        if missing:
            rebuild(connection)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s), to_regclass('claims_claim')", [PG_TABLE])
            table, claims = cursor.fetchone()
            if claims is None or (not create and table is None):
                return
            cursor.execute(PG_SQL)
        if table is None:
            rebuild(connection)


def uninstall(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(PG_DROP)


def rebuild(connection):
    """Refill the index from the claims table (after a bulk load with triggers off, or a repair)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, quote, statement, cited_as) "
                f"SELECT c.id, c.quote, c.statement, {_SQLITE_CITED.format(claim='c.id')} FROM claims_claim c"
            )
        elif connection.vendor == "postgresql":
            # One set-based statement: the trigger function's `id = ANY(array)` over every id is
            # quadratic (13 minutes and counting at 1,000,000 claims; 28 s at 100,000).
            cursor.execute(f"TRUNCATE {PG_TABLE}")
            cursor.execute(PG_REBUILD)
