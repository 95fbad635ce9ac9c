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

import functools
from collections import Counter, defaultdict

import numpy as np
from django.db import connections
from django.db.models import Count, F, Q

from .choices import EvidenceStrength, Verdict

ORDINAL = "ordinal"
NOMINAL = "nominal"

# The two rated variables: field name, level of measurement, value -> number, domain.
VARIABLES = {
    "evidence_strength": (ORDINAL, EvidenceStrength.rank, sorted(EvidenceStrength.rank(v) for v in EvidenceStrength)),
    "verdict": (NOMINAL, list(Verdict.values).index, list(range(len(Verdict.values)))),
}
# Each variable's stored values, and the annotation RatingQuerySet.independent() gives it.
CHOICES = {"evidence_strength": EvidenceStrength, "verdict": Verdict}
INDEPENDENT = {"evidence_strength": "independent_strength", "verdict": "independent_verdict"}


def _values_in_domain_order(field):
    """The stored values of a variable, in the order of its value domain."""
    _, to_number, domain = VARIABLES[field]
    by_number = {to_number(value): value for value in CHOICES[field].values}
    return [by_number[number] for number in domain]


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


def summary(ratings, max_articles=None):
    """
    Agreement figures for a Rating queryset (scope it first: the blinding rule,
    finalized claims only, …). Five queries, whatever the number of ratings. Returns
    plain data:

        {"overall": STATS,
         "articles": [{"id", "title", "slug", **STATS}, …],   # by title; articles with ratings
         "articles_total": how many articles have ratings}

    With `max_articles`, "articles" holds only that many: those with the most
    claims rated by two or more reviewers (then by title), and only theirs are
    counted claim by claim.

    where STATS = {"claims_rated", "claims_paired" (claims with ≥ 2 ratings),
    "ratings" and "reviewers" (on those claims),
    "evidence_strength": {"level", "percent_agreement", "alpha"},
    "verdict": {"level", "percent_agreement", "alpha"}}; a figure that cannot
    be computed is None.
    """
    independent = ratings.independent().order_by()
    paired = _paired_claims(independent)
    articles = list(
        independent.values_list("claim__article_id", "claim__article__title", "claim__article__slug").annotate(
            rated=Count("claim_id", distinct=True),
            paired=Count("claim_id", distinct=True, filter=Q(claim_id__in=paired)),
        )
    )
    shown = sorted(articles, key=lambda article: (-article[4], article[1], article[0]))
    scope = ratings
    if max_articles is not None and len(shown) > max_articles:
        shown = shown[:max_articles]
        scope = ratings.filter(claim__article_id__in=[article[0] for article in shown])
    by_article = article_tallies(scope)
    total = Counter(rated=sum(article[3] for article in articles))
    for *profiles, claims in _profile_counts(independent):
        for field, profile in zip(VARIABLES, _split(profiles), strict=True):
            total[f"u|{field}|{profile}"] += claims
    for reviewer_id, n in independent.filter(claim_id__in=paired).values_list("reviewer_id").annotate(n=Count("pk")):
        total[f"r|{reviewer_id}"] += n
    rated = [(pk, title, slug, by_article[pk]) for pk, title, slug, _, _ in shown]
    return summary_of_tallies(rated, total, len(articles))


def _per_claim(independent, *fields, **aggregates):
    """One row per claim (and `fields`): `n`, its number of ratings, and `aggregates`."""
    return independent.values("claim_id", *fields).annotate(n=Count("pk"), **aggregates)


def _paired_claims(independent):
    """The ids of the claims with two or more of these independent ratings, as a subquery."""
    return _per_claim(independent).filter(n__gte=2).values("claim_id")


def _splits():
    """For each variable and value, in domain order: an aggregate counting a claim's ratings of that value."""
    return {
        f"{field}_{index}": Count("pk", filter=Q(**{INDEPENDENT[field]: value}))
        for field in VARIABLES
        for index, value in enumerate(_values_in_domain_order(field))
    }


def _split(counts):
    """A row of _splits() counts, as one profile key part per variable ("0,2,1,0,0", …)."""
    profiles, start = [], 0
    for _, _, domain in VARIABLES.values():
        profiles.append(",".join(map(str, counts[start : start + len(domain)])))
        start += len(domain)
    return profiles


def _profile_counts(independent):
    """
    [(*_splits() counts, claims)]: how many claims with two or more ratings split them
    each way, counted by the database. The ORM cannot aggregate over an aggregate, so
    the per-claim query it builds is counted by a GROUP BY around it.
    """
    splits = _splits()
    per_claim = _per_claim(independent, **splits).filter(n__gte=2)
    sql, params = per_claim.query.sql_with_params()
    connection = connections[per_claim.db]
    columns = ", ".join(connection.ops.quote_name(name) for name in splits)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, COUNT(*) FROM ({sql}) per_claim GROUP BY {columns}", params)  # noqa: S608
        return cursor.fetchall()


def article_tallies(ratings):
    """
    {article_id: tally()} of a Rating queryset's independent ratings, the counting
    done by the database: how each claim's ratings split over each variable's values
    (one row per claim), and how many ratings each reviewer gave on claims with two or
    more (one row per article and reviewer). Two queries; the same tallies as
    tally() of the ratings read one by one (a test holds them to it).
    """
    independent = ratings.independent().order_by()
    splits = _splits()
    claims = _per_claim(independent, "claim__article_id", **splits).values_list("claim__article_id", "n", *splits)
    tallies = defaultdict(Counter)
    for article_id, n, *counts in claims:
        tally = tallies[article_id]
        tally["rated"] += 1
        if n >= 2:
            for field, profile in zip(VARIABLES, _split(counts), strict=True):
                tally[f"u|{field}|{profile}"] += 1
    reviewers = (
        independent.filter(claim_id__in=_paired_claims(independent))
        .values_list("claim__article_id", "reviewer_id")
        .annotate(n=Count("pk"))
    )
    for article_id, reviewer_id, n in reviewers:
        tallies[article_id][f"r|{reviewer_id}"] += n
    return dict(tallies)


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
    whole-database figure hides which reviewers disagree. Two queries: the
    database pairs each claim's ratings and counts each pair of reviewers'
    pairs of values; then the reviewers' names. Returns
    [{"pair": (username, username), **STATS}, …] by username, where STATS is as
    summary()'s.
    """
    independent = ratings.independent()
    other = "claim__ratings__"
    rows = (
        independent.order_by()
        # The other rating of the pair: one of the same scope, by a reviewer with a higher id.
        .filter(**{f"{other}in": independent.values("pk"), f"{other}reviewer_id__gt": F("reviewer_id")})
        .annotate(
            other_strength=independent.independent_value("evidence_strength", other),
            other_verdict=independent.independent_value("verdict", other),
        )
        .values_list(
            "reviewer_id",
            f"{other}reviewer_id",
            "independent_strength",
            "other_strength",
            "independent_verdict",
            "other_verdict",
        )
        .annotate(n=Count("pk"))
    )
    tallies = defaultdict(Counter)
    for first, second, strength, other_strength, verdict, other_verdict, n in rows:
        tally = tallies[first, second]
        tally["rated"] += n
        tally[f"r|{first}"] += n
        tally[f"r|{second}"] += n
        tally[_pair_key("evidence_strength", strength, other_strength)] += n
        tally[_pair_key("verdict", verdict, other_verdict)] += n
    reviewer = ratings.model._meta.get_field("reviewer").related_model
    names = dict(reviewer.objects.filter(pk__in={pk for pair in tallies for pk in pair}).values_list("pk", "username"))
    named = {tuple(sorted((names[first], names[second]))): tally for (first, second), tally in tallies.items()}
    return [{**stats_from_tally(named[pair]), "pair": pair} for pair in sorted(named)]


@functools.cache
def _pair_key(field, first, second):
    """The tally key of a claim whose two ratings of `field` are `first` and `second`."""
    _, to_number, domain = VARIABLES[field]
    profile = [0] * len(domain)
    for value in (first, second):
        profile[domain.index(to_number(value))] += 1
    return f"u|{field}|{','.join(map(str, profile))}"
