"""
Inter-rater agreement between reviewers: percent agreement and Krippendorff's alpha.

Evidence strength is ordinal (GRADE levels, ranked by EvidenceStrength.rank),
so its alpha uses the ordinal metric; a verdict is a category, so nominal.
The figures are computed from a tally of each group's claims (`tally()`: how
many claims split their ratings in each way), which adds up over groups, so the
public statistics page sums tallies kept per article (claims/tallies.py)
instead of reading every rating; the review pages tally the ratings they read.
Alpha comes from the tally's coincidence matrix (Krippendorff's formulas); the
tests hold it to Krippendorff's published worked example and, on random
ratings, to the `krippendorff` package's alpha over a reviewers × claims matrix.

Only independent judgements count (RatingQuerySet.independent): a rating
revised after its reviewer saw another reviewer's rating counts with the
values it had before, and a lead's rating given after seeing others' does not
count at all.

Percent agreement of a claim is the share of agreeing pairs among all pairs of
its ratings (1.0 when everyone agrees); over several claims it is the mean of
the claims' values. Only claims with two or more ratings count: one rating
cannot agree or disagree with anything.
"""

from collections import Counter, defaultdict
from itertools import combinations

import numpy as np

from .choices import EvidenceStrength, Verdict

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
    be numbers; the domain defaults to the values seen. Returns a float, or None
    when alpha is undefined (no unit with two values, or no variation at all).
    The same computation as the agreement figures: each unit's profile, then
    the profiles' coincidence matrix.
    """
    units = [dict(unit) for unit in units]
    domain = list(value_domain) if value_domain is not None else sorted({v for u in units for v in u.values()})
    paired = [unit for unit in units if len(unit) >= 2]
    profiles = Counter(tuple(Counter(unit.values()).get(value, 0) for value in domain) for unit in paired)
    reviewers = len({coder for unit in paired for coder in unit})
    return _alpha(list(profiles.items()), level, domain, reviewers)


def percent_agreement(values):
    """Share of agreeing pairs among the pairs of `values` (one claim's ratings); None below two."""
    values = list(values)
    if len(values) < 2:
        return None
    return _percent_agreement([(list(Counter(values).values()), 1)])


def tally(claims):
    """
    What the agreement figures need of a group of claims, as counts that add up
    over groups: {claim_id: {reviewer_id: (strength, verdict)}} -> Counter of

    - "rated": claims with a rating;
    - "r|<reviewer>": ratings by that reviewer on claims with two or more;
    - "u|<variable>|<profile>": claims with two or more ratings whose ratings of
      `variable` split over its value domain as `profile` (how many ratings chose
      each value, in domain order, comma-separated).

    Percent agreement and alpha depend on a claim only through its profile, so
    the tallies of several groups (articles) summed give the figures of their
    union: the public statistics page adds up the tallies kept on each article
    (claims/tallies.py) rather than reading every rating.
    """
    counts = Counter()
    for by_reviewer in claims.values():
        if not by_reviewer:
            continue
        counts["rated"] += 1
        if len(by_reviewer) < 2:
            continue
        counts.update(f"r|{reviewer}" for reviewer in by_reviewer)
        for index, (field, (_, to_number, domain)) in enumerate(VARIABLES.items()):
            profile = [0] * len(domain)
            for values in by_reviewer.values():
                profile[domain.index(to_number(values[index]))] += 1
            counts[f"u|{field}|{','.join(map(str, profile))}"] += 1
    return counts


def _profiles(counts, field):
    """[(profile, claims)] of one variable in a tally."""
    prefix = f"u|{field}|"
    return [
        ([int(n) for n in key.removeprefix(prefix).split(",")], claims)
        for key, claims in counts.items()
        if key.startswith(prefix) and claims
    ]


def _percent_agreement(profiles):
    """Mean over claims of the share of agreeing pairs among their ratings' pairs."""
    claims = sum(n for _, n in profiles)
    if not claims:
        return None
    shares = 0.0
    for profile, n in profiles:
        ratings = sum(profile)
        shares += n * sum(c * (c - 1) for c in profile) / (ratings * (ratings - 1))
    return shares / claims


def _alpha(profiles, level, domain, reviewers):
    """
    Krippendorff's alpha from profiles, through the coincidence matrix: each profile
    adds its pairs of values, weighted by how many claims share it, so the cost does
    not grow with the claims. The formulas the `krippendorff` package uses (its
    alpha() wants a row per claim); a test holds the two to the same figures.
    """
    if reviewers < 2 or not profiles or len(domain) < 2:
        return None
    coincidences = np.zeros((len(domain), len(domain)))
    for profile, claims in profiles:
        counts = np.array(profile, dtype=float)
        coincidences += claims * (np.outer(counts, counts) - np.diag(counts)) / (counts.sum() - 1)
    n_v = coincidences.sum(axis=0)
    if np.count_nonzero(n_v) < 2:
        return None  # everyone chose the same value: no variation, alpha is 0/0
    n = n_v.sum()
    expected = (np.outer(n_v, n_v) - np.diag(n_v)) / (n - 1)
    if level == NOMINAL:
        distances = 1 - np.eye(len(domain))
    else:  # ordinal: the values between two ranks, each rank's own counted half
        cumulative = np.concatenate(([0.0], np.cumsum(n_v)))
        low, high = (
            np.minimum.outer(range(len(domain)), range(len(domain))),
            np.maximum.outer(range(len(domain)), range(len(domain))),
        )
        distances = (cumulative[high + 1] - cumulative[low] - (n_v[low] + n_v[high]) / 2) ** 2
    disagreement = (expected * distances).sum()
    if disagreement == 0:
        return None
    return float(1 - (coincidences * distances).sum() / disagreement)


def paired_claims(counts):
    """How many claims of a tally have two or more ratings."""
    return sum(n for _, n in _profiles(counts, next(iter(VARIABLES))))


def stats_from_tally(counts):
    """Figures for a group of claims from its tally() (or several tallies summed)."""
    paired = _profiles(counts, next(iter(VARIABLES)))  # every variable has one profile per paired claim
    reviewers = sum(1 for key, n in counts.items() if key.startswith("r|") and n)
    stats = {
        "claims_rated": counts.get("rated", 0),
        "claims_paired": sum(n for _, n in paired),
        "ratings": sum(n * sum(profile) for profile, n in paired),
        "reviewers": reviewers,
    }
    for field, (level, _, domain) in VARIABLES.items():
        profiles = _profiles(counts, field)
        stats[field] = {
            "level": level,
            "percent_agreement": _percent_agreement(profiles),
            "alpha": _alpha(profiles, level, domain, reviewers),
        }
    return stats


def _stats(claims):
    """Figures for a group of claims: {claim_id: {reviewer_id: (strength, verdict)}}."""
    return stats_from_tally(tally(claims))


def summary(ratings, max_articles=None):
    """
    Agreement figures for a Rating queryset (scope it first: the blinding rule,
    finalized claims only, …). One query. Returns plain data:

        {"overall": STATS,
         "articles": [{"id", "title", "slug", **STATS}, …],   # by title; articles with ratings
         "articles_total": how many articles have ratings}

    With `max_articles`, "articles" holds only that many: those with the most
    claims rated by two or more reviewers (then by title).

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


def summary_of_tallies(rated, total, articles_total, max_articles=None):
    """
    summary()'s figures from tallies kept per article (claims/tallies.py) instead of
    ratings: `rated` is [(id, title, slug, tally)] of the articles with rated claims
    (only the `max_articles` with the most paired claims, where there are more),
    `total` the site's sum of their tallies and `articles_total` how many there are.
    Reads nothing from the database.
    """
    shown = sorted(rated, key=lambda article: (-paired_claims(article[3]), article[1], article[0]))
    if max_articles is not None:
        shown = shown[:max_articles]
    shown.sort(key=lambda article: (article[1], article[0]))
    return {
        "overall": stats_from_tally(total),
        "articles": [
            {"id": pk, "title": title, "slug": slug, **stats_from_tally(tally)} for pk, title, slug, tally in shown
        ],
        "articles_total": articles_total,
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
