"""
Inter-rater agreement between reviewers: percent agreement and Krippendorff's alpha.

Evidence strength is ordinal (GRADE levels, ranked by EvidenceStrength.rank),
so its alpha uses the ordinal metric; a verdict is a category, so nominal.
Alpha itself comes from the `krippendorff` package; this module only turns
ratings into its reliability matrix (reviewers × claims, missing ratings as
NaN) and returns plain data, so that the review pages and the public
statistics page can both use `summary()`.

Only independent judgements count (RatingQuerySet.independent): a rating
revised after its reviewer saw another reviewer's rating counts with the
values it had before, and a lead's rating given after seeing others' does not
count at all.

Percent agreement of a claim is the share of agreeing pairs among all pairs of
its ratings (1.0 when everyone agrees); over several claims it is the mean of
the claims' values. Only claims with two or more ratings count: one rating
cannot agree or disagree with anything.
"""

import math
from collections import defaultdict
from itertools import combinations

import krippendorff
import numpy as np

from .models import EvidenceStrength, Verdict

ORDINAL = "ordinal"
NOMINAL = "nominal"

# The two rated variables: field name, level of measurement, value -> number, domain.
VARIABLES = {
    "evidence_strength": (ORDINAL, EvidenceStrength.rank, sorted(EvidenceStrength.rank(v) for v in EvidenceStrength)),
    "verdict": (NOMINAL, list(Verdict.values).index, list(range(len(Verdict.values)))),
}


def alpha(units, level, value_domain=None):
    """
    Krippendorff's alpha for `units`: an iterable of {coder: value} mappings,
    one per unit; a coder missing from a unit is a missing value. Values must
    be numbers. Returns a float, or None when alpha is undefined (no unit with
    two values, or no variation at all in the data).
    """
    units = [dict(unit) for unit in units]
    coders = sorted({coder for unit in units for coder in unit}, key=str)
    if not units or len(coders) < 2:
        return None
    matrix = np.full((len(coders), len(units)), np.nan)
    row = {coder: i for i, coder in enumerate(coders)}
    for j, unit in enumerate(units):
        for coder, value in unit.items():
            matrix[row[coder], j] = value
    values = matrix[~np.isnan(matrix)]
    domain = value_domain if value_domain is not None else np.unique(values)
    if len(np.unique(values)) < 2 or len(domain) < 2:
        return None  # everyone chose the same value: no variation, alpha is 0/0
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = krippendorff.alpha(reliability_data=matrix, value_domain=domain, level_of_measurement=level)
    except ValueError:  # no unit with values from two coders
        return None
    result = float(result)
    return None if math.isnan(result) else result


def percent_agreement(values):
    """Share of agreeing pairs among the pairs of `values` (one claim's ratings); None below two."""
    values = list(values)
    if len(values) < 2:
        return None
    pairs = list(combinations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def _mean(numbers):
    numbers = [n for n in numbers if n is not None]
    return sum(numbers) / len(numbers) if numbers else None


def _stats(claims):
    """Figures for a group of claims: {claim_id: {reviewer_id: (strength, verdict)}}."""
    paired = {claim_id: by_reviewer for claim_id, by_reviewer in claims.items() if len(by_reviewer) >= 2}
    stats = {
        "claims_rated": len(claims),
        "claims_paired": len(paired),
        "ratings": sum(len(by_reviewer) for by_reviewer in paired.values()),
        "reviewers": len({r for by_reviewer in paired.values() for r in by_reviewer}),
    }
    for index, (field, (level, to_number, domain)) in enumerate(VARIABLES.items()):
        units = [{r: to_number(v[index]) for r, v in by_reviewer.items()} for by_reviewer in paired.values()]
        stats[field] = {
            "level": level,
            "percent_agreement": _mean(percent_agreement(unit.values()) for unit in units),
            "alpha": alpha(units, level, value_domain=domain),
        }
    return stats


def summary(ratings, max_articles=None):
    """
    Agreement figures for a Rating queryset (scope it first: the blinding rule,
    finalized claims only, …). One query. Returns plain data:

        {"overall": STATS,
         "articles": [{"id", "title", "slug", **STATS}, …],   # by title; articles with ratings
         "articles_total": how many articles have ratings}

    With `max_articles`, "articles" holds only that many: those with the most
    claims rated by two or more reviewers (then by title). Alpha per article is
    most of the cost (two krippendorff runs each): 2,000 articles took 3 s.

    where STATS = {"claims_rated", "claims_paired" (claims with ≥ 2 ratings),
    "ratings" and "reviewers" (on those claims),
    "evidence_strength": {"level", "percent_agreement", "alpha"},
    "verdict": {"level", "percent_agreement", "alpha"}}; a figure that cannot
    be computed is None.
    """
    # Each rating as its reviewer gave it blind: a rating revised after seeing
    # another's counts with its earlier values, so copying cannot inflate agreement.
    rows = (
        ratings.independent()
        .order_by()
        .values_list(
            "claim_id",
            "claim__article_id",
            "claim__article__title",
            "claim__article__slug",
            "reviewer_id",
            "independent_strength",
            "independent_verdict",
        )
    )
    everything = defaultdict(dict)
    by_article = defaultdict(lambda: defaultdict(dict))
    articles = {}
    for claim_id, article_id, title, slug, reviewer_id, strength, verdict in rows:
        everything[claim_id][reviewer_id] = (strength, verdict)
        by_article[article_id][claim_id][reviewer_id] = (strength, verdict)
        articles[article_id] = {"id": article_id, "title": title, "slug": slug}
    shown = sorted(articles, key=lambda a: (articles[a]["title"], a))
    if max_articles is not None and len(shown) > max_articles:
        paired = {a: sum(len(by_reviewer) >= 2 for by_reviewer in by_article[a].values()) for a in shown}
        shown = sorted(shown, key=lambda a: -paired[a])[:max_articles]  # stable: title order among equals
        shown.sort(key=lambda a: (articles[a]["title"], a))
    return {
        "overall": _stats(everything),
        "articles": [{**articles[article_id], **_stats(by_article[article_id])} for article_id in shown],
        "articles_total": len(articles),
    }


def pairs(ratings):
    """
    Agreement per pair of reviewers, over the claims both of them rated: a
    whole-database figure hides which reviewers disagree. One query. Returns
    [{"pair": (username, username), **STATS}, …] by username, where STATS
    is as summary()'s.
    """
    rows = (
        ratings.independent()
        .order_by()
        .values_list("claim_id", "reviewer__username", "independent_strength", "independent_verdict")
    )
    by_reviewer = defaultdict(dict)
    for claim_id, username, strength, verdict in rows:
        by_reviewer[username][claim_id] = (strength, verdict)
    result = []
    for first, second in combinations(sorted(by_reviewer), 2):
        shared = by_reviewer[first].keys() & by_reviewer[second].keys()
        if not shared:
            continue
        claims = {c: {first: by_reviewer[first][c], second: by_reviewer[second][c]} for c in shared}
        result.append({**_stats(claims), "pair": (first, second)})
    return result
