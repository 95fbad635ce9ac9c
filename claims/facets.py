"""
Filter facets: what /claims/ filters on from other tables, kept on the claim row.

The public list filters claims by their consensus (``strength``, ``verdict``),
their cited studies (``design``, ``linked``) and the marketing flags that touch
them (``flag``). Asked of the related tables at request time, each of these is
a join or subquery over tens of thousands of rows at 100k claims (40–90 ms on
SQLite for ``linked`` or ``design``, mostly to count the matches; see
docs/benchmarks.md). Kept on ``claims_claim`` itself, each is an index range
read in reading order, like ``topic``, and the count comes from the index.

The columns are derived data, never edited:

- ``linked``: the claim cites a study with a DOI, PMID or URL.
- ``finalized_strength`` / ``finalized_verdict``: the consensus, only while the
  claim is finalized (the blinding rule); '' otherwise.
- ``design_bits``: one bit per StudyDesign among the cited studies (DESIGN_BITS).
- ``flag_bits``: one bit per MarketingCategory among the confirmed flags that
  touch the claim (linked to it or overlapping its quote; FLAG_BITS).

``refresh(claims)`` recomputes them for a queryset of claims in one UPDATE from
the definitions below, the only place the rules live. Model signals
(claims/signals.py) call it whenever a claim, citation, study, consensus or
flag is saved or deleted, in the same transaction; the paths that write
without signals (the importer's bulk inserts, seed_synthetic, load_corpus's
fixtures) call it for what they wrote. ``stale(claims)`` lists the claims whose stored columns differ from the
definitions: the test suite checks it is empty after every test, and
``manage.py refresh_facets --check`` does the same on a live database.

Bits are fixed per value, not derived from the order of the choices, so
reordering or adding a choice never changes the meaning of stored bits. A new
choice needs a new bit here (a test checks every choice has one).
"""

from functools import reduce
from operator import or_

from django.db import connections, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from . import policy
from .models import FACET_COLUMNS, MarketingCategory, StudyDesign

DESIGN_BITS = {
    StudyDesign.SYSTEMATIC_REVIEW: 1 << 0,
    StudyDesign.RCT: 1 << 1,
    StudyDesign.NON_RANDOMISED: 1 << 2,
    StudyDesign.COHORT: 1 << 3,
    StudyDesign.CASE_CONTROL: 1 << 4,
    StudyDesign.CROSS_SECTIONAL: 1 << 5,
    StudyDesign.CASE_SERIES: 1 << 6,
    StudyDesign.ANIMAL: 1 << 7,
    StudyDesign.IN_VITRO: 1 << 8,
    StudyDesign.NARRATIVE_REVIEW: 1 << 9,
    StudyDesign.EXPERT_OPINION: 1 << 10,
    StudyDesign.UNKNOWN: 1 << 11,
}

FLAG_BITS = {
    MarketingCategory.DISEASE_CLAIM: 1 << 0,
    MarketingCategory.ABSOLUTE: 1 << 1,
    MarketingCategory.HYPE: 1 << 2,
    MarketingCategory.APPEAL_TO_NATURE: 1 << 3,
    MarketingCategory.VAGUE_AUTHORITY: 1 << 4,
    MarketingCategory.PRODUCT_PROMOTION: 1 << 5,
    MarketingCategory.FEAR_URGENCY: 1 << 6,
    MarketingCategory.CAUSAL_OVERREACH: 1 << 7,
}


def _bits(queryset, field, bits):
    """The OR of `bits[value of field]` over queryset's rows, for each outer claim (0 when none)."""
    bit = Case(*(When(**{field: value}, then=Value(b)) for value, b in bits.items()), default=Value(0))
    # Distinct bits summed are their OR. A plain SQL function rather than Sum(): no GROUP BY,
    # so the subquery is one row over all of the outer claim's rows.
    total = queryset.order_by().annotate(_bits=Func(bit, template="SUM(DISTINCT %(expressions)s)")).values("_bits")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def definitions(claim_model):
    """Column name -> expression computing it for the claims of an outer query on claim_model."""
    apps = claim_model._meta.apps
    Citation = apps.get_model("claims", "Citation")
    MarketingFlag = apps.get_model("claims", "MarketingFlag")

    citations = Citation.objects.filter(claim_id=OuterRef("pk"))
    has_link = ~Q(study__doi="", study__pmid="", study__url="")
    # policy.flag_touches_claim_q: linked to the claim or overlapping its quote; public flags only.
    outer = (OuterRef(name) for name in ("pk", "article_id", "start", "end"))
    touching = MarketingFlag.objects.filter(state=policy.PUBLIC_FLAG_STATE).filter(policy.flag_touches_claim_q(*outer))
    finalized = policy.published_consensus_q()
    return {
        "linked": Exists(citations.filter(has_link)),
        "finalized_strength": Case(When(finalized, then=F("consensus__evidence_strength")), default=Value("")),
        "finalized_verdict": Case(When(finalized, then=F("consensus__verdict")), default=Value("")),
        "design_bits": _bits(citations, "study__design", DESIGN_BITS),
        "flag_bits": _bits(touching, "category", FLAG_BITS),
    }


def refresh(claims):
    """
    Recompute the facet columns of `claims` (a queryset) in one UPDATE; returns the number of rows.

    The rows are locked first, in id order, and only then computed: two
    transactions that change the same claim (one cites a linked study, the
    other an unlinked one) each refresh it after their write, and the second
    waits for the first to commit, so its UPDATE, a new statement, sees both
    writes. Without the lock, PostgreSQL would re-run the second UPDATE on the
    locked row with the subqueries still reading the old snapshot, and keep the
    first write out of the facets. (SQLite has one writer at a time.)
    """
    features = connections[claims.db].features
    with transaction.atomic(using=claims.db):
        if features.has_select_for_update:
            # NO KEY: rows that only point at the claim (a new rating) need not wait.
            lock = claims.order_by("pk").select_for_update(no_key=features.has_select_for_no_key_update)
            list(lock.values_list("pk", flat=True))
        return _update(claims)


def _update(claims):
    exprs = definitions(claims.model)
    # The consensus columns read a join; UPDATE cannot join, so they are subqueries on the claim's own row.
    same_claim = claims.model.objects.filter(pk=OuterRef("pk"))
    values = {
        name: Subquery(same_claim.annotate(_v=expr).values("_v")[:1]) if name.startswith("finalized_") else expr
        for name, expr in exprs.items()
    }
    return claims.order_by().update(**values)


def stale(claims):
    """Ids of the claims in `claims` whose stored facet columns differ from their definitions."""
    exprs = definitions(claims.model)
    annotated = claims.order_by().annotate(**{f"_want_{name}": expr for name, expr in exprs.items()})
    differs = reduce(or_, (~Q(**{name: F(f"_want_{name}")}) for name in FACET_COLUMNS))
    return list(annotated.filter(differs).values_list("pk", flat=True).order_by("pk"))


def has_design(value):
    """A filter() condition: the claim cites a study of design `value`."""
    return GreaterThan(F("design_bits").bitand(DESIGN_BITS[value]), 0)


def has_flag(category=None):
    """A filter() condition: a confirmed flag of `category` (of any category if None) touches the claim."""
    if category is None:
        return GreaterThan(F("flag_bits"), 0)
    return GreaterThan(F("flag_bits").bitand(FLAG_BITS[category]), 0)
