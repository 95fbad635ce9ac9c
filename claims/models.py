"""
The evidence domain: articles, the claims they make, the studies they cite,
reviewers' ratings, the lead reviewer's consensus, and marketing-language flags.

Deletes that would silently lose reviewers' work are refused (PROTECT): an
article with claims, a claim with ratings or a consensus, a study still cited.
"""

import bisect
import hashlib
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import search as fulltext
from .urlcache import cached_reverse

# --------------------------------------------------------------------------
# Choices


class Topic(models.TextChoices):
    NEUROPATHIC_PAIN = "neuropathic_pain", "Neuropathic pain"
    MIGRAINE = "migraine", "Migraine"
    SLEEP = "sleep", "Sleep"
    ANXIETY_STRESS = "anxiety_stress", "Anxiety & stress"
    MUSCLE_CRAMPS = "muscle_cramps", "Muscle cramps"
    COGNITION = "cognition", "Cognition"
    INFLAMMATION = "inflammation", "Inflammation"
    FIBROMYALGIA = "fibromyalgia", "Fibromyalgia"
    POSTOPERATIVE_PAIN = "postoperative_pain", "Post-operative pain"
    NERVE_REGENERATION = "nerve_regeneration", "Nerve regeneration"
    NERVE_SIGNALLING = "nerve_signalling", "Nerve signalling"
    DEFICIENCY = "deficiency", "Deficiency"
    DOSAGE = "dosage", "Dosage"
    SAFETY = "safety", "Safety"
    ABSORPTION = "absorption", "Absorption"
    GENERAL = "general", "General"


class Population(models.TextChoices):
    HUMAN = "human", "Humans"
    ANIMAL = "animal", "Animals"
    IN_VITRO = "in_vitro", "In vitro (cells, tissue)"
    UNSPECIFIED = "unspecified", "Unspecified"


class ClaimStatus(models.TextChoices):
    # Found by the importer, not yet accepted by a reviewer; never public.
    SUGGESTED = "suggested", "Suggested"
    UNDER_REVIEW = "under_review", "Under review"
    FINALIZED = "finalized", "Finalized"
    # A suggestion a reviewer turned down; kept so re-imports do not bring it back.
    REJECTED = "rejected", "Rejected"


class StudyDesign(models.TextChoices):
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review / meta-analysis"
    RCT = "rct", "Randomised controlled trial"
    NON_RANDOMISED = "non_randomised", "Non-randomised controlled trial"
    COHORT = "cohort", "Cohort study"
    CASE_CONTROL = "case_control", "Case-control study"
    CROSS_SECTIONAL = "cross_sectional", "Cross-sectional study"
    CASE_SERIES = "case_series", "Case series / case report"
    ANIMAL = "animal", "Animal study"
    IN_VITRO = "in_vitro", "In vitro study"
    NARRATIVE_REVIEW = "narrative_review", "Narrative review"
    EXPERT_OPINION = "expert_opinion", "Expert opinion"
    UNKNOWN = "unknown", "Unknown"


class EvidenceStrength(models.TextChoices):
    """GRADE's four certainty levels, plus 'none' for no evidence cited or found."""

    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"
    NONE = "none", "No evidence"

    @classmethod
    def rank(cls, value):
        """Ordinal position, 4 (high) … 0 (none); used for sorting and ordinal agreement."""
        return {cls.HIGH: 4, cls.MODERATE: 3, cls.LOW: 2, cls.VERY_LOW: 1, cls.NONE: 0}[value]

    @classmethod
    def rating_value(cls, value):
        """ClaimReview ratingValue on a 1 (no evidence) … 5 (high) scale: rank + 1."""
        return cls.rank(value) + 1

    @classmethod
    def strongest_first(cls):
        return sorted(cls, key=cls.rank, reverse=True)


# Public pages show a claim's strength only once it is finalized; until then
# this key stands in for it (grey highlights, the 'under review' bucket of charts).
UNDER_REVIEW_KEY = "under_review"


def evidence_phrase(strength):
    """'high evidence', 'very low evidence', … 'no evidence': a strength in a sentence."""
    if strength == EvidenceStrength.NONE:
        return "no evidence"
    return f"{EvidenceStrength(strength).label.lower()} evidence"


EVIDENCE_STRENGTH_MEANING = {
    EvidenceStrength.HIGH: "We are very confident the effect is as claimed: consistent "
    "randomised trials or systematic reviews in people.",
    EvidenceStrength.MODERATE: "Moderately confident: good human studies with some limitations; "
    "further research may change the picture.",
    EvidenceStrength.LOW: "Limited confidence: small, inconsistent or non-randomised human "
    "studies, or strong indirect evidence.",
    EvidenceStrength.VERY_LOW: "Very little confidence: animal or cell studies, case reports or expert opinion only.",
    EvidenceStrength.NONE: "No evidence cited, and none found that addresses the claim.",
}


class Verdict(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    PARTIALLY = "partially", "Partially supports (overstated)"
    DOES_NOT_SUPPORT = "does_not_support", "Does not support the claim"
    NOT_FOUND = "not_found", "Cited study not found"


VERDICT_MEANING = {
    Verdict.SUPPORTS: "The cited evidence supports the claim as the article states it.",
    Verdict.PARTIALLY: "The evidence points the same way but the article overstates it: "
    "a stronger, broader or more certain claim than the study shows.",
    Verdict.DOES_NOT_SUPPORT: "The cited evidence does not show what the article claims.",
    Verdict.NOT_FOUND: "No study is cited, or the one cited could not be identified.",
}


class Extrapolation(models.TextChoices):
    ANIMAL_TO_HUMAN = "animal_to_human", "Animal → human"
    IN_VITRO_TO_HUMAN = "in_vitro_to_human", "In vitro → human"
    CORRELATION_TO_CAUSATION = "correlation_to_causation", "Correlation → causation"
    ROUTE_OR_FORM = "route_or_form", "Route or form mismatch (e.g. IV → oral supplement)"
    POPULATION = "population", "Population mismatch"
    DOSE = "dose", "Dose mismatch"
    SURROGATE_OUTCOME = "surrogate_outcome", "Surrogate outcome"


class MarketingCategory(models.TextChoices):
    DISEASE_CLAIM = "disease-claim", "Disease claim"
    ABSOLUTE = "absolute", "Absolute claim"
    HYPE = "hype", "Hype"
    APPEAL_TO_NATURE = "appeal-to-nature", "Appeal to nature"
    VAGUE_AUTHORITY = "vague-authority", "Vague authority"
    PRODUCT_PROMOTION = "product-promotion", "Product promotion"
    FEAR_URGENCY = "fear-urgency", "Fear and urgency"
    CAUSAL_OVERREACH = "causal-overreach", "Causal overreach"


MARKETING_CATEGORY_MEANING = {
    MarketingCategory.DISEASE_CLAIM: "Says a supplement treats, cures, prevents or relieves a "
    "disease. US law (DSHEA) forbids supplements to claim to diagnose, mitigate, treat, cure or "
    "prevent a disease.",
    MarketingCategory.ABSOLUTE: "Promises without qualification: 'no side effects', "
    "'always', 'completely safe'. Real evidence is never that certain.",
    MarketingCategory.HYPE: "Superlatives and buzzwords ('miracle', 'powerhouse', "
    "'game-changer') that carry no information.",
    MarketingCategory.APPEAL_TO_NATURE: "Implies that 'natural' means safe or effective; it means neither.",
    MarketingCategory.VAGUE_AUTHORITY: "'Studies show', 'research suggests' with no study "
    "named, so the reader cannot check.",
    MarketingCategory.PRODUCT_PROMOTION: "Steers the reader to a product the publisher sells.",
    MarketingCategory.FEAR_URGENCY: "Plays on fear or urgency to prompt a purchase.",
    MarketingCategory.CAUSAL_OVERREACH: "Claims a cause or a cure of root causes the evidence "
    "cannot show ('treats both symptoms and causes').",
}


class FlagState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class FlagSource(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DETECTOR = "detector", "Automatic detector"


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


def validate_doi(value):
    normalize_doi(value)


def validate_pmid(value):
    normalize_pmid(value)


# --------------------------------------------------------------------------
# Roles. One place decides who is a reviewer and who is a lead reviewer.

REVIEWERS_GROUP = "Reviewers"
LEAD_REVIEWERS_GROUP = "Lead reviewers"


def is_reviewer(user):
    """Any user who may rate claims: Reviewers, Lead reviewers, superusers."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.add_rating"))


def is_lead(user):
    """Lead reviewers (and superusers) settle consensus and see every rating."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.finalize_claim"))


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


class Article(TimeStamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="Where the article was published, when known. Never guessed."
    )
    publisher = models.CharField(max_length=200, blank=True, help_text="Site or brand that published it.")
    source_file = models.CharField(max_length=255, blank=True, help_text="File the text was imported from.")
    retrieved_on = models.DateField(null=True, blank=True, help_text="When the page was captured, if known.")
    text = models.TextField(help_text="Full text exactly as imported; claim offsets index into it.")
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the text; stops duplicate imports."
    )
    promotes_product = models.BooleanField(default=False, help_text="The page promotes a product its publisher sells.")
    is_synthetic = models.BooleanField(default=False, editable=False, help_text="Made by seed_synthetic.")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        # Article lists and the /claims/ article choices are in title order.
        indexes = [models.Index(fields=["title", "id"], name="article_title_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = self.hash_text(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("article_detail", self.slug)

    @staticmethod
    def hash_text(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ClaimQuerySet(models.QuerySet):
    def refresh_facets(self):
        """Recompute these claims' filter facets (claims/facets.py) in one UPDATE."""
        from . import facets

        return facets.refresh(self)

    def public(self):
        """Claims the public may see: accepted for review or finalized."""
        return self.filter(status__in=[ClaimStatus.UNDER_REVIEW, ClaimStatus.FINALIZED])

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
            self.select_related("article", "consensus")
            .only(
                "id",
                "quote",
                "statement",
                "topic",
                "population",
                "status",
                "article__title",
                "article__slug",
                "consensus__claim_id",
                "consensus__evidence_strength",
                "consensus__verdict",
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

    def newest_matches_first(self):
        """
        After search(): newest claims first, in the order of the engine's index
        (its row id is the claim id), so that a page of a search matching most
        claims reads 25 index rows instead of sorting every match.
        """
        relation = fulltext.RELATION.get(connections[self.db].vendor)
        return self.order_by(f"-{relation}__claim_id" if relation else "-id")

    def _search_icontains(self, words):
        """Engines without a full-text index: substring match, much slower on large tables."""
        qs = self
        for word in words:
            cited = Citation.objects.filter(claim=models.OuterRef("pk"), study__citation__icontains=word)
            qs = qs.filter(Q(quote__icontains=word) | Q(statement__icontains=word) | models.Exists(cited))
        return qs

    def unrated_by(self, user):
        return self.exclude(ratings__reviewer=user)

    def with_public_strength(self):
        """
        Annotate `public_strength`: the consensus evidence strength of a finalized
        claim, else UNDER_REVIEW_KEY. The blinding rule for aggregate figures, in SQL.
        """
        finalized = Q(status=ClaimStatus.FINALIZED, consensus__isnull=False)
        return self.annotate(
            public_strength=models.Case(
                models.When(finalized, then=models.F("consensus__evidence_strength")),
                default=models.Value(UNDER_REVIEW_KEY),
                output_field=models.CharField(),
            )
        )

    def strength_counts(self, *group_by):
        """Rows of {*group_by, public_strength, n}: how many claims per shown strength."""
        return (
            self.with_public_strength().order_by().values(*group_by, "public_strength").annotate(n=models.Count("id"))
        )

    def rated_by(self, user):
        return self.filter(Exists(Rating.objects.filter(claim=OuterRef("pk"), reviewer=user)))

    def unblinded_for(self, user):
        """
        Claims on which `user` may see every reviewer's rating: the blinding
        rule, in one place. Everyone: finalized claims. A reviewer: also the
        claims they have rated themselves. Lead reviewers and superusers: all.
        """
        if is_lead(user):
            return self
        unblinded = Q(status=ClaimStatus.FINALIZED)
        if is_reviewer(user):
            unblinded |= Q(Exists(Rating.objects.filter(claim=OuterRef("pk"), reviewer=user)))
        return self.filter(unblinded)

    def review_queue(self, user):
        """Claims under review that `user` has not rated yet, in reading order."""
        return self.filter(status=ClaimStatus.UNDER_REVIEW).unrated_by(user).order_by(*READING_ORDER)

    def review_progress(self, user):
        """{"rated": n, "total": m}: of the claims `user` can rate or has rated, how many they rated."""
        rated = Exists(Rating.objects.filter(claim=OuterRef("pk"), reviewer=user))
        return self.public().aggregate(
            rated=Count("pk", filter=Q(rated)),
            total=Count("pk", filter=Q(rated) | Q(status=ClaimStatus.UNDER_REVIEW)),
        )

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


# Columns of Claim derived by claims/facets.py.
FACET_COLUMNS = ["linked", "finalized_strength", "finalized_verdict", "design_bits", "flag_bits"]

# Reading order: articles by title, then claims as they appear in the text.
READING_ORDER = ["article__title", "article_id", "start", "id"]


class Claim(TimeStamped):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(help_text="Exact text of the claim as it appears in the article.")
    start = models.PositiveIntegerField(help_text="Character offset of the quote in the article text.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    statement = models.CharField(max_length=500, help_text="Short neutral statement of what is claimed.")
    topic = models.CharField(max_length=32, choices=Topic.choices, default=Topic.GENERAL)
    population = models.CharField(max_length=16, choices=Population.choices, default=Population.UNSPECIFIED)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNDER_REVIEW)
    studies = models.ManyToManyField("Study", through="Citation", related_name="claims", blank=True)

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

    history = HistoricalRecords(excluded_fields=["quote", *FACET_COLUMNS])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "id"]
        permissions = [("finalize_claim", "Can record a consensus and finalize or reopen a claim")]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="claim_start_non_negative"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_offsets_ordered"),
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
                fields=["article", "start", "id", "status", "design_bits", "flag_bits"],
                name="claim_reading_order_idx",
            ),
            models.Index(fields=["status", "article", "start", "id"], name="claim_status_order_idx"),
            models.Index(fields=["topic", "article", "start", "id", "status"], name="claim_topic_order_idx"),
            models.Index(fields=["population", "article", "start", "id", "status"], name="claim_population_order_idx"),
            # ?design= and ?flag= counts: one pass over this narrow index (bits cannot be a range).
            models.Index(fields=["status", "design_bits", "flag_bits"], name="claim_facet_bits_idx"),
            models.Index(fields=["linked", "article", "start", "id", "status"], name="claim_linked_order_idx"),
            models.Index(
                fields=["finalized_strength", "article", "start", "id", "status"], name="claim_strength_order_idx"
            ),
            models.Index(
                fields=["finalized_verdict", "article", "start", "id", "status"], name="claim_verdict_order_idx"
            ),
        ]

    def __str__(self):
        return self.statement or self.quote[:80]

    def get_absolute_url(self):
        return cached_reverse("claim_detail", self.pk)

    def clean(self):
        super().clean()
        if self.start is None or self.end is None or not self.article_id:
            return
        if self.end <= self.start:
            raise ValidationError({"end": "The end offset must be greater than the start offset."})
        if self.article.text[self.start : self.end] != self.quote:
            raise ValidationError(
                {"quote": "The quote must be exactly the article text between the start and end offsets."}
            )

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
    def public_consensus(self):
        """
        The consensus the public may see, or None: the blinding rule for public pages.
        Only a finalized claim shows its rating; a reopened claim keeps its Consensus
        row but shows nothing until it is finalized again.
        """
        if self.status != ClaimStatus.FINALIZED:
            return None
        return self.consensus_or_none()

    @property
    def public_strength(self):
        """The evidence-strength key public pages show: a strength, or UNDER_REVIEW_KEY."""
        consensus = self.public_consensus
        return consensus.evidence_strength if consensus else UNDER_REVIEW_KEY

    def public_ratings(self):
        """
        The individual ratings the public may see (none before finalization), oldest
        first, each labelled 'Reviewer 1', 'Reviewer 2', … — never a username.
        """
        if self.public_consensus is None:
            return []
        # Finalized (checked above), so all its ratings are public: the rule of
        # visible_to(None), without its subquery over every finalized claim
        # (~5 ms on SQLite at 100k claims, for the three rows wanted here).
        ratings = Rating.objects.filter(claim=self).order_by("created_at", "id")
        ratings = list(ratings.only("id", "claim_id", "evidence_strength", "verdict", "extrapolation_concerns"))
        for number, rating in enumerate(ratings, start=1):
            rating.public_label = f"Reviewer {number}"
        return ratings

    def public_flags(self):
        """Confirmed marketing flags on this claim: linked to it, or overlapping its quote."""
        return MarketingFlag.objects.confirmed().touching(self)

    def claim_review(self, url):
        """
        schema.org ClaimReview for a finalized claim (None otherwise), as a dict for JSON-LD.
        ratingValue is the evidence strength on a 1 (no evidence) … 5 (high) scale; the
        article's publication date is not recorded, so the claim's datePublished is left out.
        """
        consensus = self.public_consensus
        if consensus is None:
            return None
        article = self.article
        appearance = {"@type": "CreativeWork", "headline": article.title}
        if article.source_url:
            appearance["url"] = article.source_url
        item = {"@type": "Claim", "text": self.quote, "appearance": appearance}
        if article.publisher:
            item["author"] = {"@type": "Organization", "name": article.publisher}
        author = {"@type": "Organization", "name": settings.MGREVIEW_ORGANISATION}
        if settings.MGREVIEW_ORGANISATION_URL:
            author["url"] = settings.MGREVIEW_ORGANISATION_URL
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": url,
            "claimReviewed": self.statement or self.quote,
            "itemReviewed": item,
            "author": author,
            "datePublished": consensus.created_at.date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": EvidenceStrength.rating_value(consensus.evidence_strength),
                "bestRating": EvidenceStrength.rating_value(EvidenceStrength.HIGH),
                "worstRating": EvidenceStrength.rating_value(EvidenceStrength.NONE),
                "alternateName": consensus.public_summary,
            },
        }

    def consensus_initial(self):
        """
        Starting values for the consensus form: the existing consensus (a
        reopened claim), else the ratings' shared values when they all agree.
        Uses the ratings already loaded (prefetched) on the claim.
        """
        consensus = self.consensus_or_none()
        if consensus is not None:
            return {f: getattr(consensus, f) for f in ("evidence_strength", "verdict", "rationale")}
        ratings = list(self.ratings.all())
        pairs = {(r.evidence_strength, r.verdict) for r in ratings}
        if len(pairs) == 1:
            evidence_strength, verdict = pairs.pop()
            return {"evidence_strength": evidence_strength, "verdict": verdict}
        return {}

    def record_consensus(self, lead, evidence_strength, verdict, rationale):
        """
        The lead reviewer's final judgement: creates or updates the Consensus
        and finalizes the claim, both or neither. Raises PermissionDenied for
        anyone but a lead and ValidationError for bad values or a claim that is
        not under review.
        """
        if not is_lead(lead):
            raise PermissionDenied("Only lead reviewers can record a consensus.")
        values = {"evidence_strength": evidence_strength, "verdict": verdict, "rationale": (rationale or "").strip()}
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=self.pk)
            if claim.status != ClaimStatus.UNDER_REVIEW:
                raise ValidationError(
                    f"This claim is {claim.get_status_display().lower()}, not under review; "
                    "a consensus can only be recorded on a claim under review (reopen it first).",
                    code="not_under_review",
                )
            consensus = claim.consensus_or_none() or Consensus(claim=claim)
            for field, value in values.items():
                setattr(consensus, field, value)
            consensus.decided_by = lead
            consensus.full_clean(exclude=["claim", "decided_by"])
            consensus.save()
            claim.status = ClaimStatus.FINALIZED
            claim.save(update_fields=["status", "updated_at"])
        self.status = claim.status
        return consensus

    def reopen(self, lead):
        """Send a finalized claim back to review. The consensus row stays (and its history)."""
        if not is_lead(lead):
            raise PermissionDenied("Only lead reviewers can reopen a claim.")
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=self.pk)
            if claim.status != ClaimStatus.FINALIZED:
                raise ValidationError("Only a finalized claim can be reopened.", code="not_finalized")
            claim.status = ClaimStatus.UNDER_REVIEW
            claim.save(update_fields=["status", "updated_at"])
        self.status = claim.status

    def decide_suggestion(self, lead, accept):
        """
        Accept an importer's suggested claim for review, or reject it (kept, so a
        re-import does not suggest it again). Lead reviewers only; the change is
        kept in history.
        """
        if not is_lead(lead):
            raise PermissionDenied("Only lead reviewers can accept or reject suggested claims.")
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=self.pk)
            if claim.status != ClaimStatus.SUGGESTED:
                raise ValidationError(
                    f"This claim is {claim.get_status_display().lower()}, not a suggestion; nothing changed.",
                    code="not_suggested",
                )
            claim.status = ClaimStatus.UNDER_REVIEW if accept else ClaimStatus.REJECTED
            claim.save(update_fields=["status", "updated_at"])
        self.status = claim.status

    def link_study(self, study, user):
        """Cite `study` from this claim (kept in history). Returns (citation, created)."""
        try:
            with transaction.atomic():
                return Citation.objects.get_or_create(claim=self, study=study, defaults={"added_by": user})
        except IntegrityError:  # a concurrent request linked it first
            return Citation.objects.get(claim=self, study=study), False

    def unlink_study(self, study):
        """Remove the citation; the deletion is kept in history. Returns whether one was removed."""
        citation = Citation.objects.filter(claim=self, study=study).first()
        if citation is None:
            return False
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
    doi = models.CharField("DOI", max_length=255, blank=True, validators=[validate_doi])
    pmid = models.CharField("PMID", max_length=16, blank=True, validators=[validate_pmid])
    url = models.URLField("URL", max_length=1000, blank=True)
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

    def clean(self):
        super().clean()
        errors = {}
        for field, normalize in (("doi", normalize_doi), ("pmid", normalize_pmid)):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)

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
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "study"], name="one_citation_per_claim_study")]

    def __str__(self):
        return f"{self.claim_id} cites {self.study}"


def rating_visibility(user):
    """
    The blinding rule as a filter for anything with `claim` and `reviewer`
    fields (ratings and their history rows), or None when `user` sees all.
    Everyone sees ratings of finalized claims. A reviewer also sees their own
    ratings, and other reviewers' ratings of claims they have rated themselves.
    Lead reviewers and superusers see everything.
    """
    if is_lead(user):
        return None
    visible = Q(claim_id__in=Claim.objects.unblinded_for(user).values("pk"))
    if is_reviewer(user):
        visible |= Q(reviewer=user)
    return visible


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Ratings `user` may see (see rating_visibility)."""
        visible = rating_visibility(user)
        return self if visible is None else self.filter(visible)

    def record(self, claim, reviewer, **values):
        """
        Save `reviewer`'s one rating of `claim`: created the first time,
        updated after. A double submit or a second tab updates the same row
        (the unique constraint settles a race: the loser retries as an update).
        A save that changes nothing writes nothing, so history lists real
        changes only. Returns (rating, created). Raises ValidationError for
        bad values or a claim not open for rating.
        """
        if not is_reviewer(reviewer):
            raise PermissionDenied("Only reviewers can rate claims.")
        if not claim.is_open_for_rating:
            raise ValidationError(
                f"This claim is {claim.get_status_display().lower()}; ratings can only be "
                "given or changed while it is under review.",
                code="not_under_review",
            )
        candidate = Rating(claim=claim, reviewer=reviewer, **values)
        candidate.full_clean(exclude=["claim", "reviewer"], validate_unique=False, validate_constraints=False)
        values = {field: getattr(candidate, field) for field in values}
        try:
            return self._upsert(claim, reviewer, values)
        except IntegrityError:
            # A concurrent first submit (another tab) won the insert: ours becomes an update.
            return self._upsert(claim, reviewer, values)

    def _upsert(self, claim, reviewer, values):
        with transaction.atomic():
            rating, created = self.select_for_update().get_or_create(claim=claim, reviewer=reviewer, defaults=values)
            changed = [] if created else [f for f, value in values.items() if getattr(rating, f) != value]
            if changed:
                for field in changed:
                    setattr(rating, field, values[field])
                rating.save(update_fields=[*changed, "updated_at"])
        return rating, created

    def exportable_to(self, user):
        """
        What the CSV exports may contain for user (issue 8). Narrower than
        visible_to for reviewers: ratings of finalized claims plus their own,
        not other reviewers' ratings of claims still under review. Lead
        reviewers and superusers get everything. Being staff widens nothing.
        """
        if is_lead(user):
            return self
        exportable = Q(claim__status=ClaimStatus.FINALIZED)
        if is_reviewer(user):
            exportable |= Q(reviewer=user)
        return self.filter(exportable)


class Rating(TimeStamped):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="ratings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings")
    evidence_strength = models.CharField(max_length=16, choices=EvidenceStrength.choices)
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    extrapolation_concerns = models.JSONField(
        default=list, blank=True, help_text="Zero or more of: " + ", ".join(Extrapolation.values)
    )
    notes = models.TextField(blank=True)

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


class Consensus(TimeStamped):
    """The lead reviewer's final judgement on a claim."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="consensus")
    evidence_strength = models.CharField(max_length=16, choices=EvidenceStrength.choices)
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    rationale = models.TextField(help_text="Why the panel settled on this rating; shown to the public.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consensus_decisions"
    )

    history = HistoricalRecords()

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
        return self.filter(state=FlagState.CONFIRMED)

    def touching(self, claim):
        """Flags on this claim: linked to it, or overlapping its quote in the same article."""
        return self.filter(flag_on_claim_q(claim.pk, claim.article_id, claim.start, claim.end))

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

    def record_suggestions(self, article, hits):
        """
        Record the detector's hits on an article as suggested flags, in one transaction.

        Idempotent: a hit that overlaps any flag of the same category already on
        the article (suggested, confirmed or dismissed; by a reviewer or the
        detector) is skipped, so re-running never duplicates a flag or brings a
        dismissed one back. A flag lying inside a claim's quote is attached to
        that claim. Returns the new flags. Queries: existing flags, claims,
        then the inserts (flags and their history) if anything is new.
        """
        from simple_history.utils import bulk_create_with_history

        with transaction.atomic():
            taken = {}
            for start, end, category in MarketingFlag.objects.filter(article=article).values_list(
                "start", "end", "category"
            ):
                taken.setdefault(category, []).append((start, end))
            taken = {category: _Spans(spans) for category, spans in taken.items()}
            claims = sorted(Claim.objects.filter(article=article).values_list("start", "end", "pk"))
            claim_starts = [start for start, _, _ in claims]
            longest = max((end - start for start, end, _ in claims), default=0)
            new = []
            for hit in hits:
                if hit.category in taken and taken[hit.category].overlaps(hit.start, hit.end):
                    continue
                new.append(
                    MarketingFlag(
                        article=article,
                        claim_id=_containing(claims, claim_starts, longest, hit.start, hit.end),
                        start=hit.start,
                        end=hit.end,
                        text=hit.text,
                        category=hit.category,
                        state=FlagState.SUGGESTED,
                        source=FlagSource.DETECTOR,
                        pattern_id=hit.pattern_id,
                    )
                )
            return bulk_create_with_history(new, MarketingFlag) if new else []


def flag_on_claim_q(claim, article, start, end):
    # The corpus annotates marketing phrases by offsets without linking them to
    # claims, so a flag counts for a claim when its span overlaps the quote.
    return Q(claim=claim) | Q(article=article, start__lt=end, end__gt=start)


class _Spans:
    """Spans sorted by start, answering 'does [start, end) overlap any of them?' by bisection."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end = []  # max_end[i]: the furthest end among the first i + 1 spans
        for _, e in spans:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def overlaps(self, start, end):
        i = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return i > 0 and self.max_end[i - 1] > start


def _containing(claims, claim_starts, longest, start, end):
    """The pk of a claim whose quote holds [start, end), or None; claims sorted by start."""
    for i in range(bisect.bisect_right(claim_starts, start) - 1, -1, -1):
        claim_start, claim_end, pk = claims[i]
        if claim_start < start - longest:
            break
        if end <= claim_end:
            return pk
    return None


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

    def may_be_changed_by(self, user):
        """Leads change any flag; reviewers the detector's suggestions and their own flags."""
        if is_lead(user):
            return True
        if not is_reviewer(user):
            return False
        return self.source == FlagSource.DETECTOR or self.raised_by_id == user.pk

    def set_state(self, state, user):
        """Confirm or dismiss the flag as `user` (kept in history). Raises PermissionDenied or ValidationError."""
        if not self.may_be_changed_by(user):
            raise PermissionDenied("You can confirm or dismiss only the detector's suggestions and your own flags.")
        if state not in (FlagState.CONFIRMED, FlagState.DISMISSED):
            raise ValidationError(f"“{state}” is not a flag decision; choose confirmed or dismissed.")
        if self.state != state:
            self.state = state
            self.save(update_fields=["state", "updated_at"])


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
