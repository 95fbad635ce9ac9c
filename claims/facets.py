"""
Filter facets: what /claims/ filters on from other tables, kept on the claim row.

The public list filters claims by their consensus (``strength``, ``verdict``),
their cited studies (``design``, ``linked``) and the marketing flags that touch
them (``flag``). Asked of the related tables at request time, each of these is
a join or subquery over tens of thousands of rows at 100k claims, mostly to
count the matches (figures: docs/benchmarks.md). Kept on ``claims_claim`` itself, each is an index range
read in reading order, like ``topic``, and the count comes from the index.

The columns are derived data, never edited:

- ``linked``: the claim cites a study with a DOI, PMID or URL.
- ``finalized_strength`` / ``finalized_verdict``: the consensus, only while the
  claim is finalized (the blinding rule); '' otherwise.
- ``design_bits``: one bit per StudyDesign among the cited studies (DESIGN_BITS).
- ``flag_bits``: one bit per MarketingCategory among the confirmed flags that
  touch the claim (linked to it or overlapping its quote; FLAG_BITS).
- ``overclaim``: whether the wording outruns the evidence (``_overclaim``): by
  the published consensus, or, before one, by the automatic reading.
- ``article_published``: the claim's article is published (not a draft); the
  public pages filter on it (policy.article_published_q) rather than join the
  article table, which at 100k claims turned index reads into scans.

Everything about them lives in this module, and nothing else restates it:

- ``DEFINITIONS``: how each column is computed (the column list, ``COLUMNS``,
  is its keys; the Claim model declares the fields and reads ``COLUMNS``);
- ``WATCHED``: which writes affect which claims. ``connect()`` (called by the
  app's ready()) turns it into signal receivers that refresh those claims in
  the same transaction as the write;
- ``refresh(claims)``: recompute a queryset of claims in one UPDATE;
- ``refreshing(claims)``: the context for writers that bypass signals (bulk
  inserts, fixture loading): ``with facets.refreshing(claims): ...`` refreshes
  the claims once the block is done;
- ``stale(claims)``: the claims whose stored columns differ from the
  definitions: the test suite checks it is empty after every test, and
  ``manage.py refresh_facets --check`` does the same on a live database.

Each article keeps its /stats/ tally (claims/tallies.py), with its count of
reviewable claims beside it: the home page and /stats/ add them up instead of
counting every claim (docs/benchmarks.md, findings 8 to 10). ``refresh()``
refreshes the tallies of the claims' articles too (``refresh_articles()``),
and flag writes and claim deletions refresh their article's.

This module imports no model (it finds them through the app registry), so the
models can import it.

Bits are fixed per value, not derived from the order of the choices, so
reordering or adding a choice never changes the meaning of stored bits. A new
choice needs a new bit here (a test checks every choice has one).
"""

from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.apps import apps as global_apps
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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import policy, tallies
from .choices import (
    CAUSAL_WORDING,
    UNSUPPORTED_VERDICTS,
    WEAK_EVIDENCE_HINTS,
    WEAK_EVIDENCE_STRENGTHS,
    MarketingCategory,
    Overclaim,
    StudyDesign,
    WordingStrength,
)

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


def _citations(apps):
    return apps.get_model("claims", "Citation").objects.filter(claim_id=OuterRef("pk"))


def identified_study_q(prefix=""):
    """A study identified by a DOI, PMID or URL (prefix: the path to the study, e.g. 'study__')."""
    return ~Q(**{f"{prefix}doi": "", f"{prefix}pmid": "", f"{prefix}url": ""})


def _linked(apps):
    """The claim cites an identified study."""
    return Exists(_citations(apps).filter(identified_study_q("study__")))


def _published(field):
    def build(apps):
        # The consensus while the claim is finalized (policy.finalized_consensus_q); public() adds the article rule.
        return Case(When(policy.finalized_consensus_q(), then=F(f"consensus__{field}")), default=Value(""))

    build.__doc__ = f"The consensus {field} while the claim is finalized, else ''."
    return build


def _design_bits(apps):
    """One bit per StudyDesign among the cited studies."""
    return _bits(_citations(apps), "study__design", DESIGN_BITS)


def _flag_bits(apps):
    """One bit per category among the public flags touching the claim (policy.flag_touches_claim_q)."""
    outer = (OuterRef(name) for name in ("pk", "article_id", "start", "end"))
    flags = apps.get_model("claims", "MarketingFlag").objects.filter(state=policy.PUBLIC_FLAG_STATE)
    return _bits(flags.filter(policy.flag_touches_claim_q(*outer)), "category", FLAG_BITS)


def _overclaim(apps):
    """
    'reviewed' when the consensus shows the wording outruns the evidence: direct causal
    wording on low, very low or no evidence, or causal wording the evidence does not support;
    before a consensus, 'automatic' for direct causal wording whose paragraph invokes only weak
    evidence (WEAK_EVIDENCE_HINTS); else ''. Reads the consensus only while the claim is
    finalized (the blinding rule), like finalized_strength; public() adds the article rule
    (article_published).
    """
    published = policy.finalized_consensus_q()
    reviewed = published & (
        Q(wording_strength=WordingStrength.DIRECT_CAUSAL, consensus__evidence_strength__in=WEAK_EVIDENCE_STRENGTHS)
        | Q(wording_strength__in=CAUSAL_WORDING, consensus__verdict__in=UNSUPPORTED_VERDICTS)
    )
    automatic = ~published & Q(wording_strength=WordingStrength.DIRECT_CAUSAL, evidence_hint__in=WEAK_EVIDENCE_HINTS)
    return Case(
        When(reviewed, then=Value(Overclaim.REVIEWED)),
        When(automatic, then=Value(Overclaim.AUTOMATIC)),
        default=Value(""),
    )


def _article_published(apps):
    """The claim's article is published (policy.published_articles_q)."""
    articles = apps.get_model("claims", "Article").objects.filter(pk=OuterRef("article_id"))
    return Exists(articles.filter(policy.published_articles_q()))


# Column name -> function of an app registry giving the expression that computes it.
DEFINITIONS = {
    "linked": _linked,
    "finalized_strength": _published("evidence_strength"),
    "finalized_verdict": _published("verdict"),
    "design_bits": _design_bits,
    "flag_bits": _flag_bits,
    "overclaim": _overclaim,
    "article_published": _article_published,
}
# Columns whose definition joins the consensus: an UPDATE cannot join, so they are computed
# in a subquery on the claim's own row.
_JOINED = {"finalized_strength", "finalized_verdict", "overclaim"}
COLUMNS = tuple(DEFINITIONS)


def _build(model, builders):
    """Column name -> expression, from `builders` (column -> function of the app registry)."""
    return {name: build(model._meta.apps) for name, build in builders.items()}


def definitions(claim_model):
    """Column name -> expression computing it for the claims of an outer query on claim_model."""
    return _build(claim_model, DEFINITIONS)


def _stale(rows, exprs):
    """Ids of `rows` (a queryset) whose stored columns differ from `exprs` (column -> expression)."""
    annotated = rows.order_by().annotate(**{f"_want_{name}": expr for name, expr in exprs.items()})
    differs = reduce(or_, (~Q(**{name: F(f"_want_{name}")}) for name in exprs))
    return list(annotated.filter(differs).values_list("pk", flat=True).order_by("pk"))


def refresh_articles(articles):
    """Refresh the /stats/ tallies of `articles` (a queryset; claims/tallies.py)."""
    return tallies.refresh(articles)


def _articles_of(claims):
    Article = claims.model._meta.apps.get_model("claims", "Article")
    return Article.objects.filter(pk__in=claims.order_by().values("article_id"))


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
        count = _update(claims)
        refresh_articles(_articles_of(claims))
        return count


def _update(claims):
    exprs = definitions(claims.model)
    # The consensus columns read a join; UPDATE cannot join, so they are subqueries on the claim's own row.
    same_claim = claims.model.objects.filter(pk=OuterRef("pk"))
    values = {
        name: Subquery(same_claim.annotate(_v=expr).values("_v")[:1]) if name in _JOINED else expr
        for name, expr in exprs.items()
    }
    return claims.order_by().update(**values)


def stale(claims):
    """Ids of the claims in `claims` whose stored facet columns differ from their definitions."""
    return _stale(claims, definitions(claims.model))


def has_design(value):
    """A filter() condition: the claim cites a study of design `value`."""
    return GreaterThan(F("design_bits").bitand(DESIGN_BITS[value]), 0)


def has_flag(category=None):
    """A filter() condition: a confirmed flag of `category` (of any category if None) touches the claim."""
    if category is None:
        return GreaterThan(F("flag_bits"), 0)
    return GreaterThan(F("flag_bits").bitand(FLAG_BITS[category]), 0)


@contextmanager
def refreshing(claims):
    """
    For writers that bypass model signals (bulk_create, QuerySet.update,
    fixture loading): refresh `claims` (a queryset, evaluated at the end, so it
    may name rows the block creates) once the block has run, in its transaction.
    """
    with transaction.atomic(using=claims.db):
        yield
        refresh(claims)


# --------------------------------------------------------------------------
# Which writes affect which claims. Each entry: the model written, and a
# function of the written instance giving the claims to refresh (a Q on
# claims), or None when the write cannot change a facet.

# Claim fields the facets, and its article's /stats/ tally (claims/tallies.py: by topic and
# substance too), depend on; a claim save that writes none of them changes nothing.
_CLAIM_INPUTS = {
    "status",
    "start",
    "end",
    "article",
    "article_id",
    "topic",
    "substance",
    "substance_id",
    "wording_strength",
    "evidence_hint",
    *COLUMNS,
}


def _claim_saved(instance, update_fields=None, **kwargs):
    # A full save also writes the instance's facet columns, which may be stale.
    if update_fields is None or _CLAIM_INPUTS & set(update_fields):
        return Q(pk=instance.pk)
    return None


def _article_totals_of_claim(sender, instance, raw=False, **kwargs):
    """
    After a claim is deleted, its article's totals; after it moved to another article, the
    totals of the one it left. (A save that changes the claim's status or article refreshes
    its facets, and with them its current article's totals.)
    """
    if raw:
        return
    if kwargs.get("signal") is post_save:
        loaded = getattr(instance, "_loaded_article_id", None)
        ids = {loaded} if loaded is not None and loaded != instance.article_id else set()
        instance._loaded_article_id = instance.article_id
    else:
        ids = {instance.article_id}
    if ids:
        refresh_articles(sender._meta.apps.get_model("claims", "Article").objects.filter(pk__in=ids))


def _of_its_claim(instance, **kwargs):
    return Q(pk=instance.claim_id)


def _study_saved(instance, created=False, **kwargs):
    if created:  # cited by nothing yet
        return None
    Citation = type(instance)._meta.apps.get_model("claims", "Citation")
    return Q(pk__in=Citation.objects.filter(study_id=instance.pk).values("claim_id"))


def _touched_by(flag):
    return Q(pk=flag.claim_id) | Q(article_id=flag.article_id, start__lt=flag.end, end__gt=flag.start)


def _article_saved(instance, created=False, update_fields=None, **kwargs):
    # A new article has no claims yet; a save that leaves published_at alone changes nothing.
    if created or (update_fields is not None and "published_at" not in update_fields):
        return None
    return Q(article_id=instance.pk)


def _flag_written(instance, **kwargs):
    before = getattr(instance, "_facets_touched_before", None)
    return _touched_by(instance) | before if before is not None else _touched_by(instance)


WATCHED = [
    ("Article", post_save, _article_saved),
    ("Claim", post_save, _claim_saved),
    ("Citation", post_save, _of_its_claim),
    ("Citation", post_delete, _of_its_claim),
    ("Consensus", post_save, _of_its_claim),
    ("Consensus", post_delete, _of_its_claim),
    ("Study", post_save, _study_saved),
    ("MarketingFlag", post_save, _flag_written),
    ("MarketingFlag", post_delete, _flag_written),
]


def _refresh_for(affected):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:  # fixture loading: the loader refreshes what it loaded (refreshing())
            return
        claims = affected(instance, **kwargs)
        if claims is not None:
            refresh(sender._meta.apps.get_model("claims", "Claim").objects.filter(claims))

    return receiver


def _article_totals_of_article(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """
    A full save of an article writes the totals it loaded, which may be stale: refresh them.
    Publishing or unpublishing it adds its /stats/ tally to the site's sums or takes it out
    (claims/tallies.py), whether or not it has claims to refresh; so does creating it
    published (the site's sums count its articles).
    """
    if raw:
        return
    if created:
        changed = policy.article_is_public(instance)
    else:
        changed = update_fields is None or "published_at" in update_fields
    if changed:
        refresh_articles(sender.objects.filter(pk=instance.pk))


def _tally_of_deleted_article(sender, instance, **kwargs):
    # Sent inside the deletion's transaction, and only once nothing protects the article.
    tallies.forget(sender.objects.filter(pk=instance.pk))


def _article_totals_of_flag(sender, instance, raw=False, **kwargs):
    """
    After a flag is saved or deleted: the totals of its article (and of the one it left),
    when the write can change them: a confirmed flag created, deleted, moved, or a state change.
    """
    if raw:
        return
    confirmed = instance.state == policy.PUBLIC_FLAG_STATE
    before = getattr(instance, "_facets_before", None)  # (article_id, state) before a save, or None
    if kwargs.get("signal") is post_delete or before is None:
        ids = {instance.article_id} if confirmed else set()
    elif before != (instance.article_id, instance.state):
        ids = {instance.article_id, before[0]}
    else:
        ids = set()
    if ids:
        refresh_articles(sender._meta.apps.get_model("claims", "Article").objects.filter(pk__in=ids))


def _remember_flag_span(sender, instance, raw=False, **kwargs):
    # A flag that moves stops touching the claims it touched: remember them before the save.
    instance._facets_touched_before = None
    instance._facets_before = None
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).only("claim_id", "article_id", "start", "end", "state").first()
    if before is not None:
        instance._facets_before = (before.article_id, before.state)
    if before is not None and (before.claim_id, before.article_id, before.start, before.end) != (
        instance.claim_id,
        instance.article_id,
        instance.start,
        instance.end,
    ):
        instance._facets_touched_before = _touched_by(before)


def _tally_of_rating(sender, instance, raw=False, **kwargs):
    """
    A rating saved or deleted on a finalized claim changes its article's agreement tally
    (claims/tallies.py). Ratings of claims under review count in no tally: blinded, and
    the claim's finalizing refreshes its article.
    """
    if raw:
        return
    Claim = sender._meta.apps.get_model("claims", "Claim")
    finalized = Claim.objects.filter(policy.finalized_claims_q(), pk=instance.claim_id)
    article_id = finalized.values_list("article_id", flat=True).first()
    if article_id is not None:
        tallies.refresh(sender._meta.apps.get_model("claims", "Article").objects.filter(pk=article_id))


def _citations_added(sender, instance, action, reverse, pk_set, **kwargs):
    """
    claim.studies.add() and study.claims.add() write Citation rows in bulk, without
    saves. (remove() and clear() delete them one by one, so post_delete covers those.)
    """
    if action != "post_add":
        return
    Claim = sender._meta.apps.get_model("claims", "Claim")
    refresh(Claim.objects.filter(pk__in=pk_set or []) if reverse else Claim.objects.filter(pk=instance.pk))


def connect(apps=global_apps):
    """Connect the receivers that keep the facets true on every write (ClaimsConfig.ready)."""
    for n, (model_name, signal, affected) in enumerate(WATCHED):
        model = apps.get_model("claims", model_name)
        signal.connect(_refresh_for(affected), sender=model, weak=False, dispatch_uid=f"facets-watched-{n}")
    flag = apps.get_model("claims", "MarketingFlag")
    pre_save.connect(_remember_flag_span, sender=flag, dispatch_uid="facets-flag-span")
    article = apps.get_model("claims", "Article")
    post_save.connect(_article_totals_of_article, sender=article, dispatch_uid="facets-article-totals-article")
    pre_delete.connect(_tally_of_deleted_article, sender=article, dispatch_uid="facets-tally-deleted-article")
    claim = apps.get_model("claims", "Claim")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_article_totals_of_claim, sender=claim, dispatch_uid=f"facets-article-totals-claim-{name}")
        signal.connect(_article_totals_of_flag, sender=flag, dispatch_uid=f"facets-article-totals-flag-{name}")
    rating = apps.get_model("claims", "Rating")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_tally_of_rating, sender=rating, dispatch_uid=f"facets-tally-rating-{name}")
    through = apps.get_model("claims", "Claim").studies.through
    m2m_changed.connect(_citations_added, sender=through, dispatch_uid="facets-citations-m2m")
