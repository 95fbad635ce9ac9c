"""
The CSV exports (issue 8): ratings, one row per rating, and claims, one row per claim.

Each export is declared once below as a list of columns: its header, the
database fields it reads and how the cell is made from them. One writer
streams every export, for the public URLs and the admin actions alike:

- rows come from ``values_list(...).iterator(chunk_size=CHUNK_SIZE)``: no model
  instances, and memory bounded by one chunk whatever the number of rows;
- multi-valued cells (a claim's studies, its marketing flags, its rating count)
  are fetched once per chunk for the claims in it, so the number of queries
  follows the number of chunks, never the number of rows;
- ``csv.writer`` (Python's defaults: RFC 4180 quoting) writes into a
  pseudo-buffer and each chunk goes out as one piece of a StreamingHttpResponse;
- every text cell a spreadsheet would run as a formula is neutralised.

Who sees which ratings is Rating.objects.exportable_to; who sees usernames
rather than pseudonyms is ExportRun.sees_usernames. What each column means:
docs/export.md.
"""

import csv
import datetime
from collections import defaultdict
from collections.abc import Callable
from itertools import batched
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .models import Citation, Claim, ClaimStatus, MarketingFlag, Rating, ReviewerPseudonym, is_lead

CHUNK_SIZE = 2000
SEPARATOR = "; "
# OWASP "CSV Injection": a cell starting with one of these is a formula to a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FINALIZED = ClaimStatus.FINALIZED.value


def neutralise(cell):
    """Prefix a text cell that a spreadsheet would read as a formula with ' so it stays text."""
    if cell.__class__ is str and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


class Column(NamedTuple):
    """One CSV column: its header, the fields (values_list paths) it reads, how its cell is made."""

    name: str
    reads: tuple[str, ...]
    # cell(run, *values) -> the cell; None writes the single field's value as it is (None as empty).
    cell: Callable | None = None
    # A per-chunk lookup the cell uses: "studies", "flags" or "rating_counts".
    lookup: str | None = None


class ExportRun:
    """One export for one user: who is asking, and the per-chunk lookups of multi-valued cells."""

    def __init__(self, user):
        self.user = user
        self.user_id = user.pk if user.is_authenticated else None
        # Lead reviewers and superusers see who rated what; everyone else sees
        # pseudonyms, except on their own ratings.
        self.sees_usernames = is_lead(user)
        self.studies = {}
        self.flags = {}
        self.rating_counts = {}
        self._late_pseudonyms = {}

    def load(self, lookups, claim_ids):
        if "studies" in lookups:
            self.studies = study_cells(claim_ids)
        if "flags" in lookups:
            self.flags = flag_cells(claim_ids)
        if "rating_counts" in lookups:
            self.rating_counts = dict(
                Rating.objects.exportable_to(self.user)
                .filter(claim_id__in=claim_ids)
                .order_by()
                .values_list("claim_id")
                .annotate(count=Count("id"))
            )

    def pseudonym(self, reviewer_id, number):
        if number is None:
            # A reviewer whose first rating arrived after the export started.
            if reviewer_id not in self._late_pseudonyms:
                ReviewerPseudonym.objects.assign_missing()
                self._late_pseudonyms[reviewer_id] = ReviewerPseudonym.objects.get(user_id=reviewer_id).number
            number = self._late_pseudonyms[reviewer_id]
        return ReviewerPseudonym.label(number)


STUDY_FIELDS = ("study__citation", "study__url", "study__doi", "study__pmid", "study__design")
NO_STUDIES = ("",) * len(STUDY_FIELDS)


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
    for claim_id, *study in rows:
        per_claim[claim_id].append(study)
    return {
        claim_id: tuple(SEPARATOR.join(values) if any(values) else "" for values in zip(*studies, strict=True))
        for claim_id, studies in per_claim.items()
    }


def flag_cells(claim_ids):
    """{claim id: its confirmed marketing flags' categories, distinct, alphabetical, joined with '; '}."""
    per_claim = defaultdict(set)
    rows = (
        MarketingFlag.objects.confirmed().filter(claim_id__in=claim_ids).order_by().values_list("claim_id", "category")
    )
    for claim_id, category in rows:
        per_claim[claim_id].add(category)
    return {claim_id: SEPARATOR.join(sorted(categories)) for claim_id, categories in per_claim.items()}


# --------------------------------------------------------------------------
# Cells


def joined(run, values):
    return SEPARATOR.join(values) if values else ""


def utc_iso(run, moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def if_finalized(run, status, value):
    # A consensus counts only once the claim is finalized (a reopened claim keeps its row).
    return value if status == FINALIZED else ""


def reviewer(run, reviewer_id, username, pseudonym_number):
    if run.sees_usernames or reviewer_id == run.user_id:
        return username
    return run.pseudonym(reviewer_id, pseudonym_number)


def study_columns(claim_key):
    names = ("study_citations", "study_urls", "study_dois", "study_pmids", "study_designs")
    return [
        Column(name, (claim_key,), lambda run, claim_id, n=n: run.studies.get(claim_id, NO_STUDIES)[n], "studies")
        for n, name in enumerate(names)
    ]


def flags_column(claim_key):
    return Column("marketing_flags", (claim_key,), lambda run, claim_id: run.flags.get(claim_id, ""), "flags")


# --------------------------------------------------------------------------
# The exports


class Export:
    """A CSV export declared by its columns; streams a queryset of its model as CSV."""

    def __init__(self, name, columns, claim_key):
        self.name = name
        self.columns = tuple(columns)
        self.header = [column.name for column in self.columns]
        # The claim id comes first: per-chunk lookups are keyed on it.
        self.fields = list(dict.fromkeys([claim_key, *(path for column in self.columns for path in column.reads)]))
        self.lookups = {column.lookup for column in self.columns if column.lookup}
        self.pseudonymises = any(column.cell is reviewer for column in self.columns)

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
        """The CSV text, header first, in pieces of one chunk of rows each."""
        run = ExportRun(user)
        if self.pseudonymises and not run.sees_usernames:
            # Before the first byte, so a failure is an error response, not a truncated file.
            ReviewerPseudonym.objects.assign_missing()
        return self._pieces(queryset, run)

    def _pieces(self, queryset, run):
        buffer = PseudoBuffer()
        writer = csv.writer(buffer)
        writer.writerow(self.header)
        yield buffer.take()
        cells = self._cell_getters(run)
        rows = queryset.values_list(*self.fields).iterator(chunk_size=CHUNK_SIZE)
        for chunk in batched(rows, CHUNK_SIZE):
            run.load(self.lookups, {row[0] for row in chunk})
            writer.writerows([neutralise(cell(row)) for cell in cells] for row in chunk)
            yield buffer.take()

    def _cell_getters(self, run):
        """For each column, a function of a values_list row giving its cell."""
        position = {path: n for n, path in enumerate(self.fields)}
        getters = []
        for column in self.columns:
            pick = itemgetter(*(position[path] for path in column.reads))
            if column.cell is None:
                getters.append(pick)
            elif len(column.reads) == 1:
                getters.append(lambda row, cell=column.cell, pick=pick: cell(run, pick(row)))
            else:
                getters.append(lambda row, cell=column.cell, pick=pick: cell(run, *pick(row)))
        return getters


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


RATINGS = Export(
    "ratings",
    claim_key="claim_id",
    columns=[
        Column("rating_id", ("id",)),
        Column("claim_id", ("claim_id",)),
        Column("claim_quote", ("claim__quote",)),
        Column("claim_statement", ("claim__statement",)),
        Column("article_title", ("claim__article__title",)),
        Column("article_url", ("claim__article__source_url",)),
        Column("topic", ("claim__topic",)),
        Column("population", ("claim__population",)),
        Column("reviewer", ("reviewer_id", "reviewer__username", "reviewer__pseudonym__number"), reviewer),
        Column("evidence_strength", ("evidence_strength",)),
        Column("verdict", ("verdict",)),
        Column("extrapolation_concerns", ("extrapolation_concerns",), joined),
        flags_column("claim_id"),
        *study_columns("claim_id"),
        Column("notes", ("notes",)),
        Column("rated_at", ("updated_at",), utc_iso),
        Column("claim_status", ("claim__status",)),
        Column("consensus_strength", ("claim__status", "claim__consensus__evidence_strength"), if_finalized),
        Column("consensus_verdict", ("claim__status", "claim__consensus__verdict"), if_finalized),
    ],
)

CLAIMS = Export(
    "claims",
    claim_key="id",
    columns=[
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
        Column("rating_count", ("id",), lambda run, claim_id: run.rating_counts.get(claim_id, 0), "rating_counts"),
        flags_column("id"),
        *study_columns("id"),
    ],
)


def ratings_of(claims, user):
    """The ratings user may export of these claims, in the claims' order, then in the order they were made."""
    order = []
    for field in claims.query.order_by or Claim._meta.ordering:
        descending, name = field.startswith("-"), field.lstrip("-")
        order.append(("-" if descending else "") + "claim__" + name)
    return Rating.objects.exportable_to(user).filter(claim__in=claims).order_by(*order, "created_at", "id")
