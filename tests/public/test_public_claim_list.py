"""/claims/: the public claim browser over ClaimFilter."""

import csv
import io

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from public.filters import Q_MAX_LENGTH, UNPRINTABLE
from tests import factories
from tests.public_pages import VERSION_QUERY, page, plan_as_if_large, reviewed_claim

pytestmark = pytest.mark.django_db
URL = reverse("claim_list")


def results(response):
    """The HTML of the results, after the filter form (whose options name every strength)."""
    return response.content.decode().split('id="results-heading"', 1)[1]


def statements(response):
    return [claim.statement for claim in response.context["claims"]]


@pytest.fixture
def corpus(alice, bob, carol):
    """Two articles; claims in every state, so each filter has something to tell apart."""
    pain = factories.make_article(
        "Magnesium cures nerve pain. Rats healed faster. Nobody knows why. Buy our oil today.",
        title="Pain article",
        slug="pain",
    )
    sleep = factories.make_article("Magnesium helps you sleep. It is natural and safe.", title="Sleep", slug="sleep")
    strong = reviewed_claim(
        pain,
        "Magnesium cures nerve pain.",
        [alice, bob],
        carol,
        strength="high",
        verdict="supports",
        statement="strong",
        topic="neuropathic_pain",
        population="human",
    )
    rats = reviewed_claim(
        pain,
        "Rats healed faster.",
        [alice],
        carol,
        strength="very_low",
        verdict="does_not_support",
        statement="rats",
        population="animal",
    )
    factories.cite(rats, factories.make_study("(Rat 2019)", design="animal", doi="10.1000/xyz"))
    unknown = factories.make_claim(pain, "Nobody knows why.", statement="Nobody knows why", topic="general")
    factories.make_flag(pain, "Buy our oil today", category="product-promotion", state="confirmed")
    buy = factories.make_claim(pain, "Buy our oil today.", statement="Buy the oil")
    sleepy = factories.make_claim(sleep, "Magnesium helps you sleep.", statement="Helps sleep", topic="sleep")
    factories.make_flag(sleep, "natural", category="appeal-to-nature", state="suggested")
    factories.make_claim(sleep, "It is natural and safe.", statement="Secret suggestion", status=ClaimStatus.SUGGESTED)
    return {"strong": strong, "rats": rats, "unknown": unknown, "buy": buy, "sleepy": sleepy}


def test_it_lists_only_public_claims(client, corpus):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Secret suggestion" not in response.content.decode()
    assert response.context["paginator"].count == 5


def test_it_hides_rejected_claims(client, corpus):
    corpus["buy"].status = ClaimStatus.REJECTED
    corpus["buy"].save()
    assert "Buy the oil" not in statements(client.get(URL))


def test_it_shows_the_result_count(client, corpus):
    assert '<h2 id="results-heading">5 claims</h2>' in client.get(URL).content.decode()
    assert '<h2 id="results-heading">1 claim</h2>' in client.get(URL, {"topic": "sleep"}).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("article=sleep", {"Helps sleep"}),
        ("topic=neuropathic_pain", {"strong"}),
        ("strength=very_low", {"rats"}),
        ("verdict=supports", {"strong"}),
        ("flag=product-promotion", {"Buy the oil"}),
        ("flag=any", {"Buy the oil"}),
        ("design=animal", {"rats"}),
        ("population=animal", {"rats"}),
        ("status=finalized", {"strong", "rats"}),
        ("status=under_review", {"Nobody knows why", "Buy the oil", "Helps sleep"}),
        ("linked=true", {"rats"}),
        ("linked=false", {"strong", "Nobody knows why", "Buy the oil", "Helps sleep"}),
        ("q=rats+healed", {"rats"}),
        ("q=Rat+2019", {"rats"}),  # a cited study's citation
        ("topic=general&article=pain&status=under_review", {"Nobody knows why", "Buy the oil"}),
    ],
)
def test_each_filter(client, corpus, query, expected):
    assert set(statements(client.get(f"{URL}?{query}"))) == expected


def test_a_flag_counts_for_a_claim_only_when_confirmed(client, corpus):
    # The sleep article's 'natural' flag is only suggested: no claim matches.
    assert statements(client.get(f"{URL}?flag=appeal-to-nature")) == []


def test_a_flag_linked_to_a_claim_counts_even_outside_its_quote(client, corpus):
    article = corpus["sleepy"].article
    factories.make_flag(article, "safe", category="absolute", state="confirmed", claim=corpus["sleepy"])
    assert statements(client.get(f"{URL}?flag=absolute")) == ["Helps sleep"]


def test_strength_filter_ignores_a_reopened_claims_consensus(client, corpus):
    corpus["rats"].status = ClaimStatus.UNDER_REVIEW
    corpus["rats"].save()
    assert statements(client.get(f"{URL}?strength=very_low")) == []


def test_list_shows_no_rating_for_a_claim_under_review(client, corpus):
    # A reopened claim keeps its Consensus row; the list must not show it.
    corpus["rats"].status = ClaimStatus.UNDER_REVIEW
    corpus["rats"].save()
    html = results(client.get(f"{URL}?article=pain"))
    assert "Very low" not in html
    assert "Does not support" not in html
    assert "High" in html  # the finalized one still shows its strength


@pytest.mark.parametrize(
    "query",
    [
        "topic=astrology",
        "strength=excellent",
        "verdict=maybe",
        "flag=lies",
        "design=anecdote",
        "population=martians",
        "status=suggested",  # never public: not a valid choice
        "status=rejected",
        "linked=maybe",
        "article=no-such-article",
        "order=-id",  # not in the allow-list
        "order=password",
    ],
)
def test_an_invalid_filter_value_is_a_400_with_the_form_error_and_no_rows(client, corpus, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.context["filter"].form.errors
    assert list(response.context["claims"]) == []
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert 'class="errorlist' in html


def test_an_overlong_search_is_a_form_error(client, corpus):
    response = client.get(URL, {"q": "magnesium " * (Q_MAX_LENGTH // 5)})
    assert response.status_code == 400
    assert "q" in response.context["filter"].form.errors
    assert list(response.context["claims"]) == []


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("99999", "There is no page 99999: the list has 1 page."),
        ("999999999999999999999999", "There is no page 999999999999999999999999: the list has 1 page."),
        ("0", "Pages are numbered from 1: the list has 1 page."),
        ("-1", "Pages are numbered from 1: the list has 1 page."),
        ("abc", "Pages are numbered from 1: the list has 1 page."),
        ("1e9", "Pages are numbered from 1: the list has 1 page."),
    ],
)
def test_a_page_number_that_is_not_a_page_is_a_400_saying_how_many_pages_there_are(client, corpus, number, message):
    response = client.get(URL, {"page": number, "topic": "sleep"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert list(response.context["claims"]) == []
    # The filters stay, in the form and in the way back to the list.
    assert 'href="?topic=sleep">the first page</a>' in html
    assert '<option value="sleep" selected>' in html


def test_past_the_last_page_names_the_last_and_links_it(client, alice, carol):
    article = factories.make_article(" ".join(f"Claim number {i}." for i in range(30)), slug="many")
    for i in range(30):
        factories.make_claim(article, f"Claim number {i}.", statement=f"Statement {i}")
    response = client.get(URL, {"page": 999999})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no page 999999: the list has 2 pages." in html
    assert '<a href="?page=2">the last page (2)</a>' in html
    assert '<h2 id="results-heading">30 claims</h2>' in html


def test_the_last_page_by_name_is_the_last_page(client, alice, carol):
    article = factories.make_article(" ".join(f"Claim number {i}." for i in range(30)), slug="many")
    for i in range(30):
        factories.make_claim(article, f"Claim number {i}.", statement=f"Statement {i}")
    response = client.get(URL, {"page": "last"})
    assert response.status_code == 200
    assert len(response.context["claims"]) == 5


@pytest.mark.parametrize("unprintable", ["\x00", "mag\x00nesium", "\x1b[31m", "\x7f", "\ufffe", "\U0010ffff"])
def test_an_unprintable_search_is_a_400_and_never_echoed(client, corpus, unprintable):
    response = client.get(URL, {"q": unprintable})
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be shown (such as a null byte)" in html
    assert 'role="alert"' in html
    assert list(response.context["claims"]) == []
    # The search box shows what was typed without the character; no such character anywhere.
    if shown := UNPRINTABLE.sub("", unprintable):
        assert f'name="q" value="{shown}"' in html
    for character in "\x00\x1b\x7f\ufffe\U0010ffff":
        assert character not in html


def test_an_unprintable_choice_is_a_400_and_its_error_message_does_not_echo_it(client, corpus):
    response = client.get(URL, {"topic": "sle\x00ep"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "\x00" not in html
    assert "cannot be shown" in html


def test_an_empty_result_says_so_and_offers_to_clear_filters(client, corpus):
    response = client.get(URL, {"q": "unicorns"})
    html = response.content.decode()
    assert "No claims match these filters." in html
    assert f'<a href="{URL}">Clear all filters</a>' in html


def test_ordering_is_allow_listed(client, corpus):
    newest = statements(client.get(URL, {"order": "newest"}))
    oldest = statements(client.get(URL, {"order": "oldest"}))
    assert newest == list(reversed(oldest))
    assert len(newest) == 5


def test_topic_order_groups_by_topic_in_reading_order(client):
    article = factories.make_article("Alpha helps sleep. Beta eases pain. Gamma aids sleep.", slug="order")
    # Created out of reading order: within a topic the list follows the text, not the ids.
    gamma = factories.make_claim(article, "Gamma aids sleep.", statement="gamma", topic="sleep")
    alpha = factories.make_claim(article, "Alpha helps sleep.", statement="alpha", topic="sleep")
    beta = factories.make_claim(article, "Beta eases pain.", statement="beta", topic="neuropathic_pain")
    assert gamma.pk < alpha.pk
    assert statements(client.get(URL, {"order": "topic"})) == [beta.statement, alpha.statement, gamma.statement]


def test_topic_order_reads_its_page_from_the_index_without_sorting():
    # Ordered by (topic, id), the database sorted a whole topic for each page: 3.6 times
    # slower at 1,000,000 claims than at 100,000 on PostgreSQL (docs/benchmarks.md).
    from django.db import connection

    from public.filters import ORDERINGS

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by table statistics; the plan is pinned on SQLite")
    plan = plan_as_if_large(Claim.objects.public().order_by(*ORDERINGS["topic"][1]).values_list("pk", flat=True)[:25])
    assert "claim_topic_order_idx" in plan
    assert "TEMP B-TREE" not in plan


def test_pagination_keeps_the_filters(client, alice, carol):
    article = factories.make_article(" ".join(f"Claim number {i}." for i in range(30)), slug="many")
    for i in range(30):
        factories.make_claim(article, f"Claim number {i}.", statement=f"Statement {i}")
    first = client.get(URL, {"article": "many", "status": "under_review"})
    assert len(first.context["claims"]) == 25
    html = first.content.decode()
    assert "?article=many&amp;status=under_review&amp;page=2" in html
    second = client.get(URL, {"article": "many", "status": "under_review", "page": 2})
    assert len(second.context["claims"]) == 5
    assert second.context["paginator"].count == 30


def test_filter_controls_are_labelled(client, corpus):
    parsed = page(client.get(URL))
    labels = {attrs.get("for") for attrs in parsed.find_all("label")}
    controls = [attrs["id"] for tag, attrs in parsed.tags if tag in ("input", "select") and attrs.get("id")]
    assert controls
    assert set(controls) <= labels


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, alice, bob, carol, size):
    for i in range(size):
        article = factories.make_article(f"Claim {i} is here. Buy now.", slug=f"a{i}")
        claim = reviewed_claim(article, f"Claim {i} is here.", [alice, bob], carol) if i % 2 else None
        claim = claim or factories.make_claim(article, f"Claim {i} is here.")
        factories.cite(claim, factories.make_study(f"(Study {i})"))
        factories.make_flag(article, "Buy now", state="confirmed")
    with django_assert_num_queries(VERSION_QUERY + 9):
        # 1 count, 2 the page's ids (ids-first pagination), 3 those claims with
        # article, consensus and substance, 4 their cited studies, 5 the confirmed flags touching
        # them (marked in the cards' quotes), 6 the article choices of the form,
        # 7 whether a demonstration review's ratings are published (the notice),
        # 8 the topics table (labels and choices; cached per process, empty at a test's
        # start), 9 the substance choices of the form.
        response = client.get(URL)
    assert len(response.context["claims"]) == min(size, 25)


def test_assertion_filter_lists_the_group_and_exports_take_it(client, carol):
    from claims.models import ClaimMatch

    first = factories.make_claim(
        factories.make_article("Magnesium eases cramps. Fictional."), "Magnesium eases cramps."
    )
    second = factories.make_claim(
        factories.make_article("Cramps ease with magnesium. Fictional."), "Cramps ease with magnesium."
    )
    factories.make_claim()
    ClaimMatch.objects.suggest(first.pk, second.pk, 0.8, ()).decide(carol, confirm=True)
    first.refresh_from_db()
    response = client.get(reverse("claim_list"), {"assertion": first.assertion_group_id})
    assert {claim.pk for claim in response.context["claims"]} == {first.pk, second.pk}
    export = client.get(reverse("export_claims"), {"assertion": first.assertion_group_id})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {row["claim_id"] for row in rows} == {str(first.pk), str(second.pk)}
    assert {row["assertion_group"] for row in rows} == {str(first.assertion_group_id)}


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999"])
def test_an_invalid_assertion_is_a_400(client, value):
    assert client.get(reverse("claim_list"), {"assertion": value}).status_code == 400
    assert client.get(reverse("export_claims"), {"assertion": value}).status_code == 400
