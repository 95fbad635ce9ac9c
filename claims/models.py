"""
The evidence domain: articles, the claims they make, the studies they cite,
reviewers' ratings, the lead reviewer's consensus, and marketing-language flags.

Deletes that would silently lose reviewers' work are refused (PROTECT): an
article with claims, a claim with ratings or a consensus, a study still cited.
"""

import bisect
import difflib
import hashlib
import re
import time
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import facets, policy, tallies
from . import search as fulltext
from .choices import (
    EVIDENCE_STRENGTH_MEANING,
    MARKETING_CATEGORY_MEANING,
    UNDER_REVIEW_KEY,
    VERDICT_MEANING,
    CitationOrigin,
    ClaimStatus,
    EvidenceHint,
    EvidenceStrength,
    Extrapolation,
    FlagSource,
    FlagState,
    MarketingCategory,
    MatchState,
    Overclaim,
    Population,
    SourceKind,
    StudyDesign,
    Topic,
    Verdict,
    WordingStrength,
    evidence_phrase,
)
from .policy import is_reviewer
from .urlcache import cached_reverse

# --------------------------------------------------------------------------
# Identifiers: DOI and PMID, validated and normalised

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
PMID_PREFIXES = (
    "https://pubmed.ncbi.nlm.nih.gov/",
    "http://pubmed.ncbi.nlm.nih.gov/",
    "https://www.ncbi.nlm.nih.gov/pubmed/",
    "pmid:",
)


def normalize_doi(value):
    """Return the bare DOI ('10.1234/abc') from a DOI, 'doi:' form or doi.org URL, or raise."""
    value = (value or "").strip()
    if not value:
        return ""
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    if not DOI_RE.match(value):
        raise ValidationError(
            "“%(value)s” is not a DOI. A DOI starts with 10., a registrant code of 4–9 "
            "digits and a slash, e.g. 10.1113/jphysiol.2010.123456.",
            code="invalid_doi",
            params={"value": value},
        )
    return value


def normalize_pmid(value):
    """Return the bare PubMed id ('12345678') from an id, 'PMID:' form or PubMed URL, or raise."""
    value = (value or "").strip()
    if not value:
        return ""
    lowered = value.lower()
    for prefix in PMID_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :].strip().rstrip("/")
            break
    if not PMID_RE.match(value):
        raise ValidationError(
            "“%(value)s” is not a PubMed id. A PMID is a number of 1 to 9 digits, e.g. 20375220, "
            "or a pubmed.ncbi.nlm.nih.gov link.",
            code="invalid_pmid",
            params={"value": value},
        )
    return value


# --------------------------------------------------------------------------
# Models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ArticleQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_synthetic=False)

    def public(self):
        """Articles anyone may see: published ones (policy.published_articles_q), not drafts."""
        return self.filter(policy.published_articles_q())

    def drafts(self):
        return self.exclude(policy.published_articles_q())


# A newest-first search reads its matches among this many newest claim ids first
# (ClaimQuerySet.first_ids): about the whole database at 100,000 claims, a tenth at 1,000,000.
SEARCH_WINDOW = 100_000

# Derived by claims/tallies.py; never edited, not kept in history.
TALLY_FIELDS = [
    "stats_tally",
    "tally_counted",
    "reviewable_claim_count",
    "overclaim_claim_count",
    "rated_claim_count",
    "paired_claim_count",
]


class Article(TimeStamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="Where the article was published, when known. Never guessed."
    )
    publisher = models.CharField(max_length=200, blank=True, help_text="Site or brand that published it.")
    source_file = models.CharField(max_length=255, blank=True, help_text="File the text was imported from.")
    retrieved_on = models.DateField(null=True, blank=True, help_text="When the page was captured, if known.")
    author = models.CharField(max_length=200, blank=True, help_text="Who wrote it, as the page states; never guessed.")
    published_on = models.DateField(
        null=True, blank=True, help_text="When the page says it was published; never guessed."
    )
    text = models.TextField(help_text="Full text exactly as imported; claim offsets index into it.")
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the text; stops duplicate imports."
    )
    # The text's bottom-k MinHash sketch (analysis/resemblance.py): how an import tells a changed
    # page from a new one without reading every article's text. Derived, never edited.
    fingerprint = models.JSONField(default=list, db_default=[], blank=True, editable=False)
    # Regulatory boilerplate found on the page by the importer (analysis/disclaimers.py):
    # [{kind, label, text, start, end}], offsets into `text`. Recorded, not hidden: it matters to a regulator.
    disclaimers = models.JSONField(default=list, db_default=[], blank=True, editable=False)
    # Unknown (None) until someone says: the public page claims nothing either way until then.
    promotes_product = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text="The page promotes a product its publisher sells (blank: not known).",
    )
    is_synthetic = models.BooleanField(default=False, editable=False, help_text="Made by seed_synthetic.")
    # A page that changed after it was reviewed is imported as a new version of the old one
    # (import_article --new-version-of): one successor each, so versions form a line.
    previous_version = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
        help_text="The earlier version of this page, whose reviewed claims this one takes over when published.",
    )
    # Null while the article is a draft: an import is seen by reviewers alone until a lead publishes it.
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a lead reviewer published it; empty for a draft."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The lead reviewer who published it.",
    )

    # The /stats/ page's figures for this article (claims/tallies.py), refreshed on every write
    # to its claims, flags and finalized ratings: the page adds them up over the published
    # articles rather than reading every rating.
    stats_tally = models.JSONField(default=dict, db_default={}, editable=False)
    # Whether stats_tally is in the site's sums (StatsTallyRow): it is while the article is
    # published. Four of its figures as columns, for the page's rankings: its reviewable
    # claims, those that overclaim, and its finalized claims that reviewers rated, and that
    # two or more rated.
    tally_counted = models.BooleanField(default=False, db_default=False, editable=False)
    reviewable_claim_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    overclaim_claim_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rated_claim_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    paired_claim_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    # The text is kept once (content_hash names it); history records the rest.
    history = HistoricalRecords(excluded_fields=["text", "fingerprint", *TALLY_FIELDS])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # Article lists and the /claims/ article choices are in title order.
            models.Index(fields=["title", "id"], name="article_title_idx"),
            # The /stats/ rankings (claims/tallies.py): the first twenty in each order, not a
            # sort of every article.
            models.Index(fields=["-reviewable_claim_count", "title", "id"], name="article_claims_rank_idx"),
            models.Index(fields=["-paired_claim_count", "title", "id"], name="article_paired_rank_idx"),
            models.Index(
                tallies.OVERCLAIM_SHARE.desc(),
                F("reviewable_claim_count").desc(),
                F("title"),
                F("id"),
                name="article_overclaim_rank_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = self.hash_text(self.text)
        if kwargs.get("update_fields") is None and not self._state.adding:
            # The tally is what the site's /stats/ sums hold for this article: only a refresh
            # writes it (claims/tallies.py), never a save of a copy loaded before the last one.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in TALLY_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("article_detail", self.slug)

    @staticmethod
    def hash_text(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def is_published(self):
        return policy.article_is_public(self)

    def publish(self, by):
        """
        Make a draft public: its claims under review or finalized, their flags and
        published consensus join every public page and export. Lead reviewers
        only (policy.publish_refusal); the row is re-read and locked for the check,
        and the change is kept in history under `by`.

        A new version of a page first takes over the previous version's claims
        whose quote it still holds, with their ratings, consensus, citations and
        flags (carry_over_from_previous). Done here, not at import, so that the
        public keeps reading them on the old version until the new one is public,
        and claims reviewed on the old version meanwhile come along too.
        """
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=self.pk)
            policy.refuse_if(policy.publish_refusal(by, article))
            if article.previous_version_id is not None:
                article.carry_over_from_previous(by)
            article.published_at = timezone.now()
            article.published_by = by
            article._history_user = by
            article.save(update_fields=["published_at", "published_by", "updated_at"])
        self.published_at, self.published_by = article.published_at, article.published_by

    # ----------------------------------------------------------------------
    # Versions of a page

    def versions(self):
        """Every version of this page, oldest first (this one included)."""
        chain, seen = [], set()
        first = self
        while first.previous_version_id is not None and first.previous_version_id not in seen:
            seen.add(first.pk)
            first = first.previous_version
        article = first
        while article is not None:
            chain.append(article)
            article = Article.objects.filter(previous_version=article).first()
        return chain

    def carry_plan(self, new_text):
        """
        (carried, left): which of this article's claims a new version with `new_text`
        takes over, as [(claim, start, end)] with their offsets in the new text, and
        which stay here because their quote is gone. Claims are placed in reading
        order, each at the occurrence of its quote nearest to where the text before
        it has moved, so a quote the page repeats is not given to two claims.
        """
        carried, left, taken, shift = [], [], set(), 0
        for claim in self.claims.order_by("start", "pk"):
            context = context_of(self.text, claim.start, claim.end)
            found = nearest_occurrence(new_text, claim.quote, claim.start + shift, taken, context)
            if found is None:
                left.append(claim)
                continue
            taken.add((found, found + len(claim.quote)))
            shift = found - claim.start
            carried.append((claim, found, found + len(claim.quote)))
        return carried, left

    def carry_over_from_previous(self, by):
        """
        Move the previous version's claims whose quote this text still holds onto this
        article, offsets recomputed; ratings, consensus and citations belong to the
        claim and come with it. Flags whose text is still here come too, and replace
        the importer's suggestion of the same flag on the new text. Each move is a
        saved change kept in history under `by`. Called by publish(), in its transaction.
        """
        previous = self.previous_version
        carried, _left = previous.carry_plan(self.text)
        moved_by = {}  # claim id -> how far its quote moved
        shifts = []  # (old start, how far the text there moved), in reading order
        for claim, start, end in carried:
            moved_by[claim.pk] = start - claim.start
            shifts.append((claim.start, start - claim.start))
            # A suggestion of the same sentence on the new text (the importer should not have made one) gives way.
            self.claims.filter(status=ClaimStatus.SUGGESTED, start=start, end=end).exclude(pk=claim.pk).delete()
            claim.article, claim.start, claim.end = self, start, end
            claim._history_user = by
            claim._change_reason = f"Carried over to the new version “{self.title}” ({self.slug})."
            claim.save(update_fields=["article", "start", "end", "updated_at"])
        taken = set()
        for flag in previous.marketing_flags.order_by("start", "pk"):
            if flag.claim_id is not None and flag.claim_id not in moved_by:
                continue  # its claim stays with the old version: so does the flag
            if flag.claim_id is not None:
                shift = moved_by[flag.claim_id]
            else:  # as far as the text of the nearest carried claim before it moved
                before = bisect.bisect_right(shifts, (flag.start, float("inf"))) - 1
                shift = shifts[before][1] if before >= 0 else 0
            context = context_of(previous.text, flag.start, flag.end)
            found = nearest_occurrence(self.text, flag.text, flag.start + shift, taken, context)
            if found is None:
                continue  # its text is gone: it stays with the version it was raised on
            end = found + len(flag.text)
            taken.add((found, end))
            self.marketing_flags.filter(
                source=FlagSource.DETECTOR, state=FlagState.SUGGESTED, start=found, end=end
            ).exclude(pk=flag.pk).delete()
            flag.article, flag.start, flag.end = self, found, end
            flag._history_user = by
            flag._change_reason = f"Carried over to the new version “{self.title}” ({self.slug})."
            flag.save(update_fields=["article", "start", "end", "updated_at"])

    def changes_since_previous(self):
        """
        [(kind, before, after)]: the paragraphs added, changed and removed since the
        previous version, in reading order; kind is "added", "changed" or "removed".
        """
        if self.previous_version_id is None:
            return []
        before = paragraphs(self.previous_version.text)
        after = paragraphs(self.text)
        changes = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "delete":
                changes += [("removed", p, "") for p in before[i1:i2]]
            elif op == "insert":
                changes += [("added", "", p) for p in after[j1:j2]]
            elif op == "replace":
                old, new = before[i1:i2], after[j1:j2]
                for k in range(max(len(old), len(new))):
                    o = old[k] if k < len(old) else ""
                    n = new[k] if k < len(new) else ""
                    changes.append(("changed" if o and n else "removed" if o else "added", o, n))
        return changes


def paragraphs(text):
    """The text's paragraphs: blocks set apart by blank lines, whitespace collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def nearest_occurrence(text, quote, near, taken=(), context=("", "")):
    """
    The offset of the occurrence of `quote` in `text` whose span (start, end) is not
    in `taken`: one set in the same `context` (the characters just before and after
    it where it was) first, so a sentence is not found inside a longer one that
    repeats it; then the one nearest to `near`. None if there is none.
    """
    if not quote:
        return None
    before, after = context
    best, best_key, position = None, None, text.find(quote)
    while position != -1:
        end = position + len(quote)
        if (position, end) not in taken:
            mismatch = (text[max(0, position - len(before)) : position] != before) + (
                text[end : end + len(after)] != after
            )
            key = (mismatch, abs(position - near))
            if best_key is None or key < best_key:
                best, best_key = position, key
        if best_key is not None and best_key[0] == 0 and position - near > best_key[1]:
            break  # later occurrences are only farther
        position = text.find(quote, position + 1)
    return best


def context_of(text, start, end):
    """The characters just before and just after text[start:end], as nearest_occurrence takes them."""
    return text[max(0, start - 1) : start], text[end : end + 1]


def _pseudonym_number(rating):
    """The number of the rating's reviewer's pseudonym (select_related), or None when they have none yet."""
    try:
        return rating.reviewer.pseudonym.number
    except ObjectDoesNotExist:
        return None


class ClaimQuerySet(models.QuerySet):
    def refresh_facets(self):
        """Recompute these claims' filter facets (claims/facets.py) in one UPDATE."""
        return facets.refresh(self)

    def assign_substances(self):
        """
        Give these claims that have no substance the one their statement and quote
        name, else the one their article names most (SubstanceMatcher); returns how
        many got one. The statement counts because a quote often leaves its subject
        unsaid ("As well as controlling the stimulation of calcium in the firing
        neurons" is, by its statement, about magnesium). Raw (no history rows): for
        loaded data, as migration 0025 did.
        """
        matcher = Substance.matcher()
        changed, defaults = [], {}
        rows = self.filter(substance__isnull=True).select_related("article")
        for claim in rows.only("pk", "quote", "statement", "article__text"):
            if claim.article_id not in defaults:
                defaults[claim.article_id] = matcher.main_in(claim.article.text)
            substance = matcher.for_claim(f"{claim.statement}\n{claim.quote}", defaults[claim.article_id])
            if substance is not None:
                claim.substance = substance
                changed.append(claim)
        self.model.objects.bulk_update(changed, ["substance"], batch_size=500)
        # bulk_update sends no signal: the articles' /stats/ tallies count claims by substance.
        facets.refresh_articles(Article.objects.filter(pk__in={claim.article_id for claim in changed}))
        return len(changed)

    def record_readings(self, readings):
        """
        Store automatic readings: {claim id: (wording strength, wording cues, evidence hint,
        evidence cues)}, cues as (text, start, end). The one way readings are written (the
        importer, `manage.py refresh_readings`); the overclaim facet follows in the same
        transaction. Returns the number of claims whose reading changed.
        """
        with transaction.atomic(using=self.db):
            claims = list(self.filter(pk__in=readings).only("pk", *READING_FIELDS))
            changed = []
            for claim in claims:
                new = reading_values(readings[claim.pk])
                if new != {name: getattr(claim, name) for name in READING_FIELDS}:
                    for name, value in new.items():
                        setattr(claim, name, value)
                    changed.append(claim)
            if changed:
                with facets.refreshing(self.model.objects.filter(pk__in=[c.pk for c in changed])):
                    self.model.objects.bulk_update(changed, READING_FIELDS, batch_size=500)
            return len(changed)

    def overclaiming(self):
        """Claims whose wording outruns their evidence (the overclaim facet), reviewed or automatic."""
        return self.filter(overclaim__in=Overclaim.values)

    def public(self):
        """Claims the public may see (policy.public_claims_q): under review or finalized, of a published article."""
        return self.filter(policy.public_claims_q())

    def about(self, substance):
        """Claims about `substance` or one of its forms (and their forms): /claims/?substance=."""
        family = Substance.objects.filter(Q(pk=substance.pk) | Q(parent=substance.pk) | Q(parent__parent=substance.pk))
        return self.filter(substance__in=family.values("pk"))

    def reviewable(self):
        """Claims the review pages show (policy.reviewable_claims_q): public ones and those of drafts."""
        return self.filter(policy.reviewable_claims_q())

    def finalized(self):
        return self.filter(status=ClaimStatus.FINALIZED)

    def for_list(self):
        """
        What a claim card shows (list pages): article, consensus, cited studies
        (as a list in `cited_studies`: cheaper than a queryset per claim), nothing else.
        """
        studies = models.Prefetch(
            "studies",
            queryset=Study.objects.only("id", "citation", "design").order_by("citation", "id"),
            to_attr="cited_studies",
        )
        return (
            self.select_related("article", "consensus", "substance")
            .only(
                "id",
                "quote",
                "substance__name",
                "substance__slug",
                "start",
                "end",
                "statement",
                "topic",
                "population",
                "status",
                "article__title",
                "article__slug",
                "consensus__claim_id",
                "consensus__evidence_strength",
                "consensus__verdict",
                "wording_strength",
                "wording_cues",
                "evidence_hint",
                "evidence_cues",
                "overclaim",
            )
            .prefetch_related(studies)
        )

    def with_related(self):
        return self.select_related("article", "consensus").prefetch_related("studies")

    def search(self, text):
        """
        Claims whose quote, statement or cited studies' citations hold every word of
        text (the last word may be a prefix), through the engine's full-text index;
        see claims/search.py. Text with no words finds nothing.
        """
        words = fulltext.words(text)
        if not words:
            return self.none()
        vendor = connections[self.db].vendor
        if vendor in fulltext.RELATION:
            # A join with the claim's index row rather than `pk IN (matches)`: the index
            # streams its matches, so a page or a capped count stops early (newest_matches_first()).
            return self.filter(**{f"{fulltext.RELATION[vendor]}__document__match": fulltext.index_query(vendor, words)})
        return self._search_icontains(words)

    def search_any(self, words):
        """
        Claims whose quote, statement or cited studies hold a word starting
        with any of `words` (the matcher's stems: "reduc" finds "reduces"),
        through the full-text index: the claim matcher's candidates. No words,
        no claims.
        """
        found = fulltext.words(" ".join(words))
        vendor = connections[self.db].vendor
        if not found:
            return self.none()
        if vendor not in fulltext.RELATION:
            any_word = Q()
            for word in found:
                any_word |= Q(quote__icontains=word) | Q(statement__icontains=word)
            return self.filter(any_word)
        return self.filter(**{f"{fulltext.RELATION[vendor]}__document__match": fulltext.any_word_query(vendor, found)})

    def newest_matches_first(self):
        """
        After search(): newest claims first, in the order of the engine's index
        (its row id is the claim id), so that a page of a search matching most
        claims reads 25 index rows instead of sorting every match.
        """
        return self.order_by(f"-{self._newest_first_field()}")

    def first_ids(self, limit):
        """
        The ids of the first `limit` claims in this queryset's order.

        A search in newest-first order (newest_matches_first()) looks among the
        newest SEARCH_WINDOW claim ids first, and further back only when those
        hold fewer than `limit` matches. The engine's index names every match of
        a word wherever it is, and the database then reads each of them before it
        can sort them; at 1,000,000 claims that is ten times the rows it was at
        100,000 for the same page of results. With the window given as a number
        (not a subquery) PostgreSQL can also intersect the word's matches with
        the window's ids before reading any row (docs/benchmarks.md, "Growth").
        """
        key = self._newest_first_key()
        if key is None:
            return list(self.values_list("pk", flat=True)[:limit])
        newest = self.model._base_manager.using(self.db).aggregate(newest=models.Max("pk"))["newest"]
        if newest is None or newest <= SEARCH_WINDOW:
            return list(self.values_list("pk", flat=True)[:limit])
        bound = newest - SEARCH_WINDOW
        ids = list(self.filter(**{f"{key}__gt": bound}).values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            # Every older id is below every id of the window: appended, the order holds.
            ids += self.filter(**{f"{key}__lte": bound}).values_list("pk", flat=True)[: limit - len(ids)]
        return ids

    def _newest_first_field(self):
        """The field newest_matches_first() orders by, descending: the index row's claim id, else the id."""
        relation = fulltext.RELATION.get(connections[self.db].vendor)
        return f"{relation}__claim_id" if relation else "id"

    def _newest_first_key(self):
        """That field, if newest_matches_first() is this queryset's order; else None."""
        key = self._newest_first_field()
        return key if tuple(self.query.order_by) == (f"-{key}",) else None

    def _search_icontains(self, words):
        """Engines without a full-text index: substring match, much slower on large tables."""
        qs = self
        for word in words:
            cited = Citation.objects.filter(claim=models.OuterRef("pk"), study__citation__icontains=word)
            qs = qs.filter(Q(quote__icontains=word) | Q(statement__icontains=word) | models.Exists(cited))
        return qs

    def unrated_by(self, user):
        return self.exclude(ratings__reviewer=user)

    def with_published_strength(self):
        """
        Annotate `published_strength`: the consensus evidence strength of a finalized
        claim, else UNDER_REVIEW_KEY. The blinding rule for aggregate figures, in SQL.
        """
        finalized = policy.published_consensus_q()
        return self.annotate(
            published_strength=models.Case(
                models.When(finalized, then=models.F("consensus__evidence_strength")),
                default=models.Value(UNDER_REVIEW_KEY),
                output_field=models.CharField(),
            )
        )

    def rated_by(self, user):
        return self.filter(Exists(Rating.objects.filter(claim=OuterRef("pk"), reviewer=user)))

    def unblinded_for(self, user):
        """Claims on which `user` may see every reviewer's rating (policy.unblinded_claims_q)."""
        rated = Exists(Rating.objects.filter(claim=OuterRef("pk"), reviewer=user)) if is_reviewer(user) else Q()
        unblinded = policy.unblinded_claims_q(user, rated)
        return self if unblinded is None else self.filter(unblinded)

    def review_queue(self, user):
        """Claims under review that `user` has not rated yet, in reading order."""
        return self.filter(status=ClaimStatus.UNDER_REVIEW).unrated_by(user).order_by(*READING_ORDER)

    def review_progress(self, user, waiting=None):
        """
        {"rated": n, "total": m}: of the claims `user` can rate or has rated, how
        many they rated. Counted from their own ratings, not over every claim:
        one aggregate over all reviewable claims took 250 ms at 100,000 on
        PostgreSQL. The total is those plus the claims still waiting for them,
        the queue's count: pass it as `waiting` when the page has it already.
        """
        reviewable = self.reviewable()
        rated = Rating.objects.filter(reviewer=user, claim__in=reviewable.values("pk")).count()
        if waiting is None:
            waiting = reviewable.review_queue(user).count()
        return {"rated": rated, "total": rated + waiting}

    def after(self, claim):
        """Claims that come after `claim` in reading order (article title, article, offset, id)."""
        title, article_id, start, pk = claim.article.title, claim.article_id, claim.start, claim.pk
        return self.filter(
            Q(article__title__gt=title)
            | Q(article__title=title, article_id__gt=article_id)
            | Q(article_id=article_id, start__gt=start)
            | Q(article_id=article_id, start=start, pk__gt=pk)
        )

    def _by_rating_spread(self, spread):
        # One GROUP BY over the ratings (not the claims: grouping claims joined to
        # their article would group by the article's whole text): per claim, how
        # many ratings, and how many distinct strengths and verdicts among them.
        claim_ids = (
            Rating.objects.order_by()
            .values("claim_id")
            .annotate(
                rating_count=Count("id"),
                strength_count=Count("evidence_strength", distinct=True),
                verdict_count=Count("verdict", distinct=True),
            )
            .filter(rating_count__gte=2)
            .filter(spread)
            .values("claim_id")
        )
        return self.filter(pk__in=claim_ids)

    def in_conflict(self):
        """Claims with two or more ratings that disagree on evidence strength or verdict."""
        return self._by_rating_spread(Q(strength_count__gt=1) | Q(verdict_count__gt=1))

    def in_agreement(self):
        """Claims with two or more ratings that all agree on evidence strength and verdict."""
        return self._by_rating_spread(Q(strength_count=1, verdict_count=1))


# Reading order: articles by title, then claims as they appear in the text.
READING_ORDER = ["article__title", "article_id", "start", "id"]


READING_FIELDS = ("wording_strength", "wording_cues", "evidence_hint", "evidence_cues")


def reading_values(reading):
    """
    The READING_FIELDS values of an automatic reading (wording strength, wording cues,
    evidence hint, evidence cues; cues as (text, start, end)), as stored: for a new
    claim's constructor (the importer) and for record_readings.
    """
    strength, wording_cues, hint, evidence_cues = reading
    values = (str(strength), [list(c) for c in wording_cues], str(hint), [list(c) for c in evidence_cues])
    return dict(zip(READING_FIELDS, values, strict=True))


# --------------------------------------------------------------------------
# Vocabularies lead reviewers edit: the substances claims are about, and topics


def _aliases(text):
    """The non-blank lines of an aliases/keywords field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Substance(TimeStamped):
    """
    A supplement a claim is about: "magnesium", or a form of one ("magnesium
    glycinate", whose parent is magnesium). The importer finds it in a sentence
    by its name or aliases (analysis/importer.py); /claims/?substance=<slug>
    lists its claims and its forms'. Lead reviewers edit the list (policy.may_edit_vocabulary).
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        help_text="The substance this is a form of (magnesium glycinate: magnesium).",
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other words for it, one per line, that the importer matches as whole words (turmeric: curcumin).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A substance cannot be a form of itself or of one of its forms."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def alias_list(self):
        return _aliases(self.aliases)

    def words(self):
        """What names it in a text: its name and aliases."""
        return [self.name, *self.alias_list]

    def get_claims_url(self):
        return f"{reverse('claim_list')}?substance={self.slug}"

    @classmethod
    def counts_by_root(cls, by_id):
        """
        {substance id: claims} -> [{slug, name, n}]: the claims counted under each root
        substance (a form under its parent, as ?substance= lists them), most first. One query.
        """
        roots = Counter()
        rows = cls.objects.filter(pk__in=by_id).values_list(
            "pk", "slug", "name", "parent__slug", "parent__name", "parent__parent__slug", "parent__parent__name"
        )
        for pk, *names in rows:
            # The grandparent's slug and name, else the parent's, else its own.
            slug, name = next((names[i], names[i + 1]) for i in (4, 2, 0) if names[i] is not None)
            roots[slug, name] += by_id[pk]
        ranked = sorted(roots.items(), key=lambda item: (-item[1], item[0][1]))
        return [{"slug": slug, "name": name, "n": n} for (slug, name), n in ranked]

    @classmethod
    def matcher(cls):
        """A SubstanceMatcher over the whole table (one query)."""
        return SubstanceMatcher(cls.objects.only("pk", "name", "slug", "parent_id", "aliases"))


class SubstanceMatcher:
    """
    Finds substances in text by name or alias: whole words, any case, the
    longest words first (so "magnesium glycinate" is the form, not magnesium).
    Built once from the table (Substance.matcher()) and used for many texts.
    """

    def __init__(self, substances):
        self.substances = list(substances)
        self._by_pk = {s.pk: s for s in self.substances}
        self._by_word = {}
        for substance in self.substances:
            for word in substance.words():
                self._by_word.setdefault(" ".join(word.lower().split()), substance)
        words = sorted(self._by_word, key=len, reverse=True)
        alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None

    def found(self, text):
        """[(substance, length of the words found)], in the order `text` names them."""
        if self._pattern is None or not text:
            return []
        return [
            (self._by_word[" ".join(m.group(0).lower().split())], len(m.group(0))) for m in self._pattern.finditer(text)
        ]

    def named_in(self, text, within=None):
        """
        The substance `text` names with the longest words (a form before its parent),
        or None; with `within` (a substance), one of its family first, when named.
        """
        found = self.found(text)
        if within is not None:
            family = [f for f in found if self.root(f[0]).pk == self.root(within).pk]
            found = family or found
        best = max(found, key=lambda f: (f[1], f[0].parent_id is not None), default=None)
        return best[0] if best else None

    def root(self, substance):
        seen = set()
        while substance.parent_id and substance.parent_id in self._by_pk and substance.pk not in seen:
            seen.add(substance.pk)
            substance = self._by_pk[substance.parent_id]
        return substance

    def main_in(self, text):
        """The substance `text` names most (a form's mentions counting for its parent), or None."""
        counts = {}
        for substance, _length in self.found(text):
            root = self.root(substance)
            counts[root.pk] = counts.get(root.pk, 0) + 1
        if not counts:
            return None
        return self._by_pk[max(counts, key=lambda pk: (counts[pk], -pk))]

    def for_claim(self, quote, article_default):
        """
        A claim's substance: the one its quote names (the article's main substance or
        a form of it first: "a steady supply of melatonin, magnesium helps" is about
        magnesium in a magnesium article), else the article's main one; may be None.
        """
        return self.named_in(quote, within=article_default) or article_default


class ClaimTopic(TimeStamped):
    """
    A topic a claim is filed under. `Claim.topic` holds the slug (URLs, CSV and
    the data keep it); the label is what readers see; the keywords (regular
    expressions, one per line) are how the importer guesses a sentence's topic,
    tried in `position` order, most specific first. Seeded from choices.Topic.
    """

    slug = models.SlugField(max_length=32, unique=True)
    label = models.CharField(max_length=100)
    keywords = models.TextField(
        blank=True,
        help_text="Regular expressions, one per line, that the importer counts in a sentence "
        "(whole words, any case), e.g. migraine\\w* or nerve\\s+pain.",
    )
    position = models.PositiveIntegerField(
        default=100, help_text="Order on the page and for the importer: lower first; most specific topics first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        errors = []
        for number, line in enumerate((self.keywords or "").splitlines(), start=1):
            if line.strip():
                try:
                    re.compile(line.strip())
                except re.error as exc:
                    errors.append(f"Line {number}, “{line.strip()}”, is not a valid regular expression: {exc}.")
        if errors:
            raise ValidationError({"keywords": [*errors, "Nothing was saved."]})
        if self.pk is not None:
            old = ClaimTopic.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if old is not None and old != self.slug and Claim.objects.filter(topic=old).exists():
                raise ValidationError(
                    {"slug": f"Claims are filed under “{old}”; its slug (in their links and the CSV) cannot change."}
                )

    def claims_using(self):
        return Claim.objects.filter(topic=self.slug)

    def delete(self, *args, **kwargs):
        """Refused while claims are filed under it (their topic would name nothing)."""
        if self.claims_using().exists():
            raise models.ProtectedError(
                f"“{self.label}” is the topic of claims; move them to another topic first.", set()
            )
        return super().delete(*args, **kwargs)

    def pattern(self):
        """The keywords as one whole-word, case-insensitive pattern, or None when there are none."""
        words = _aliases(self.keywords)
        if not words:
            return None
        return re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in words) + r")\b", re.IGNORECASE)

    @classmethod
    def lookup(cls):
        """{slug: label} in order, cached in the process (topics_changed clears it); built-ins if the table is empty."""
        return _topic_cache()["labels"]

    @classmethod
    def patterns(cls):
        """[(slug, compiled pattern)] in position order, for the importer (cached like lookup); None: no table."""
        return _topic_cache()["patterns"]

    @classmethod
    def label_of(cls, slug):
        return cls.lookup().get(slug, slug)

    @classmethod
    def choices(cls):
        return list(cls.lookup().items())


# The topic table as the process last read it: {"at": monotonic time, "labels": ..., "patterns": ...}.
# Cleared when a topic is saved or deleted here; other processes re-read it after TOPIC_CACHE_SECONDS.
_TOPICS = {}
TOPIC_CACHE_SECONDS = 60


def _topic_cache():
    now = time.monotonic()
    if not _TOPICS or now - _TOPICS["at"] > TOPIC_CACHE_SECONDS:
        rows = list(ClaimTopic.objects.order_by("position", "slug"))
        if rows:
            labels = {t.slug: t.label for t in rows}
            patterns = []
            for t in rows:
                try:
                    pattern = t.pattern()
                except re.error:  # saved past clean() somehow: skip it rather than break every import
                    pattern = None
                if pattern is not None:
                    patterns.append((t.slug, pattern))
        else:  # a flushed database (transactional tests): the built-in list; the importer its own keywords
            labels = dict(Topic.choices)
            patterns = None
        _TOPICS.update(at=now, labels=labels, patterns=patterns)
    return _TOPICS


def topics_changed(**kwargs):
    """Forget the cached topic table (a topic was saved or deleted)."""
    _TOPICS.clear()


# The public list's reading order, and the columns its rule reads (status, the article's publication).
READING_ORDER_TAIL = ("article", "start", "id", "status", "article_published")


def reading_order_index(column, name):
    """An index for filtering on `column` and listing the matches in reading order from the index alone."""
    return models.Index(fields=[column, *READING_ORDER_TAIL], name=name)


class Claim(TimeStamped):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(help_text="Exact text of the claim as it appears in the article.")
    start = models.PositiveIntegerField(help_text="Character offset of the quote in the article text.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    # Blank only while suggested (or rejected): the importer leaves it for the lead who accepts the
    # suggestion to write (policy.suggestion_refusal), so it is never a copy of the quote.
    statement = models.CharField(
        max_length=500, blank=True, help_text="Short neutral statement of what is claimed, in plain words."
    )
    # A ClaimTopic's slug, checked against that table in clean() (no fixed choices: leads edit topics).
    topic = models.CharField(max_length=32, default=Topic.GENERAL)
    substance = models.ForeignKey(
        Substance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        # claim_substance_order_idx (below) starts with it: no index of its own.
        db_index=False,
        help_text="The supplement the claim is about (a form, such as magnesium glycinate, where the quote names one).",
    )
    population = models.CharField(max_length=16, choices=Population.choices, default=Population.UNSPECIFIED)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNDER_REVIEW)
    studies = models.ManyToManyField("Study", through="Citation", related_name="claims", blank=True)
    # Set only by ClaimMatch.decide: the claims a lead confirmed make the same assertion.
    assertion_group = models.ForeignKey(
        "AssertionGroup", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="claims"
    )

    # Filter facets: copies of what /claims/ filters on in other tables, derived by
    # claims/facets.py whenever those rows change; never edited, not kept in history.
    # (The database defaults let raw inserts, as in seed_synthetic, leave them to a refresh.)
    linked = models.BooleanField(
        default=False, db_default=False, editable=False, help_text="Cites a study with a DOI, PMID or URL."
    )
    finalized_strength = models.CharField(
        max_length=16, choices=EvidenceStrength.choices, blank=True, default="", db_default="", editable=False
    )
    finalized_verdict = models.CharField(
        max_length=24, choices=Verdict.choices, blank=True, default="", db_default="", editable=False
    )
    design_bits = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    flag_bits = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    overclaim = models.CharField(
        max_length=12, choices=Overclaim.choices, blank=True, default="", db_default="", editable=False
    )
    # Whether the claim's article is published (policy.public_claims_q reads it): on the row, in the
    # reading-order indexes, so that the public list never joins the article table to drop drafts.
    article_published = models.BooleanField(default=False, db_default=False, editable=False)

    # The automatic reading of the claim (analysis/language.py, analysis/evidence.py), stored by
    # Claim.objects.record_readings(): how strongly the quote states a relationship and the kind
    # of evidence its paragraph invokes, each with the words that say so. '' until read; derived,
    # recomputed by `manage.py refresh_readings` when the rules change, not kept in history.
    wording_strength = models.CharField(
        max_length=20, choices=WordingStrength.choices, blank=True, default="", db_default="", editable=False
    )
    # [[text, start, end], ...]: offsets into the quote.
    wording_cues = models.JSONField(default=list, db_default=[], blank=True, editable=False)
    evidence_hint = models.CharField(
        max_length=20, choices=EvidenceHint.choices, blank=True, default="", db_default="", editable=False
    )
    # [[text, start, end], ...]: offsets into the article's text (the cue may lie outside the quote).
    evidence_cues = models.JSONField(default=list, db_default=[], blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["quote", *facets.COLUMNS, *READING_FIELDS])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "id"]
        permissions = [("finalize_claim", "Can record a consensus and finalize or reopen a claim")]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="claim_start_non_negative"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_offsets_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=[ClaimStatus.SUGGESTED, ClaimStatus.REJECTED]) | ~Q(statement=""),
                name="claim_statement_once_accepted",
            ),
        ]
        # /claims/ lists public claims in reading order (article_id, start, id).
        # Each index below ends with that order and holds `status`, so a
        # filtered list's count and its page of ids are read from the index
        # alone, in order, without a sort, even at page 2,000. Chosen from
        # EXPLAIN QUERY PLAN / EXPLAIN ANALYZE at 100k claims: docs/benchmarks.md.
        indexes = [
            # Also the article page and the review queue: claims in reading order.
            # The bits ride along so that ?design= and ?flag= scan it in order, from the index alone.
            models.Index(
                fields=["article", "start", "id", "status", "article_published", "design_bits", "flag_bits"],
                name="claim_reading_order_idx",
            ),
            models.Index(
                fields=["status", "article_published", "article", "start", "id"], name="claim_status_order_idx"
            ),
            reading_order_index("topic", "claim_topic_order_idx"),
            # ?substance= (a substance and its forms: a few index ranges, each in reading order).
            reading_order_index("substance", "claim_substance_order_idx"),
            reading_order_index("population", "claim_population_order_idx"),
            # ?design= and ?flag= counts: one pass over this narrow index (bits cannot be a range).
            models.Index(
                fields=["status", "article_published", "design_bits", "flag_bits"], name="claim_facet_bits_idx"
            ),
            reading_order_index("linked", "claim_linked_order_idx"),
            reading_order_index("finalized_strength", "claim_strength_order_idx"),
            reading_order_index("finalized_verdict", "claim_verdict_order_idx"),
            # Descending: /overclaims/ lists the reviewed ('reviewed' > 'automatic') before the
            # automatic ones, each in reading order. With the column ascending the database sorted
            # every overclaim for the first page (110 ms at 1,000,000 claims on SQLite, a parallel
            # scan and sort on PostgreSQL); descending, the page is the index's first rows.
            reading_order_index("-overclaim", "claim_overclaim_order_idx"),
            reading_order_index("wording_strength", "claim_wording_order_idx"),
            reading_order_index("evidence_hint", "claim_evidence_order_idx"),
        ]

    def __str__(self):
        return self.statement or self.quote[:80]

    def get_absolute_url(self):
        return cached_reverse("claim_detail", self.pk)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        claim = super().from_db(db, field_names, values, **kwargs)
        # The article it was loaded with: a claim saved under another article leaves the
        # totals of this one to refresh (facets._article_totals_of_claim).
        claim._loaded_article_id = claim.__dict__.get("article_id")
        return claim

    def clean(self):
        super().clean()
        if self.topic and self.topic not in ClaimTopic.lookup():
            raise ValidationError({"topic": f"“{self.topic}” is not a topic; choose one from the topic list."})
        if self.start is None or self.end is None or not self.article_id:
            return
        if self.end <= self.start:
            raise ValidationError({"end": "The end offset must be greater than the start offset."})
        if self.article.text[self.start : self.end] != self.quote:
            raise ValidationError(
                {"quote": "The quote must be exactly the article text between the start and end offsets."}
            )

    def get_topic_display(self):
        """The topic's label (ClaimTopic), as choices= once gave it."""
        return ClaimTopic.label_of(self.topic)

    @property
    def is_finalized(self):
        return self.status == ClaimStatus.FINALIZED

    @property
    def is_open_for_rating(self):
        return self.status == ClaimStatus.UNDER_REVIEW

    def is_unblinded_for(self, user):
        """Whether `user` may see every reviewer's rating of this claim (see ClaimQuerySet.unblinded_for)."""
        return Claim.objects.unblinded_for(user).filter(pk=self.pk).exists()

    def get_review_url(self):
        return reverse("review:claim", args=[self.pk])

    def consensus_or_none(self):
        try:
            return self.consensus
        except Consensus.DoesNotExist:
            return None

    @property
    def published_consensus(self):
        """
        The consensus the public may see, or None: the blinding rule for public pages.
        Only a finalized claim shows its rating; a reopened claim keeps its Consensus
        row but shows nothing until it is finalized again.
        """
        if not policy.consensus_is_public(self):
            return None
        return self.consensus_or_none()

    @property
    def published_strength(self):
        """The evidence-strength key public pages show: a strength, or UNDER_REVIEW_KEY."""
        consensus = self.published_consensus
        return consensus.evidence_strength if consensus else UNDER_REVIEW_KEY

    def published_ratings(self):
        """
        The individual ratings the public may see (none before finalization), oldest
        first, each labelled with its reviewer's stable pseudonym (reviewer-N, as
        in the CSV: ReviewerPseudonym) — never a username.
        """
        if self.published_consensus is None:
            return []
        # Finalized (checked above), so all its ratings are public: the rule of
        # visible_to(None), without its subquery over every finalized claim
        # (costly at scale for the few rows wanted here; docs/benchmarks.md).
        ratings = (
            Rating.objects.filter(claim=self)
            .order_by("created_at", "id")
            .select_related("reviewer__pseudonym")
            .only(
                "id",
                "claim_id",
                "evidence_strength",
                "verdict",
                "extrapolation_concerns",
                "reviewer__id",
                "reviewer__pseudonym__number",
            )
        )
        found = list(ratings)
        if any(_pseudonym_number(rating) is None for rating in found):
            # A reviewer not yet given a pseudonym (as the CSV export does, on first need).
            ReviewerPseudonym.objects.assign_missing(user_ids={rating.reviewer_id for rating in found})
            found = list(ratings.all())
        for rating in found:
            rating.public_label = ReviewerPseudonym.label(_pseudonym_number(rating))
        return found

    def public_flags(self):
        """Confirmed marketing flags on this claim: linked to it, or overlapping its quote."""
        return MarketingFlag.objects.confirmed().touching(self)

    def citations_by_origin(self):
        """
        (cited, consulted): the claim's citations with their studies, split into
        what the article cites (as written) and what reviewers consulted. One query.
        """
        citations = list(self.citations.select_related("study").order_by("study__citation", "study_id"))
        cited = [c for c in citations if c.origin == CitationOrigin.ARTICLE]
        consulted = [c for c in citations if c.origin != CitationOrigin.ARTICLE]
        return cited, consulted

    def consensus_initial(self):
        """
        Starting values for the consensus form, with a note saying where they
        come from: the existing consensus (a reopened claim), else the ratings'
        shared values when every rating agrees; otherwise nothing is preselected,
        so that a lead chooses rather than accepts a default. Uses the ratings
        already loaded (prefetched) on the claim. Returns (initial, note).
        """
        consensus = self.consensus_or_none()
        if consensus is not None:
            fields = ("evidence_strength", "verdict", "rationale")
            return {f: getattr(consensus, f) for f in fields}, "Filled in from the earlier consensus (reopened claim)."
        ratings = list(self.ratings.all())
        pairs = {(r.evidence_strength, r.verdict) for r in ratings}
        if policy.consensus_ready(len(ratings)) and len(pairs) == 1:
            evidence_strength, verdict = pairs.pop()
            note = f"Preselected: all {len(ratings)} ratings agree on this strength and verdict."
            return {"evidence_strength": evidence_strength, "verdict": verdict}, note
        return {}, ""

    def _locked(self):
        """This claim's row, re-read and locked until the transaction ends (status checks happen on it)."""
        return Claim.objects.select_for_update().get(pk=self.pk)

    def record_consensus(self, lead, evidence_strength, verdict, rationale, reusing=None):
        """
        The lead reviewer's final judgement: creates or updates the Consensus
        and finalizes the claim, both or neither. The claim row is locked for
        the checks, so no rating can change between them and the finalization
        (Rating.objects.record takes the same lock). Raises PermissionDenied for
        anyone but a lead and ValidationError for bad values, a claim that is
        not under review, or fewer ratings than policy.min_ratings().

        `reusing`: a finalized claim confirmed to make the same assertion, whose
        consensus this one takes; policy.consensus_reuse_refusal then stands in
        for the rating rule (reuse_consensus).
        """
        values = {"evidence_strength": evidence_strength, "verdict": verdict, "rationale": (rationale or "").strip()}
        with transaction.atomic():
            claim = self._locked()
            if reusing is None:
                policy.refuse_if(policy.consensus_refusal(lead, claim, claim.ratings.count()))
            else:
                policy.refuse_if(policy.consensus_reuse_refusal(lead, claim, reusing))
            consensus = claim.consensus_or_none() or Consensus(claim=claim)
            for field, value in values.items():
                setattr(consensus, field, value)
            consensus.decided_by = lead
            consensus.full_clean(exclude=["claim", "decided_by"])
            consensus._history_user = claim._history_user = lead
            consensus.save()
            claim.status = ClaimStatus.FINALIZED
            claim.save(update_fields=["status", "updated_at"])
        self.status = claim.status
        return consensus

    def reuse_consensus(self, lead, source):
        """
        Give this claim the published consensus of `source`, a finalized claim a
        lead confirmed to make the same assertion: a new Consensus (same strength
        and verdict) whose rationale names the one it reuses. Through
        record_consensus, so history and finalization are the same.
        """
        source_consensus = source.consensus_or_none() if source is not None else None
        if source_consensus is None:
            policy.refuse_if(policy.consensus_reuse_refusal(lead, self, None))
        rationale = (
            f"Same assertion as claim {source.pk} ({source.article.title}); this reuses its consensus. "
            f"Its rationale: {source_consensus.rationale}"
        )
        return self.record_consensus(
            lead, source_consensus.evidence_strength, source_consensus.verdict, rationale, reusing=source
        )

    def same_assertion_claims(self):
        """The other claims in this claim's assertion group (confirmed matches), with article and consensus."""
        if not self.assertion_group_id:
            return Claim.objects.none()
        return (
            Claim.objects.filter(assertion_group_id=self.assertion_group_id)
            .exclude(pk=self.pk)
            .select_related("article", "consensus")
            .order_by("article__title", "start", "id")
        )

    def reopen(self, lead):
        """Send a finalized claim back to review. The consensus row stays (and its history)."""
        with transaction.atomic():
            claim = self._locked()
            policy.refuse_if(policy.reopen_refusal(lead, claim))
            claim._history_user = lead
            claim.status = ClaimStatus.UNDER_REVIEW
            claim.save(update_fields=["status", "updated_at"])
        self.status = claim.status

    def decide_suggestion(self, lead, accept, statement=None):
        """
        Accept an importer's suggested claim for review, or reject it (kept, so a
        re-import does not suggest it again). Lead reviewers only; the change is
        kept in history. Accepting needs the claim's neutral statement, written
        by the lead (`statement`, or one already saved on the claim), never the
        quote copied (policy.suggestion_refusal).
        """
        with transaction.atomic():
            claim = self._locked()
            if accept and statement is not None:
                claim.statement = " ".join(statement.split())
            policy.refuse_if(policy.suggestion_refusal(lead, claim, accept=accept))
            claim.status = ClaimStatus.UNDER_REVIEW if accept else ClaimStatus.REJECTED
            claim._history_user = lead
            claim.save(update_fields=["status", "statement", "updated_at"])
        self.status, self.statement = claim.status, claim.statement

    def link_study(self, study, user):
        """
        Link `study` to this claim as evidence the reviewers consulted (kept in
        history). The article's own citations come with the corpus or the
        importer. Returns (citation, created).
        """
        policy.refuse_if(policy.link_refusal(user))
        defaults = {"added_by": user, "origin": CitationOrigin.REVIEWER}
        try:
            with transaction.atomic():
                return Citation.objects.get_or_create(claim=self, study=study, defaults=defaults)
        except IntegrityError:  # a concurrent request linked it first
            return Citation.objects.get(claim=self, study=study), False

    def unlink_study(self, study, user, reason=""):
        """
        Remove the citation of `study` as `user` (policy.unlink_refusal), with
        the reason kept in history; removing a citation the article makes needs
        a reason. Returns whether one was removed.
        """
        citation = Citation.objects.filter(claim=self, study=study).first()
        if citation is None:
            return False
        policy.refuse_if(policy.unlink_refusal(user, citation))
        reason = (reason or "").strip()
        if citation.origin == CitationOrigin.ARTICLE and not reason:
            raise ValidationError(
                "Say why this citation is removed: it is what the article cites, and the reason is kept in history.",
                code="reason_required",
            )
        citation._history_user = user
        citation._change_reason = reason or None
        citation.delete()
        return True

    def context(self, chars=300):
        """(before, quote, after): the quote with surrounding article text, cut at word breaks."""
        text = self.article.text
        lo = max(0, self.start - chars)
        hi = min(len(text), self.end + chars)
        before, after = text[lo : self.start], text[self.end : hi]
        if lo > 0 and " " in before:
            before = "…" + before[before.index(" ") + 1 :]
        if hi < len(text) and " " in after:
            after = after[: after.rindex(" ")] + "…"
        return before, text[self.start : self.end], after

    def paragraph(self):
        """(before, quote, after) within the paragraph(s) that hold the quote."""
        text = self.article.text
        lo = text.rfind("\n", 0, self.start) + 1
        hi = text.find("\n", self.end)
        hi = len(text) if hi == -1 else hi
        return text[lo : self.start], text[self.start : self.end], text[self.end : hi]


class StudyQuerySet(models.QuerySet):
    def search(self, text):
        """Studies whose citation, title, authors, DOI or PMID contains every word of text."""
        qs = self
        for word in text.split():
            qs = qs.filter(
                Q(citation__icontains=word)
                | Q(title__icontains=word)
                | Q(authors__icontains=word)
                | Q(doi__icontains=word)
                | Q(pmid=word)
            )
        return qs

    def public(self):
        """Studies a public claim cites: the only ones public pages show."""
        return self.filter(Exists(Claim.objects.public().filter(studies=OuterRef("pk"))))

    def identified(self, yes=True):
        """Studies identified by a DOI, PMID or URL (`yes`), or not: the rule of the claims' `linked` facet."""
        identified = facets.identified_study_q()
        return self.filter(identified if yes else ~identified)

    def with_identifier(self, doi="", pmid=""):
        """
        The study already recorded under this DOI or PMID (normalised first), or
        None: a DOI or PMID belongs to one study. Raises ValidationError for a
        malformed identifier.
        """
        doi, pmid = normalize_doi(doi), normalize_pmid(pmid)
        known = (Q(doi=doi) if doi else Q()) | (Q(pmid=pmid) if pmid else Q())
        return self.filter(known).order_by("id").first() if known else None


class SearchIndexEntry(models.Model):
    """
    A claim's row in the engine's full-text index, for search() to join:
    claims/search.py creates and keeps the table (triggers); Django only reads it.
    """

    class Meta:
        abstract = True
        managed = False

    def __str__(self):
        return f"Index entry of claim {self.claim_id}"


def _index_row_of(column, related_name):
    return models.OneToOneField(
        Claim,
        primary_key=True,
        db_column=column,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name=related_name,
    )


class ClaimFtsEntry(SearchIndexEntry):
    """SQLite: the FTS5 table, whose rowid is the claim id."""

    claim = _index_row_of("rowid", "fts_entry")
    # FTS5's hidden column named after the table: `<table> MATCH ?` searches every column.
    document = fulltext.IndexedTextField(db_column=fulltext.FTS_TABLE)

    class Meta(SearchIndexEntry.Meta):
        db_table = fulltext.FTS_TABLE


class ClaimSearchDocument(SearchIndexEntry):
    """PostgreSQL: the table of each claim's tsvector."""

    claim = _index_row_of("claim_id", "search_document")
    document = fulltext.IndexedTextField()

    class Meta(SearchIndexEntry.Meta):
        db_table = fulltext.PG_TABLE


class Study(TimeStamped):
    citation = models.CharField(
        max_length=500, help_text="The citation exactly as the article writes it, e.g. “(Shin 2020)”."
    )
    kind = models.CharField(
        max_length=24,
        choices=SourceKind.choices,
        default=SourceKind.STUDY,
        db_default=SourceKind.STUDY,
        help_text="What the cited source is: a study, or an organisation, a web page, a bare reference number.",
    )
    # Validated and normalised by clean_fields() and save() (normalize_doi, normalize_pmid).
    doi = models.CharField("DOI", max_length=255, blank=True)
    pmid = models.CharField("PMID", max_length=16, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    verified_at = models.URLField(
        "verified at",
        max_length=1000,
        blank=True,
        help_text="The page (PubMed, PMC, doi.org, the publisher) that shows the identifiers and details recorded "
        "here. Record only what it shows.",
    )
    title = models.CharField(max_length=500, blank=True)
    authors = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    design = models.CharField(max_length=24, choices=StudyDesign.choices, default=StudyDesign.UNKNOWN)

    history = HistoricalRecords()
    objects = StudyQuerySet.as_manager()

    class Meta:
        ordering = ["citation", "id"]
        verbose_name_plural = "studies"
        indexes = [models.Index(fields=["design"], name="study_design_idx")]
        constraints = [
            # One study per identifier: a second record of the same paper would split its citations.
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="one_study_per_doi",
                violation_error_message="A study with this DOI is already recorded; link that study instead.",
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="one_study_per_pmid",
                violation_error_message="A study with this PMID is already recorded; link that study instead.",
            ),
        ]

    def __str__(self):
        return self.title or self.citation

    def save(self, *args, **kwargs):
        # Normalise even when saved without full_clean (fixtures, scripts); a
        # malformed identifier raises here rather than being stored.
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("study_detail", self.pk)

    def clean_fields(self, exclude=None):
        # A pasted doi.org or PubMed link is longer than the identifier it holds:
        # reduce it before the length checks, and explain a malformed one.
        errors = {}
        for field, normalize in (("doi", normalize_doi), ("pmid", normalize_pmid)):
            if exclude and field in exclude:
                continue
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.error_list
        try:
            super().clean_fields(exclude=[*(exclude or []), *errors])
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)

    def is_cited_by_article(self):
        return self.citations.filter(origin=CitationOrigin.ARTICLE).exists()

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def is_linked(self):
        return bool(self.doi or self.pmid or self.url)

    def links(self):
        """[(label, url)] for every known link to the original study."""
        return [
            (label, url)
            for label, url in (("DOI", self.doi_url), ("PubMed", self.pubmed_url), ("Link", self.url))
            if url
        ]


class Citation(TimeStamped):
    """A claim citing a study. Its own model so that linking and unlinking is kept in history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="citations")
    origin = models.CharField(
        max_length=16,
        choices=CitationOrigin.choices,
        default=CitationOrigin.ARTICLE,
        db_default=CitationOrigin.ARTICLE,
        help_text="Whether the article cites the study, or a reviewer consulted it.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Removing an article's citation needs a reason, kept whole in the history row.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "study"], name="one_citation_per_claim_study")]

    def __str__(self):
        return f"{self.claim_id} cites {self.study}"


def demonstration_account_ids():
    """The ids of the demonstration review's accounts (policy.DEMONSTRATION_GROUP): a handful, usually none."""
    users = get_user_model().objects.filter(groups__name=policy.DEMONSTRATION_GROUP)
    return frozenset(users.values_list("pk", flat=True))


def visible_ratings_q(user, claim=None, unblinded=None):
    """
    The blinding rule (policy.visible_ratings_q) as a filter for anything with
    `claim` and `reviewer` fields (ratings and their history rows), or None
    when `user` sees all.

    With `claim`, for that claim's ratings: the rule is decided once for the
    claim (`unblinded`: claim.is_unblinded_for(user), one query unless the
    caller has it) instead of by a subquery of every claim `user` may see,
    which PostgreSQL hashed whole for each query: 35 ms at 100,000 claims.
    """
    if claim is None:
        return policy.visible_ratings_q(user, Claim.objects.unblinded_for(user).values("pk"))
    if policy.sees_every_rating(user):
        return None
    if unblinded is None:
        unblinded = claim.is_unblinded_for(user)
    return policy.visible_ratings_q(user, [claim.pk] if unblinded else [])


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user, claim=None, unblinded=None):
        """Ratings `user` may see (see visible_ratings_q); with `claim`, that claim's."""
        ratings = self if claim is None else self.filter(claim=claim)
        visible = visible_ratings_q(user, claim, unblinded)
        return ratings if visible is None else ratings.filter(visible)

    def published(self):
        """The ratings the public may see: those of finalized claims."""
        return self.filter(policy.published_claims_q("claim__"))

    def by_demonstration_reviewers(self):
        return self.filter(reviewer__groups__name=policy.DEMONSTRATION_GROUP)

    def demonstration_published(self):
        """
        Whether any published rating comes from a demonstration review (pages and
        exports then say so). The accounts first (a handful, usually none): one
        EXISTS joining ratings to groups made PostgreSQL walk every rating looking
        for a first match that was not there.
        """
        accounts = demonstration_account_ids()
        return bool(accounts) and self.published().filter(reviewer_id__in=accounts).exists()

    def exportable_to(self, user):
        """What the CSV exports may contain for `user` (policy.exportable_ratings_q)."""
        exportable = policy.exportable_ratings_q(user)
        return self if exportable is None else self.filter(exportable)

    def independent(self):
        """
        The ratings as their reviewers gave them before seeing anyone else's:
        those of leads who rated after others (they see every rating) are left
        out; each is annotated with `independent_strength` and `independent_verdict`.
        """
        return self.filter(rated_blind=True).annotate(
            independent_strength=self.independent_value("evidence_strength"),
            independent_verdict=self.independent_value("verdict"),
        )

    @staticmethod
    def independent_value(field, prefix=""):
        """A rating's `field` as given blind: its blind value where it has one (through `prefix`, a relation)."""
        return Coalesce(NullIf(f"{prefix}blind_{field}", Value("")), f"{prefix}{field}")

    def record(self, claim, reviewer, **values):
        """
        Save `reviewer`'s one rating of `claim`: created the first time,
        updated after, so a double submit or a second tab updates the same row.
        The claim row is locked and re-read for the checks
        (policy.rating_refusal), so no rating changes once a consensus has
        finalized the claim. A save that changes nothing writes nothing, so
        history lists real changes only.

        Blinding is kept honest: a rating changed after its reviewer could see
        another reviewer's rating of the claim keeps the values it had before
        (`blind_evidence_strength`, `blind_verdict`), which the agreement
        figures use. Returns (rating, created). Raises PermissionDenied or
        ValidationError.
        """
        # Refuse early on the caller's copy of the claim; _save checks again on the locked row.
        policy.refuse_if(policy.rating_refusal(reviewer, claim))
        candidate = Rating(claim=claim, reviewer=reviewer, **values)
        candidate.full_clean(
            exclude=["claim", "reviewer", "blind_evidence_strength", "blind_verdict"],
            validate_unique=False,
            validate_constraints=False,
        )
        values = {field: getattr(candidate, field) for field in values}
        try:
            return self._save(claim, reviewer, values)
        except IntegrityError:
            # A concurrent first submit (another tab) won the insert where the claim
            # lock is not taken (an engine without SELECT ... FOR UPDATE): ours becomes an update.
            return self._save(claim, reviewer, values)

    def _save(self, claim, reviewer, values):
        with transaction.atomic():
            locked = claim._locked()
            rating = self.select_for_update().filter(claim=locked, reviewer=reviewer).first()
            policy.refuse_if(policy.rating_refusal(reviewer, locked, rating))
            if rating is None:
                return self._first_rating(locked, reviewer, values), True
            changed = [field for field, value in values.items() if getattr(rating, field) != value]
            if changed:
                if rating.others_seen_at is not None and not rating.blind_evidence_strength:
                    rating.blind_evidence_strength, rating.blind_verdict = rating.evidence_strength, rating.verdict
                    changed += ["blind_evidence_strength", "blind_verdict"]
                for field, value in values.items():
                    setattr(rating, field, value)
                rating._history_user = reviewer
                rating.save(update_fields=[*changed, "updated_at"])
        claim.status = locked.status
        return rating, False

    def _first_rating(self, claim, reviewer, values):
        others = self.filter(claim=claim).exclude(reviewer=reviewer)
        others_exist = others.exists()
        now = timezone.now()
        rating = Rating(
            claim=claim,
            reviewer=reviewer,
            **values,
            # A lead sees every rating, so one who rates after others did not rate blind.
            rated_blind=not (others_exist and policy.sees_every_rating(reviewer)),
            others_seen_at=now if others_exist else None,
        )
        rating._history_user = reviewer
        rating.save()
        # The name the public pages and exports will show for this reviewer, given now
        # rather than on a later page view.
        ReviewerPseudonym.objects.assign_missing(user_ids=[reviewer.pk])
        # Everyone who rated before now sees this rating beside theirs.
        others.filter(others_seen_at=None).update(others_seen_at=now)
        return rating


class Rating(TimeStamped):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="ratings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings")
    evidence_strength = models.CharField(max_length=16, choices=EvidenceStrength.choices)
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    extrapolation_concerns = models.JSONField(
        default=list, blank=True, help_text="Zero or more of: " + ", ".join(Extrapolation.values)
    )
    notes = models.TextField(blank=True)
    # Honest agreement: what the rating was before its reviewer could see another
    # reviewer's rating of the claim, kept once it changes after that (blank: it
    # has not). Set by RatingQuerySet.record, never edited.
    blind_evidence_strength = models.CharField(
        max_length=16, choices=EvidenceStrength.choices, blank=True, default="", db_default="", editable=False
    )
    blind_verdict = models.CharField(
        max_length=24, choices=Verdict.choices, blank=True, default="", db_default="", editable=False
    )
    # When another reviewer's rating of the claim first became visible to this one's reviewer.
    others_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # False for a lead who rated a claim others had rated: leads see every rating.
    rated_blind = models.BooleanField(default=True, db_default=True, editable=False)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="one_rating_per_reviewer_per_claim"),
        ]
        indexes = [models.Index(fields=["reviewer", "claim"], name="rating_reviewer_claim_idx")]

    def __str__(self):
        return f"{self.reviewer} on claim {self.claim_id}: {self.evidence_strength}, {self.verdict}"

    def clean(self):
        super().clean()
        concerns = self.extrapolation_concerns or []
        unknown = [c for c in concerns if c not in Extrapolation.values]
        if not isinstance(concerns, list) or unknown:
            raise ValidationError(
                {"extrapolation_concerns": f"Unknown extrapolation concern(s): {', '.join(map(str, unknown))}."}
            )

    def get_extrapolation_concerns_display(self):
        labels = dict(Extrapolation.choices)
        return [labels.get(c, c) for c in self.extrapolation_concerns or []]

    @property
    def is_revised(self):
        """Changed after its reviewer could see another reviewer's rating (revised after discussion)."""
        return bool(self.blind_evidence_strength) and (self.blind_evidence_strength, self.blind_verdict) != (
            self.evidence_strength,
            self.verdict,
        )

    def withdraw(self, user):
        """Delete this rating as `user`: the reviewer's own, while the claim is under review (kept in history)."""
        with transaction.atomic():
            claim = self.claim._locked()
            rating = Rating.objects.select_for_update().get(pk=self.pk)
            policy.refuse_if(policy.rating_refusal(user, claim, rating))
            rating._history_user = user
            rating.delete()


class ConsensusQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Consensus rows `user` may see (policy.visible_consensus_q): leads all, others published ones."""
        visible = policy.visible_consensus_q(user)
        return self if visible is None else self.filter(visible)


class Consensus(TimeStamped):
    """The lead reviewer's final judgement on a claim. Written only by Claim.record_consensus."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="consensus")
    evidence_strength = models.CharField(max_length=16, choices=EvidenceStrength.choices)
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    rationale = models.TextField(help_text="Why the panel settled on this rating; shown to the public.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consensus_decisions"
    )

    history = HistoricalRecords()
    objects = ConsensusQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "consensus ratings"
        indexes = [
            # /claims/?strength= and ?verdict=: the matching claims' ids from the index alone.
            models.Index(fields=["evidence_strength", "claim"], name="consensus_strength_idx"),
            models.Index(fields=["verdict", "claim"], name="consensus_verdict_idx"),
        ]

    def __str__(self):
        return f"Consensus on claim {self.claim_id}: {self.evidence_strength}, {self.verdict}"

    @property
    def strength_meaning(self):
        return EVIDENCE_STRENGTH_MEANING.get(self.evidence_strength, "")

    @property
    def verdict_meaning(self):
        return VERDICT_MEANING.get(self.verdict, "")

    @property
    def public_summary(self):
        """Human-readable verdict, e.g. 'Does not support the claim (very low evidence)'."""
        return f"{self.get_verdict_display()} ({evidence_phrase(self.evidence_strength)})"


class MarketingPattern(TimeStamped):
    """One entry of the marketing-language lexicon used by the automatic detector."""

    pattern = models.CharField(max_length=1000, help_text="A phrase (matched case-insensitively) or a regex.")
    is_regex = models.BooleanField(default=False)
    category = models.CharField(max_length=24, choices=MarketingCategory.choices)
    explanation = models.CharField(max_length=300, help_text="One line shown to the public.")
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "category"], name="one_pattern_per_category"),
        ]

    def __str__(self):
        return self.pattern

    def clean(self):
        super().clean()
        if self.is_regex:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValidationError({"pattern": f"Not a valid regular expression: {exc}."}) from None


class MarketingFlagQuerySet(models.QuerySet):
    def confirmed(self):
        """The flags public pages, the CSV and the /claims/ flag filter count (policy.PUBLIC_FLAG_STATE)."""
        return self.filter(state=policy.PUBLIC_FLAG_STATE)

    def public(self):
        """Confirmed flags of published articles: what public counts and charts count (policy.public_flags_q)."""
        return self.filter(policy.public_flags_q())

    def touching(self, claim):
        """Flags on this claim: linked to it, or overlapping its quote in the same article."""
        return self.filter(policy.flag_touches_claim_q(claim.pk, claim.article_id, claim.start, claim.end))

    def touching_any(self, claims):
        """Flags on any of these claims (a list page's): one query; policy.flag_touches_claim says which is whose."""
        touches = [policy.flag_touches_claim_q(c.pk, c.article_id, c.start, c.end) for c in claims]
        if not touches:
            return self.none()
        either = touches[0]
        for q in touches[1:]:
            either |= q
        return self.filter(either)

    def raise_on_claim(self, claim, phrase, category, user):
        """
        A reviewer flags `phrase`, found in the claim's quote, as marketing
        language of `category`. Confirmed at once: a reviewer raised it. The
        first occurrence in the quote is used. Raises ValidationError when the
        phrase is not in the quote or the span is already flagged.
        """
        phrase = (phrase or "").strip()
        if not phrase:
            raise ValidationError({"phrase": "Type or paste the exact words to flag."})
        offset = claim.quote.find(phrase)
        if offset == -1:
            raise ValidationError(
                {
                    "phrase": f"“{phrase}” is not in this claim's quote. Copy the exact words from the quote "
                    "(spelling, capitals and punctuation must match)."
                }
            )
        start = claim.start + offset
        flag = MarketingFlag(
            article_id=claim.article_id,
            claim=claim,
            start=start,
            end=start + len(phrase),
            text=phrase,
            category=category,
            state=FlagState.CONFIRMED,
            source=FlagSource.REVIEWER,
            raised_by=user,
        )
        flag.full_clean(exclude=["article", "claim", "raised_by", "pattern"], validate_constraints=False)
        existing = self.filter(article_id=claim.article_id, start=flag.start, end=flag.end, category=category).first()
        if existing is not None:
            raise ValidationError(
                {
                    "phrase": f"“{phrase}” is already flagged as {existing.get_category_display().lower()} "
                    f"({existing.get_state_display().lower()}); confirm or dismiss that flag instead."
                }
            )
        try:
            with transaction.atomic():
                flag.save()
        except IntegrityError:
            raise ValidationError({"phrase": f"“{phrase}” was just flagged by someone else."}) from None
        return flag


class MarketingFlag(TimeStamped):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="marketing_flags")
    claim = models.ForeignKey(Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="marketing_flags")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="Exact article text between the offsets.")
    category = models.CharField(max_length=24, choices=MarketingCategory.choices)
    state = models.CharField(max_length=16, choices=FlagState.choices, default=FlagState.SUGGESTED)
    source = models.CharField(max_length=16, choices=FlagSource.choices, default=FlagSource.REVIEWER)
    pattern = models.ForeignKey(
        MarketingPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="marketing_flags"
    )

    history = HistoricalRecords()
    objects = MarketingFlagQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="flag_start_non_negative"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="flag_offsets_ordered"),
            # Re-running the detector must not duplicate a flag on the same span.
            models.UniqueConstraint(fields=["article", "start", "end", "category"], name="one_flag_per_span"),
        ]
        indexes = [
            models.Index(fields=["category", "state"], name="flag_category_state_idx"),
            models.Index(fields=["claim", "state"], name="flag_claim_state_idx"),
            # The flags overlapping a claim's quote (policy.flag_touches_claim_q) in one state: without
            # it each claim's lookup read every flag of its article, quadratic for a large import.
            models.Index(fields=["article", "state", "start"], name="flag_article_state_start_idx"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:60]}"

    def clean(self):
        super().clean()
        if self.start is None or self.end is None or not self.article_id:
            return
        if self.end <= self.start:
            raise ValidationError({"end": "The end offset must be greater than the start offset."})
        if self.article.text[self.start : self.end] != self.text:
            raise ValidationError({"text": "The text must be exactly the article text between the offsets."})

    @property
    def explanation(self):
        return MARKETING_CATEGORY_MEANING.get(self.category, "")

    def set_state(self, state, user):
        """Confirm or dismiss the flag as `user` (kept in history). Raises PermissionDenied or ValidationError."""
        policy.refuse_if(policy.flag_refusal(user, self))
        if state not in (FlagState.CONFIRMED, FlagState.DISMISSED):
            raise ValidationError(f"“{state}” is not a flag decision; choose confirmed or dismissed.")
        if self.state != state:
            self.state = state
            self._history_user = user
            self.save(update_fields=["state", "updated_at"])

    def withdraw(self, user):
        """Delete the flag as `user` (the admin's delete), under the same rule as set_state; kept in history."""
        policy.refuse_if(policy.flag_refusal(user, self))
        self._history_user = user
        self.delete()

    def edit(self, user, **changes):
        """
        Change the flag's category or the claim it is attached to as `user`
        (the admin's change page), under the same rule as set_state; a
        changed state goes through set_state. Kept in history.
        """
        policy.refuse_if(policy.flag_refusal(user, self))
        unknown = set(changes) - {"category", "claim", "state"}
        if unknown:
            raise ValidationError(f"These flag fields cannot be edited: {', '.join(sorted(unknown))}.")
        state = changes.pop("state", self.state)
        changed = [field for field, value in changes.items() if getattr(self, field) != value]
        if changed:
            for field in changed:
                setattr(self, field, changes[field])
            self.full_clean(exclude=["article", "raised_by", "pattern"], validate_constraints=False)
            self._history_user = user
            self.save(update_fields=[*changed, "updated_at"])
        self.set_state(state, user)


class ReviewerPseudonymQuerySet(models.QuerySet):
    def assign_missing(self, user_ids=None):
        """
        Give every user who has rated a claim (or every one of user_ids) and
        has no pseudonym the next numbers, in the order of their first rating.
        Safe to run concurrently: a clash on the unique number is retried.
        """
        User = get_user_model()
        first_rating = Rating.objects.filter(reviewer=models.OuterRef("pk")).order_by("created_at", "id")
        users = (
            User.objects.filter(pk__in=user_ids)
            if user_ids is not None
            else User.objects.filter(models.Exists(first_rating))
        )
        attempts = 5
        for attempt in range(1, attempts + 1):
            missing = list(
                users.filter(pseudonym__isnull=True)
                .annotate(first_rated_at=models.Subquery(first_rating.values("created_at")[:1]))
                .order_by(models.F("first_rated_at").asc(nulls_last=True), "pk")
                .values_list("pk", flat=True)
            )
            if not missing:
                return 0
            try:
                with transaction.atomic():
                    last = self.aggregate(last=models.Max("number"))["last"] or 0
                    self.bulk_create(
                        ReviewerPseudonym(user_id=pk, number=last + n) for n, pk in enumerate(missing, start=1)
                    )
                return len(missing)
            except IntegrityError:
                if attempt == attempts:
                    raise


class AssertionGroup(TimeStamped):
    """Claims (in any article) a lead reviewer confirmed make the same assertion. Built by ClaimMatch.decide."""

    history = HistoricalRecords()

    def __str__(self):
        return f"Assertion {self.pk}"


class ClaimMatchQuerySet(models.QuerySet):
    def of(self, claim):
        """The matches that involve `claim`, on either side."""
        return self.filter(Q(claim=claim) | Q(other=claim))

    def shown_with(self, claim):
        """
        The matches the review page of `claim` lists, strongest first: not
        rejected, the other claim public (a suggested or rejected claim is shown
        nowhere), both claims with article and consensus in the same query.
        """
        qs = self.of(claim).exclude(state=MatchState.REJECTED)
        qs = qs.filter(policy.public_claims_q("claim__") & policy.public_claims_q("other__"))
        qs = qs.select_related("claim__article", "claim__consensus", "other__article", "other__consensus")
        return qs.defer("claim__article__text", "other__article__text", "claim__quote", "other__quote").order_by(
            "-state", "-score", "id"
        )

    def suggest(self, claim_id, other_id, score, words):
        """
        Store the matcher's suggestion that two claims make the same assertion.
        A decided pair (confirmed or rejected) is left as the lead decided it;
        a suggested one gets the new score. Returns the match.
        """
        low, high = sorted((claim_id, other_id))
        match, created = self.get_or_create(
            claim_id=low, other_id=high, defaults={"score": score, "words": " ".join(words)[:300]}
        )
        if not created and match.state == MatchState.SUGGESTED and match.score != score:
            match.score, match.words = score, " ".join(words)[:300]
            match.save(update_fields=["score", "words", "updated_at"])
        return match


class ClaimMatch(TimeStamped):
    """
    Two claims the matcher (analysis/matching.py) found may make the same
    assertion, with its score and the words that made it; a lead confirms or
    rejects the pair (decide), kept in history. `claim` has the lower id.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    words = models.CharField(max_length=300, blank=True, help_text="The normalised words both claims share.")
    state = models.CharField(max_length=16, choices=MatchState.choices, default=MatchState.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ClaimMatchQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claim_match_pair_unique"),
            models.CheckConstraint(condition=Q(claim__lt=models.F("other")), name="claim_match_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="claim_match_score_range"),
        ]
        # The review page reads a claim's matches from either side.
        indexes = [models.Index(fields=["other", "claim"], name="claim_match_other_idx")]

    def __str__(self):
        return f"Claims {self.claim_id} and {self.other_id}: {self.get_state_display()} ({self.score:.2f})"

    def counterpart(self, claim):
        return self.other if claim.pk == self.claim_id else self.claim

    def decide(self, lead, confirm):
        """
        Confirm (same assertion: both claims join one AssertionGroup, merging
        groups) or reject the match, as `lead`; kept in history. A decided match
        can be decided again (a lead changing their mind); rejecting a confirmed
        one takes the pair's claims out of the group only if this match was the
        sole link (otherwise the other confirmed matches keep them together).
        """
        policy.refuse_if(policy.match_decision_refusal(lead, self))
        with transaction.atomic():
            match = ClaimMatch.objects.select_for_update().get(pk=self.pk)
            match.state = MatchState.CONFIRMED if confirm else MatchState.REJECTED
            match.decided_by = lead
            match._history_user = lead
            match.save(update_fields=["state", "decided_by", "updated_at"])
            _regroup(lead, [match.claim_id, match.other_id])
        self.state, self.decided_by = match.state, lead
        return self


def _regroup(lead, claim_ids):
    """
    Recompute the assertion groups of the claims connected to `claim_ids` by
    confirmed matches: each connected set of two or more claims shares one
    group (the lowest existing group id is kept), a claim with no confirmed
    match has none. Every claim whose group changes is saved in history.
    """
    seen, components = set(), []
    for start in claim_ids:
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            pairs = ClaimMatch.objects.filter(
                Q(claim__in=frontier) | Q(other__in=frontier), state=MatchState.CONFIRMED
            ).values_list("claim_id", "other_id")
            frontier = [cid for pair in pairs for cid in pair if cid not in component]
            component.update(frontier)
        seen |= component
        components.append(component)
    used = set()
    for component in components:
        claims = list(Claim.objects.filter(pk__in=component).select_for_update())
        group_id = None
        if len(component) > 1:
            # A group split by a rejection keeps its id on one side only.
            existing = sorted({c.assertion_group_id for c in claims if c.assertion_group_id} - used)
            group_id = existing[0] if existing else AssertionGroup.objects.create().pk
            used.add(group_id)
        for claim in claims:
            if claim.assertion_group_id != group_id:
                claim.assertion_group_id = group_id
                claim._history_user = lead
                claim.save(update_fields=["assertion_group", "updated_at"])


class ReviewerPseudonym(models.Model):
    """
    The name under which a reviewer's ratings appear to people who may not see
    usernames: reviewer-<number>. Numbers are handed out in the order reviewers
    first appear and never change or get reused (the row outlives its user),
    so a pseudonym means the same person in every export, and carries nothing
    derived from the username or user id.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="pseudonym"
    )
    number = models.PositiveIntegerField(unique=True)

    objects = ReviewerPseudonymQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.label(self.number)

    @staticmethod
    def label(number):
        return f"reviewer-{number}"


class StatsTallyRow(models.Model):
    """
    A change to the site's /stats/ figures: the figures are these rows' sums by key
    (claims/tallies.py). Rows are only ever added, never updated, so concurrent
    writers never wait on one another here; tallies.compact() folds them now and then.
    """

    key = models.CharField(max_length=200)
    n = models.BigIntegerField()

    class Meta:
        # Derived bookkeeping: nobody adds, edits or deletes it by hand.
        default_permissions = ()
        # The sums by key from the index alone.
        indexes = [models.Index(fields=["key", "n"], name="stats_tally_key_n_idx")]

    def __str__(self):
        return f"{self.key}: {self.n:+d}"


class DataVersion(models.Model):
    """
    The version of everything the public sees: one row, advanced after every
    committed write to the domain's tables (claims/dataversion.py watches the
    SQL, so no write path can forget it). Public pages derive their ETag and
    server-cache key from it, so a cached page or a 304 is never older than
    the last committed change. `changed_at` also tells two rows apart when a
    database is restored or flushed and the number starts again.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Derived bookkeeping: nobody adds, edits or deletes it by hand.
        default_permissions = ()

    def __str__(self):
        return f"data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls, using="default"):
        """
        The version row (one query), created on first use.

        Every public request reads it, a page served from the cache included, so
        it is read with a fixed statement rather than a queryset: building the
        queryset's SQL cost over ten times the query itself (about 0.5 ms against
        0.03 on SQLite), some 40% of a cached page's time in Django. The value goes
        through the same converters the ORM applies, so it is the same datetime.
        """
        connection = connections[using]
        if connection.connection is not None and connection.health_check_enabled and not connection.health_check_done:
            # The first query of a request on a kept connection: Django would first send its own
            # health check ("SELECT 1"), a second round trip for a page served from the cache.
            # This read is the check instead: if the connection has gone (the server restarted,
            # a proxy dropped it), reconnect and read again, as the check would have.
            connection.health_check_done = True
            try:
                row = cls._read(connection)
            except (OperationalError, InterfaceError):
                if connection.in_atomic_block:
                    raise
                connection.close()
                row = cls._read(connection)
        else:
            row = cls._read(connection)
        if row is None:
            version, _ = cls.objects.using(using).get_or_create(pk=1)
            return version
        number, changed_at = row
        column = cls._meta.get_field("changed_at").get_col(cls._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            changed_at = convert(changed_at, column, connection)
        return cls.from_db(using, ["id", "number", "changed_at"], [1, number, changed_at])

    @classmethod
    def _read(cls, connection):
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = %s", [1])  # noqa: S608 - our own table name
            return cursor.fetchone()

    @classmethod
    def upcoming(cls, using="default"):
        """The version the next advance would make current (unsaved; see claims/dataversion.py)."""
        return cls(pk=1, number=cls.current(using=using).number + 1, changed_at=timezone.now())

    @classmethod
    def advance(cls, using="default", to=None):
        """
        Move the version on (one UPDATE; creates the row if a flush removed it).
        With `to` (from upcoming()), make exactly that version current if the
        number is still the one before it; if another advance came first, move
        on as usual instead, to a token `to` does not have.
        """
        versions = cls.objects.using(using).filter(pk=1)
        if to is not None and versions.filter(number=to.number - 1).update(number=to.number, changed_at=to.changed_at):
            return
        if not versions.update(number=models.F("number") + 1, changed_at=timezone.now()):
            cls.objects.using(using).get_or_create(pk=1, defaults={"number": 1})

    @property
    def token(self):
        """The version as an opaque string, for ETags and cache keys."""
        return f"{self.number}.{int(self.changed_at.timestamp() * 1_000_000)}"
