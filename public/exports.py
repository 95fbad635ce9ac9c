"""
The CSV exports: ratings, one row per rating, and claims, one row per claim.

Each export is declared once below as a list of columns: its header, the
fields it reads and how the cell is made from them. The claim columns are
declared once and shared: the claims export is made of them, and the ratings
export puts its rating columns among them. One writer streams every export,
for the public URLs and the admin actions alike:

- rows come from ``values_list(...).iterator(chunk_size=CHUNK_SIZE)``: no model
  instances, and memory bounded by one chunk whatever the number of rows;
- what a chunk needs besides its own rows (its claims' cells, studies and
  marketing flags, its reviewers' names) is fetched once per chunk, so the
  number of queries follows the number of chunks, never the number of rows,
  and a claim's cells are made once however many ratings it has;
- ``csv.writer`` (Python's defaults: RFC 4180 quoting) writes into a
  pseudo-buffer and each chunk goes out as one piece of a StreamingHttpResponse;
- every text cell a spreadsheet would run as a formula is neutralised.

Who sees which ratings is Rating.objects.exportable_to; who sees usernames
rather than pseudonyms is ExportRun.sees_usernames. What each column means:
docs/export.md.
"""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Callable
from itertools import batched
from operator import itemgetter
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import NotSupportedError
from django.db.models import CharField, Count, Func, TextField, Value
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from claims import policy
from claims.facets import FLAG_BITS
from claims.models import Citation, Claim, Rating, ReviewerPseudonym, demonstration_account_ids

CHUNK_SIZE = 2000
SEPARATOR = "; "
# OWASP "CSV Injection": a cell starting with one of these is a formula to a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cells):
    """The cells, each text cell a spreadsheet would read as a formula prefixed with ' so it stays text."""
    return ["'" + cell if cell.__class__ is str and cell.startswith(FORMULA_PREFIXES) else cell for cell in cells]


class Column(NamedTuple):
    """One CSV column: its header, the fields (values_list paths) it reads, how its cell is made."""

    name: str
    reads: tuple[str, ...]
    # cell(run, *values) -> the cell; None writes the single field's value as it is (None as empty).
    cell: Callable | None = None
    # Expressions the database computes for the column, by the names it reads them under.
    annotations: dict | None = None


class UtcIso(Func):
    """A datetime as ISO 8601 text in UTC to the second ('2031-05-17T23:30:00Z'), made by the database."""

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores SQLite datetimes as UTC text, '2031-05-17 23:30:00.123456'.
        return Func(Value("%Y-%m-%dT%H:%M:%SZ"), *self.source_expressions, function="strftime").as_sql(
            compiler, connection
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            raise NotSupportedError(f"UtcIso supports SQLite and PostgreSQL, not {connection.vendor}.")
        return super().as_sql(compiler, connection, **extra)


# --------------------------------------------------------------------------
# Cells


def joined_json(run, text):
    """A JSON list, read as text (no per-row conversion by Django), joined with '; '."""
    return SEPARATOR.join(json.loads(text)) if text and text != "[]" else ""


def if_finalized(run, status, value):
    # A consensus counts only once the claim is finalized (a reopened claim keeps its row).
    return value if policy.publishes_consensus(status) else ""


def reviewer(run, reviewer_id):
    return run.reviewers[reviewer_id]


def cue_texts(run, cues):
    """The cue words of a reading, in text order, joined with '; '."""
    return "; ".join(text for text, _start, _end in cues or ())


def marketing_flags(run, flag_bits):
    """
    The categories of the confirmed flags that touch the claim (policy.flag_touches_claim_q),
    distinct, alphabetical, joined with '; ': read from the claim's flag facet, which
    /claims/?flag= filters on, so the CSV and the filter cannot disagree.
    """
    return FLAG_CATEGORIES.get(flag_bits, "") if flag_bits else ""


def _flag_categories():
    """{flag_bits: 'absolute; hype'} for every combination of categories (a few hundred strings)."""
    combinations = {0: []}
    for category, bit in sorted(FLAG_BITS.items()):
        combinations.update({bits | bit: [*names, category] for bits, names in list(combinations.items())})
    return {bits: SEPARATOR.join(sorted(names)) for bits, names in combinations.items() if names}


FLAG_CATEGORIES = _flag_categories()


def independent_value(run, rated_blind, blind_value, value):
    """The value before its reviewer saw another's rating; empty for a lead who rated after seeing them."""
    return (blind_value or value) if rated_blind else ""


def revised(run, rated_blind, blind_strength, blind_verdict, strength, verdict):
    if not rated_blind:
        return ""
    return "yes" if blind_strength and (blind_strength, blind_verdict) != (strength, verdict) else "no"


def by_demonstration_account(run, user_id):
    return "yes" if user_id in run.demonstration_accounts else "no"


def consensus_by_demonstration_account(run, status, decided_by_id):
    if not policy.publishes_consensus(status) or decided_by_id is None:
        return ""
    return by_demonstration_account(run, decided_by_id)


def rating_count(run, claim_id):
    return run.rating_counts.get(claim_id, 0)


STUDY_FIELDS = ("study__citation", "study__url", "study__doi", "study__pmid", "study__design")
STUDY_COLUMNS = ("study_citations", "study_urls", "study_dois", "study_pmids", "study_designs")
NO_STUDIES = ("",) * len(STUDY_FIELDS)


def study_cell(n):
    def cell(run, claim_id):
        return run.studies.get(claim_id, NO_STUDIES)[n]

    return cell


# --------------------------------------------------------------------------
# Per-chunk lookups


def study_cells(claim_ids):
    """
    {claim id: (citations, urls, dois, pmids, designs)}, each joined with '; '
    in the same study order (citation, then id), so the n-th entry of every
    study column is the same study; a study without a DOI leaves its place
    empty. A cell with no value at all is empty.
    """
    per_claim = defaultdict(list)
    rows = (
        Citation.objects.filter(claim_id__in=claim_ids)
        .order_by("claim_id", "study__citation", "study_id")
        .values_list("claim_id", *STUDY_FIELDS)
    )
    for row in rows:
        per_claim[row[0]].append(row[1:])
    return {
        claim_id: studies[0]
        if len(studies) == 1
        else tuple(SEPARATOR.join(values) if any(values) else "" for values in zip(*studies, strict=True))
        for claim_id, studies in per_claim.items()
    }


class ExportRun:
    """One export for one user: who is asking, and what the current chunk needs besides its rows."""

    def __init__(self, user):
        self.user = user
        self.user_id = user.pk if user.is_authenticated else None
        # Lead reviewers and superusers see who rated what; everyone else sees
        # pseudonyms, except on their own ratings.
        self.sees_usernames = policy.sees_every_rating(user)
        self.studies = {}
        self.rating_counts = {}
        self.reviewers = {}
        self.demonstration_accounts = frozenset()

    def load_demonstration_accounts(self):
        """The demonstration review's accounts, so that every row can say whether it is theirs."""
        self.demonstration_accounts = demonstration_account_ids()

    def load_claims(self, claim_ids, reads):
        if "study_citations" in reads:
            self.studies = study_cells(claim_ids)
        if "rating_count" in reads:
            self.rating_counts = dict(
                Rating.objects.exportable_to(self.user)
                .filter(claim_id__in=claim_ids)
                .order_by()
                .values_list("claim_id")
                .annotate(count=Count("id"))
            )

    def load_reviewers(self, reviewer_ids):
        """
        Add what the reviewer column shows for reviewers not met in earlier
        chunks: a username, or reviewer-<number>. Kept for the whole export:
        it grows with the number of reviewers, not of rows.
        """
        new = set(reviewer_ids) - self.reviewers.keys()
        if not new:
            return
        users = get_user_model().objects.filter(pk__in=new).values_list("pk", "username", "pseudonym__number")
        if not self.sees_usernames and any(number is None for _, _, number in users):
            # A reviewer whose first rating arrived after the export started.
            ReviewerPseudonym.objects.assign_missing(user_ids=new)
            users = users.all()
        for pk, username, number in users:
            shows_name = self.sees_usernames or pk == self.user_id
            self.reviewers[pk] = username if shows_name else ReviewerPseudonym.label(number)


# --------------------------------------------------------------------------
# The exports


class Export:
    """A CSV export declared by its columns: streams a queryset as CSV for one user."""

    def __init__(self, name, columns):
        self.name = name
        self.columns = tuple(columns)
        self.header = [column.name for column in self.columns]

    def filename(self, day):
        return f"mgreview-{self.name}-{day:%Y-%m-%d}.csv"

    def response(self, queryset, user):
        """A StreamingHttpResponse downloading queryset as this export, as user may see it."""
        response = StreamingHttpResponse(self.stream(queryset, user), content_type="text/csv; charset=utf-8")
        day = timezone.now().astimezone(datetime.UTC).date()
        response["Content-Disposition"] = f'attachment; filename="{self.filename(day)}"'
        # What is exported depends on who asks.
        patch_cache_control(response, private=True)
        return response

    def stream(self, queryset, user):
        """The CSV text, header first, then one piece per chunk of rows."""
        run = ExportRun(user)
        self.prepare(run)
        return self._pieces(queryset, run)

    def prepare(self, run):
        """Work done before the first byte, so that a failure is an error response, not a truncated file."""
        run.load_demonstration_accounts()

    def _pieces(self, queryset, run):
        buffer = PseudoBuffer()
        writer = csv.writer(buffer)
        writer.writerow(self.header)
        yield buffer.take()
        for rows in self.chunks(queryset, run):
            writer.writerows(rows)
            yield buffer.take()

    def chunks(self, queryset, run):
        """Lists of rows, each a list of cells, one list per chunk."""
        raise NotImplementedError


def compile_cells(columns, fields, run):
    """For each column, a function of a values_list row (with these fields) giving its cell."""
    position = {path: n for n, path in enumerate(fields)}
    getters = []
    for column in columns:
        pick = itemgetter(*(position[path] for path in column.reads))
        if column.cell is None:
            getters.append(pick)
        elif len(column.reads) == 1:
            getters.append(lambda row, cell=column.cell, pick=pick: cell(run, pick(row)))
        else:
            getters.append(lambda row, cell=column.cell, pick=pick: cell(run, *pick(row)))
    return getters


def fields_of(columns, first):
    """The values_list fields the columns read, first one first, each once."""
    return list(dict.fromkeys([first, *(path for column in columns for path in column.reads)]))


def values_of(queryset, columns, first):
    """(fields, rows): queryset as tuples of the fields the columns read, first one first."""
    annotations = {name: expression for column in columns for name, expression in (column.annotations or {}).items()}
    fields = fields_of(columns, first)
    return fields, queryset.annotate(**annotations).values_list(*fields)


def in_chunks(rows):
    return batched(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)


class ClaimExport(Export):
    """One row per claim; every column is a claim column."""

    def chunks(self, queryset, run):
        fields, rows = values_of(queryset, self.columns, "id")
        cells = compile_cells(self.columns, fields, run)
        reads = set(self.header)
        for chunk in in_chunks(rows):
            run.load_claims([row[0] for row in chunk], reads)
            yield [neutralised([cell(row) for cell in cells]) for row in chunk]


class RatingExport(Export):
    """
    One row per rating. Rating columns read the rating; the claim columns
    among them are made once per claim of the chunk, from the claim columns'
    own definition.
    """

    def __init__(self, name, columns, claim_columns):
        super().__init__(name, columns)
        shared = {column.name for column in claim_columns}
        self.claim_columns = [column for column in self.columns if column.name in shared]
        self.rating_columns = [column for column in self.columns if column.name not in shared]
        # A row is put together from [*rating cells, *claim cells]: where each column's cell is in that.
        joined = [column.name for column in self.rating_columns + self.claim_columns]
        self.layout = itemgetter(*(joined.index(column.name) for column in self.columns))

    def prepare(self, run):
        super().prepare(run)
        if not run.sees_usernames:
            ReviewerPseudonym.objects.assign_missing()

    def chunks(self, queryset, run):
        fields, rows = values_of(queryset, self.rating_columns, "claim_id")
        rating_cells = compile_cells(self.rating_columns, fields, run)
        claim_fields, claim_rows = values_of(Claim.objects.all(), self.claim_columns, "id")
        claim_cells = compile_cells(self.claim_columns, claim_fields, run)
        claim_reads = {column.name for column in self.claim_columns}
        layout = self.layout
        reviewer_id = fields.index("reviewer_id")
        for chunk in in_chunks(rows):
            claim_ids = {row[0] for row in chunk}
            run.load_claims(claim_ids, claim_reads)
            run.load_reviewers({row[reviewer_id] for row in chunk})
            claims = {
                row[0]: neutralised([cell(row) for cell in claim_cells]) for row in claim_rows.filter(pk__in=claim_ids)
            }
            yield [layout(neutralised([cell(row) for cell in rating_cells]) + claims[row[0]]) for row in chunk]


class PseudoBuffer:
    """Collects what csv.writer writes, to hand it over one chunk at a time."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self):
        text = "".join(self.parts)
        self.parts.clear()
        return text


CLAIM_COLUMNS = [
    Column("claim_id", ("id",)),
    Column("claim_quote", ("quote",)),
    Column("claim_statement", ("statement",)),
    Column("article_title", ("article__title",)),
    Column("article_url", ("article__source_url",)),
    Column("topic", ("topic",)),
    Column("population", ("population",)),
    Column("claim_status", ("status",)),
    Column("consensus_strength", ("status", "consensus__evidence_strength"), if_finalized),
    Column("consensus_verdict", ("status", "consensus__verdict"), if_finalized),
    Column("consensus_rationale", ("status", "consensus__rationale"), if_finalized),
    Column("rating_count", ("id",), rating_count),
    Column("marketing_flags", ("flag_bits",), marketing_flags),
    *(Column(name, ("id",), study_cell(n)) for n, name in enumerate(STUDY_COLUMNS)),
    # Added after the others: whether the published consensus is a demonstration review's.
    Column("demonstration_consensus", ("status", "consensus__decided_by_id"), consensus_by_demonstration_account),
    # Added after those: the automatic reading of the claim (never a reviewer's judgement) and
    # whether its wording outruns its evidence (the overclaim filter's facet).
    Column("wording_strength", ("wording_strength",)),
    Column("wording_cues", ("wording_cues",), cue_texts),
    Column("evidence_hint", ("evidence_hint",)),
    Column("evidence_cues", ("evidence_cues",), cue_texts),
    Column("overclaim", ("overclaim",)),
]
CLAIM = {column.name: column for column in CLAIM_COLUMNS}

# Appended after every earlier column, so that readers of the older files keep working.
# (ratings.csv repeats CLAIM_COLUMNS before its own columns; it is left as it was.)
CLAIMS = ClaimExport(
    "claims",
    [
        *CLAIM_COLUMNS,
        Column("assertion_group", ("assertion_group_id",)),
        # Added last: the slug of the substance the claim is about (?substance=), empty when none.
        Column("substance", ("substance__slug",)),
    ],
)

RATINGS = RatingExport(
    "ratings",
    claim_columns=CLAIM_COLUMNS,
    columns=[
        Column("rating_id", ("id",)),
        CLAIM["claim_id"],
        CLAIM["claim_quote"],
        CLAIM["claim_statement"],
        CLAIM["article_title"],
        CLAIM["article_url"],
        CLAIM["topic"],
        CLAIM["population"],
        Column("reviewer", ("reviewer_id",), reviewer),
        Column("evidence_strength", ("evidence_strength",)),
        Column("verdict", ("verdict",)),
        Column(
            "extrapolation_concerns",
            ("extrapolation_concerns_json",),
            joined_json,
            {"extrapolation_concerns_json": Cast("extrapolation_concerns", TextField())},
        ),
        CLAIM["marketing_flags"],
        *(CLAIM[name] for name in STUDY_COLUMNS),
        Column("notes", ("notes",)),
        Column("rated_at", ("rated_at",), None, {"rated_at": UtcIso("updated_at")}),
        CLAIM["claim_status"],
        CLAIM["consensus_strength"],
        CLAIM["consensus_verdict"],
        # Added after the first 23, which stay in place: honest agreement (docs/export.md).
        Column(
            "independent_evidence_strength",
            ("rated_blind", "blind_evidence_strength", "evidence_strength"),
            independent_value,
        ),
        Column("independent_verdict", ("rated_blind", "blind_verdict", "verdict"), independent_value),
        Column(
            "revised_after_discussion",
            ("rated_blind", "blind_evidence_strength", "blind_verdict", "evidence_strength", "verdict"),
            revised,
        ),
        Column("demonstration_review", ("reviewer_id",), by_demonstration_account),
    ],
)


def ratings_of(claims, user):
    """The ratings user may export of these claims, in the claims' order, then in the order they were made."""
    order = []
    for field in claims.query.order_by or Claim._meta.ordering:
        descending, name = field.startswith("-"), field.lstrip("-")
        order.append(("-" if descending else "") + "claim__" + name)
    return Rating.objects.exportable_to(user).filter(claim__in=claims).order_by(*order, "created_at", "id")
