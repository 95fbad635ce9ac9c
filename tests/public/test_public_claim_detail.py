"""/claims/<id>/: a claim, its rating once finalized, its studies and flags, and ClaimReview JSON-LD."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus, EvidenceStrength, ReviewerPseudonym
from tests import factories
from tests.public_pages import VERSION_QUERY, page, reviewed_claim

pytestmark = pytest.mark.django_db

ATTACK = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def url(claim):
    return reverse("claim_detail", args=[claim.pk])


@pytest.fixture
def article():
    return factories.make_article(
        "Intro line.\nMagnesium cures nerve pain in weeks. Rats healed faster.\nOutro.",
        title="Nerve article",
        slug="nerve",
        publisher="Example Oils",
    )


@pytest.fixture
def finalized(article, alice, bob, carol):
    claim = reviewed_claim(
        article,
        "Magnesium cures nerve pain in weeks.",
        [alice, bob],
        carol,
        strength="very_low",
        verdict="does_not_support",
        rationale="Only a rat study is cited.",
        statement="Magnesium cures nerve pain",
    )
    bob_rating = claim.ratings.get(reviewer=bob)
    bob_rating.evidence_strength = "low"
    bob_rating.extrapolation_concerns = ["animal_to_human"]
    bob_rating.save()
    return claim


@pytest.fixture
def under_review(article, alice, bob, carol):
    """Rated by two reviewers, with a consensus row left over from before it was reopened."""
    claim = reviewed_claim(
        article, "Rats healed faster.", [alice, bob], carol, strength="high", verdict="supports", rationale="Secret."
    )
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.save()
    return claim


def test_a_finalized_claim_shows_the_consensus_and_rationale(client, finalized):
    html = client.get(url(finalized)).content.decode()
    assert "Very low" in html
    assert "Does not support the claim" in html
    assert "Only a rat study is cited." in html


def test_individual_ratings_carry_pseudonyms_never_names(client, finalized, alice, bob, carol):
    response = client.get(url(finalized))
    html = response.content.decode()
    assert [r.public_label for r in response.context["ratings"]] == ["reviewer-1", "reviewer-2"]
    assert '<th scope="row">reviewer-1</th>' in html and '<th scope="row">reviewer-2</th>' in html
    assert "Animal → human" in html
    for user in (alice, bob, carol):
        assert user.username not in html


def test_a_claim_under_review_shows_no_rating(client, under_review):
    response = client.get(url(under_review))
    html = response.content.decode()
    assert "This claim is under review" in html
    assert response.context["consensus"] is None
    assert response.context["ratings"] == []
    assert "Secret." not in html
    assert "Supports the claim" not in html
    assert "s-high" not in html
    assert "reviewer-1" not in html


def test_a_claim_under_review_has_no_claim_review_markup(client, under_review):
    assert page(client.get(url(under_review))).json_ld() == []


def test_a_finalized_claim_without_a_consensus_row_shows_no_rating(client, article):
    claim = factories.make_claim(article, "Rats healed faster.", status=ClaimStatus.FINALIZED)
    response = client.get(url(claim))
    assert "This claim is under review" in response.content.decode()
    assert page(response).json_ld() == []


@pytest.mark.parametrize("status", [ClaimStatus.SUGGESTED, ClaimStatus.REJECTED])
def test_a_claim_that_is_not_public_is_a_404(client, article, status):
    claim = factories.make_claim(article, "Rats healed faster.", status=status)
    assert client.get(url(claim)).status_code == 404


def test_an_unknown_claim_is_a_404(client, db):
    assert client.get("/claims/987654/").status_code == 404
    assert client.get("/claims/99999999999999999999999/").status_code == 404


def test_it_shows_the_quote_in_its_paragraph(client, finalized):
    html = client.get(url(finalized)).content.decode()
    assert "Magnesium cures nerve pain in weeks.</mark> Rats healed faster." in html
    assert "Intro line." not in html.split("quote-context")[1].split("</figure>")[0]


def test_cited_studies_are_shown_with_their_links(client, finalized):
    factories.cite(finalized, factories.make_study("(Rat 2019)", doi="10.1000/xyz", pmid="123", design="animal"))
    factories.cite(finalized, factories.make_study("(Unlinked 2020)"))
    html = client.get(url(finalized)).content.decode()
    assert 'href="https://doi.org/10.1000/xyz"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/123/"' in html
    assert "Animal study" in html
    assert "Not yet linked to the original study." in html


def test_only_confirmed_flags_are_shown_with_their_explanation(client, article, finalized):
    factories.make_flag(article, "cures", category="disease-claim", state="confirmed")
    factories.make_flag(article, "in weeks", category="fear-urgency", state="suggested")
    factories.make_flag(article, "nerve pain", category="hype", state="dismissed")
    response = client.get(url(finalized))
    assert [f.category for f in response.context["flags"]] == ["disease-claim"]
    html = response.content.decode()
    assert "DSHEA" in html
    assert "Fear and urgency" not in html


def test_the_page_is_canonical_titled_and_described(client, finalized):
    parsed = page(client.get(url(finalized)))
    assert parsed.canonical() == f"http://testserver/claims/{finalized.pk}/"
    assert parsed.h1 == ["Magnesium cures nerve pain"]
    assert parsed.title.startswith("Magnesium cures nerve pain")
    assert "Does not support the claim (very low evidence)" in parsed.meta_description()


def test_claim_review_json_ld(client, finalized, settings):
    settings.MGREVIEW_ORGANISATION = "Example Review Org"
    settings.MGREVIEW_ORGANISATION_URL = "https://review.example.org/"
    finalized.article.source_url = "https://example.org/nerve"
    finalized.article.save()
    [review] = page(client.get(url(finalized))).json_ld()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver/claims/{finalized.pk}/"
    assert review["claimReviewed"] == "Magnesium cures nerve pain"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Review Org",
        "url": "https://review.example.org/",
    }
    assert review["datePublished"] == finalized.consensus.created_at.date().isoformat()
    rating = review["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "ratingValue": 2,  # very low: 1 (no evidence) … 5 (high)
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Does not support the claim (very low evidence)",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["text"] == "Magnesium cures nerve pain in weeks."
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "headline": "Nerve article",
        "url": "https://example.org/nerve",
    }
    assert item["author"] == {"@type": "Organization", "name": "Example Oils"}


def test_claim_review_leaves_out_what_is_not_known(client, finalized):
    [review] = page(client.get(url(finalized.__class__.objects.get(pk=finalized.pk)))).json_ld()
    assert "url" not in review["itemReviewed"]["appearance"]  # the article has no source URL
    assert "datePublished" not in review["itemReviewed"]  # publication date is not recorded


@pytest.mark.parametrize(
    ("strength", "value"),
    [("none", 1), ("very_low", 2), ("low", 3), ("moderate", 4), ("high", 5)],
)
def test_rating_value_follows_the_evidence_strength(strength, value):
    assert EvidenceStrength.rating_value(strength) == value


def test_json_ld_is_a_data_block_with_no_nonce_so_every_reader_gets_the_same_bytes(client, finalized):
    first, second = client.get(url(finalized)), client.get(url(finalized))
    [(attrs, _)] = [s for s in page(first).scripts if s[0].get("type") == "application/ld+json"]
    assert "nonce" not in attrs
    assert "nonce-" not in first.headers["Content-Security-Policy"]
    assert first.content == second.content


def test_claim_text_cannot_break_out_of_the_json_ld_script(client, article, alice, carol):
    text = f"Magnesium </script><script>alert(1)</script> & {ATTACK}"
    attack_article = factories.make_article(f"Before. {text} After.", slug="attack", publisher="</script>")
    claim = reviewed_claim(
        attack_article, text, [alice], carol, statement=f"</script>{ATTACK}", rationale=f"</script>{ATTACK}"
    )
    response = client.get(url(claim))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    parsed = page(response)
    assert [s[1].count("</script") for s in parsed.scripts] == [0]
    [review] = parsed.json_ld()
    assert review["claimReviewed"] == f"</script>{ATTACK}"  # the text survives, escaped, as data
    assert review["itemReviewed"]["text"] == text
    assert parsed.errors == []


def test_quote_statement_citation_and_rationale_are_escaped(client, alice, carol):
    article = factories.make_article(f"Start. {ATTACK} End.", slug="esc", title=ATTACK)
    claim = reviewed_claim(article, ATTACK, [alice], carol, statement=ATTACK[:200], rationale=ATTACK)
    factories.cite(claim, factories.make_study(ATTACK))
    factories.make_flag(article, ATTACK, category="hype", state="confirmed")
    html = client.get(url(claim)).content.decode()
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert page(client.get(url(claim))).errors == []


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, alice, bob, carol, size):
    text = " ".join(f"Sentence {i}." for i in range(size))
    article = factories.make_article(f"Magnesium works. {text}", slug="big")
    claim = reviewed_claim(article, "Magnesium works.", [alice, bob], carol)
    for i in range(size):
        factories.cite(claim, factories.make_study(f"(Study {i})", doi=f"10.1000/xyz{i}"))
        factories.make_flag(article, f"Sentence {i}.", state="confirmed", claim=claim)
    ReviewerPseudonym.objects.assign_missing()  # as the first view or export of a rating does
    with django_assert_num_queries(VERSION_QUERY + 6):
        # 1 the claim with its article, consensus and substance, 2 the public ratings (+ pseudonyms),
        # 3 the cited studies, 4 the confirmed flags, 5 the demonstration notice, 6 the topics
        # table for the topic's label (cached per process; every test starts with it empty).
        response = client.get(url(claim))
    assert len(response.context["flags"]) == size


def _grouped_claims(carol, size):
    """A claim confirmed the same as `size` claims of other (fictional) articles, one of them only suggested."""
    from claims.models import ClaimMatch, ClaimStatus

    here = factories.make_claim(
        factories.make_article("Magnesium eases nerve pain. Fictional."), "Magnesium eases nerve pain."
    )
    others = []
    for n in range(size):
        other = factories.make_claim(
            factories.make_article(f"Nerve pain eases with magnesium {n}. Fictional."),
            f"Nerve pain eases with magnesium {n}.",
        )
        ClaimMatch.objects.suggest(here.pk, other.pk, 0.8, ()).decide(carol, confirm=True)
        others.append(other)
    hidden = factories.make_claim(
        factories.make_article("Magnesium calms nerve pain. Fictional."), "Magnesium calms nerve pain."
    )
    ClaimMatch.objects.suggest(here.pk, hidden.pk, 0.8, ()).decide(carol, confirm=True)
    hidden.status = ClaimStatus.SUGGESTED
    hidden.save()
    here.refresh_from_db()
    return here, others, hidden


def test_the_page_lists_public_claims_of_the_same_assertion(client, carol):
    here, others, hidden = _grouped_claims(carol, 2)
    response = client.get(url(here))
    assert response.context["same_assertion"] == others
    assert f"?assertion={here.assertion_group_id}" in response.content.decode()


def test_an_ungrouped_claim_has_no_same_assertion_section(client, claim):
    response = client.get(url(claim))
    assert response.context["same_assertion"] == []
    assert b"Other articles making the same claim" not in response.content


@pytest.mark.parametrize("size", [1, 8])
def test_same_assertion_section_costs_one_query_for_any_size(client, carol, django_assert_num_queries, size):
    here, _, _ = _grouped_claims(carol, size)
    # claim, its citations, the group's other public claims, demonstration accounts, flags,
    # the topics table (the topic's label; cached per process, empty at a test's start).
    with django_assert_num_queries(VERSION_QUERY + GROUPED_CLAIM_PAGE_QUERIES):
        client.get(url(here))


GROUPED_CLAIM_PAGE_QUERIES = 6
