"""
The agreement figures the database counts (agreement.article_tallies, summary, pairs)
are those of the ratings read one by one and tallied in Python (agreement.tally), on
random ratings: revised ones counting with their blind values, leads' ratings given
after seeing others' left out, several articles, and scoped querysets. The query
counts do not grow with the ratings.
"""

import random
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from claims import agreement
from claims.models import EvidenceStrength, Rating, Verdict
from tests.factories import make_article, make_claim, make_rating, make_reviewer

pytestmark = pytest.mark.django_db


def build_ratings(seed, claims=40):
    rng = random.Random(seed)
    articles = [make_article(title=f"Fictional article {i}") for i in range(3)]
    reviewers = [make_reviewer(f"rater-{seed}-{i}") for i in range(7)]
    for _ in range(claims):
        claim = make_claim(rng.choice(articles))
        for reviewer in rng.sample(reviewers, rng.choice([0, 1, 2, 2, 3, 4, 5])):
            revised = rng.random() < 0.2
            make_rating(
                claim,
                reviewer,
                evidence_strength=rng.choice(EvidenceStrength.values),
                verdict=rng.choice(Verdict.values),
                blind_evidence_strength=rng.choice(EvidenceStrength.values) if revised else "",
                blind_verdict=rng.choice(Verdict.values) if revised else "",
                rated_blind=rng.random() > 0.1,
            )
    return articles, reviewers


def read_one_by_one(ratings):
    """{article_id: {claim_id: {reviewer: (strength, verdict)}}} of the independent ratings, read in Python."""
    claims = defaultdict(lambda: defaultdict(dict))
    for article_id, claim_id, username, strength, verdict in ratings.independent().values_list(
        "claim__article_id", "claim_id", "reviewer__username", "independent_strength", "independent_verdict"
    ):
        claims[article_id][claim_id][username] = (strength, verdict)
    return claims


def reference_tallies(ratings):
    return {article_id: agreement.tally(claims) for article_id, claims in read_one_by_one(ratings).items()}


def reference_pairs(ratings):
    by_reviewer = defaultdict(dict)
    for claims in read_one_by_one(ratings).values():
        for claim_id, by_username in claims.items():
            for username, values in by_username.items():
                by_reviewer[username][claim_id] = values
    result = []
    for first, second in combinations(sorted(by_reviewer), 2):
        shared = by_reviewer[first].keys() & by_reviewer[second].keys()
        if shared:
            claims = {c: {first: by_reviewer[first][c], second: by_reviewer[second][c]} for c in shared}
            result.append({**agreement.stats_from_tally(agreement.tally(claims)), "pair": (first, second)})
    return result


def rounded(value):
    """Figures summed in another order differ in the last bits: compare them to 12 places."""
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(rounded(item) for item in value)
    return round(value, 12) if isinstance(value, float) else value


def by_username(tallies, ratings):
    """The reviewer keys of article_tallies() name ids; the reference names usernames."""
    names = dict(ratings.values_list("reviewer_id", "reviewer__username").distinct())
    return {
        article_id: {(f"r|{names[int(key[2:])]}" if key.startswith("r|") else key): n for key, n in tally.items() if n}
        for article_id, tally in tallies.items()
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_counted_by_the_database_equal_the_ratings_read_one_by_one(seed):
    build_ratings(seed)
    ratings = Rating.objects.all()
    reference = {a: dict(t) for a, t in reference_tallies(ratings).items()}
    assert by_username(agreement.article_tallies(ratings), ratings) == reference
    assert any(key.startswith("u|") for tally in reference.values() for key in tally)  # not trivially equal


@pytest.mark.parametrize("seed", [4, 5])
def test_pairs_counted_by_the_database_equal_the_ratings_read_one_by_one(seed):
    build_ratings(seed)
    ratings = Rating.objects.all()
    reference = reference_pairs(ratings)
    assert len(reference) > 3
    assert rounded(agreement.pairs(ratings)) == rounded(reference)


def test_summary_and_pairs_keep_to_a_scoped_queryset():
    articles, reviewers = build_ratings(6)
    for ratings in (
        Rating.objects.filter(claim__article=articles[0]),
        Rating.objects.visible_to(reviewers[0]),
    ):
        reference = reference_tallies(ratings)
        summary = agreement.summary(ratings)
        assert summary["articles_total"] == len(reference)
        overall = agreement.stats_from_tally(sum(reference.values(), Counter()))
        assert rounded(summary["overall"]) == rounded(overall)
        assert rounded(agreement.summary(ratings, max_articles=1)["overall"]) == rounded(overall)
        for row in summary["articles"]:
            assert rounded({k: v for k, v in row.items() if k not in ("id", "title", "slug")}) == rounded(
                agreement.stats_from_tally(reference[row["id"]])
            )
        assert rounded(agreement.pairs(ratings)) == rounded(reference_pairs(ratings))


def test_summary_keeps_the_articles_with_most_paired_claims_first_then_title():
    build_ratings(7, claims=60)
    ratings = Rating.objects.all()
    reference = reference_tallies(ratings)
    shown = agreement.summary(ratings, max_articles=2)["articles"]
    paired = {a: agreement.paired_claims(t) for a, t in reference.items()}
    titles = {row["id"]: row["title"] for row in agreement.summary(ratings)["articles"]}
    expected = sorted(paired, key=lambda a: (-paired[a], titles[a], a))[:2]
    assert [row["id"] for row in shown] == sorted(expected, key=lambda a: (titles[a], a))


@pytest.mark.parametrize("claims", [10, 60])
def test_the_query_counts_do_not_grow_with_the_ratings(claims, django_assert_num_queries):
    build_ratings(8, claims=claims)
    with django_assert_num_queries(5):
        agreement.summary(Rating.objects.all())
    with django_assert_num_queries(2):
        agreement.pairs(Rating.objects.all())
