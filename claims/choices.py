"""
The vocabularies of the domain: statuses, ratings, study designs, marketing
categories. Plain choices with no model behind them, so that the policy module
(claims/policy.py) can speak of statuses without importing the models.
"""

from django.db import models


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


class Verdict(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    PARTIALLY = "partially", "Partially supports (overstated)"
    DOES_NOT_SUPPORT = "does_not_support", "Does not support the claim"
    NOT_FOUND = "not_found", "Cited study not found"


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


class FlagState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class FlagSource(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DETECTOR = "detector", "Automatic detector"


class SourceKind(models.TextChoices):
    """What a cited source is: articles cite organisations, web pages and bare numbers as well as studies."""

    STUDY = "study", "Study"
    ORGANISATION = "organisation", "Organisation"
    WEBSITE = "website", "Website or magazine article"
    # "(7)": a numbered reference whose list neither the article nor its page gives.
    NUMBERED_REFERENCE = "numbered_reference", "Numbered reference without a reference list"


class WordingStrength(models.TextChoices):
    """How strongly a sentence states a relationship, weakest first (analysis/language.py reads it)."""

    NO_RELATIONSHIP = "no_relationship", "No relationship stated"
    CORRELATIONAL = "correlational", "Correlational"
    CONDITIONAL_CAUSAL = "conditional_causal", "Conditional causal"
    DIRECT_CAUSAL = "direct_causal", "Direct causal"


class EvidenceHint(models.TextChoices):
    """
    The kind of evidence an article itself invokes for a claim, read automatically from the
    claim and its paragraph (analysis/evidence.py): a hint for readers and reviewers, apart
    from the reviewers' population and the cited studies' design. In the order the reading
    prefers them when a paragraph mentions several: studies in people first, then animals and
    cells, then a study of unstated kind ("studies show"), then what is not a study at all.
    """

    REVIEW = "review", "Review or meta-analysis"
    HUMAN_TRIAL = "human_trial", "Trial in people"
    HUMAN_OBSERVATIONAL = "human_observational", "Observational study in people"
    ANIMAL = "animal", "Animal study"
    IN_VITRO = "in_vitro", "Cells or tissue (in vitro)"
    STUDY = "study", "A study, kind not stated"
    TESTIMONIAL = "testimonial", "Testimonial or anecdote"
    AUTHORITY = "authority", "Authority without a study"
    NONE = "none", "No evidence mentioned"


class Overclaim(models.TextChoices):
    """Whether a claim's wording is stronger than its evidence (claims/facets.py computes it)."""

    # '' on every claim that does not overclaim.
    REVIEWED = "reviewed", "Overclaims, by the published review"
    AUTOMATIC = "automatic", "May overclaim (automatic reading, not yet reviewed)"


class CitationOrigin(models.TextChoices):
    # What the article itself cites, kept as written: only a lead may remove it.
    ARTICLE = "article", "Cited by the article"
    # A study a reviewer identified or consulted while checking the claim.
    REVIEWER = "reviewer", "Consulted by the reviewers"


# --------------------------------------------------------------------------
# What the levels and categories mean, in the words reviewers and readers see

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


WORDING_MEANING = {
    WordingStrength.NO_RELATIONSHIP: "States no effect or association.",
    WordingStrength.CORRELATIONAL: "States an association: 'linked to', 'people with low magnesium have more …'.",
    WordingStrength.CONDITIONAL_CAUSAL: "States a cause, hedged: 'may reduce', 'could help'.",
    WordingStrength.DIRECT_CAUSAL: "States a cause as fact: 'reduces', 'cures', 'prevents'.",
}


EVIDENCE_HINT_MEANING = {
    EvidenceHint.REVIEW: "The article mentions a review or meta-analysis of studies.",
    EvidenceHint.HUMAN_TRIAL: "The article mentions a trial in people (randomised, placebo-controlled, …).",
    EvidenceHint.HUMAN_OBSERVATIONAL: "The article mentions a study observing people (cohort, survey, …).",
    EvidenceHint.STUDY: "The article mentions a study or cites one, without saying what kind.",
    EvidenceHint.ANIMAL: "The only study the article mentions was in animals.",
    EvidenceHint.IN_VITRO: "The only study the article mentions was in cells or tissue.",
    EvidenceHint.TESTIMONIAL: "The article offers a personal story or customers' reports.",
    EvidenceHint.AUTHORITY: "The article appeals to experts or doctors without naming a study.",
    EvidenceHint.NONE: "The article mentions no evidence for the claim.",
}

# The evidence an article may invoke that cannot, alone, carry a claim stated as fact about
# people: before a review, direct causal wording resting on it is flagged automatically.
WEAK_EVIDENCE_HINTS = (
    EvidenceHint.ANIMAL,
    EvidenceHint.IN_VITRO,
    EvidenceHint.TESTIMONIAL,
    EvidenceHint.AUTHORITY,
    EvidenceHint.NONE,
)
# After a review: direct causal wording overclaims on this evidence, and any causal wording
# with these verdicts.
WEAK_EVIDENCE_STRENGTHS = (EvidenceStrength.LOW, EvidenceStrength.VERY_LOW, EvidenceStrength.NONE)
UNSUPPORTED_VERDICTS = (Verdict.DOES_NOT_SUPPORT, Verdict.NOT_FOUND)
CAUSAL_WORDING = (WordingStrength.DIRECT_CAUSAL, WordingStrength.CONDITIONAL_CAUSAL)


VERDICT_MEANING = {
    Verdict.SUPPORTS: "The cited evidence supports the claim as the article states it.",
    Verdict.PARTIALLY: "The evidence points the same way but the article overstates it: "
    "a stronger, broader or more certain claim than the study shows.",
    Verdict.DOES_NOT_SUPPORT: "The cited evidence does not show what the article claims.",
    Verdict.NOT_FOUND: "No study is cited, or the one cited could not be identified.",
}


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


class MatchState(models.TextChoices):
    # Found by the matcher (match_claims); nobody has looked yet.
    SUGGESTED = "suggested", "Suggested"
    # A lead reviewer judged both claims to make the same assertion.
    CONFIRMED = "confirmed", "Same assertion"
    # A lead reviewer judged them different; the matcher does not suggest the pair again.
    REJECTED = "rejected", "Different assertion"
