"""/claims/?q=: a search lists the newest matches first and counts up to SEARCH_COUNT_CAP."""

import pytest
from django.urls import reverse

from tests import export_helpers, factories

pytestmark = pytest.mark.django_db
URL = reverse("claim_list")


@pytest.fixture
def five_matches(db):
    """Five claims that say 'magnesium', added in reading order, and one that does not."""
    text = " ".join(f"Magnesium fact {i}." for i in range(5)) + " Zinc is different."
    article = factories.make_article(text, slug="facts")
    claims = [factories.make_claim(article, f"Magnesium fact {i}.", statement=f"Fact {i}") for i in range(5)]
    factories.make_claim(article, "Zinc is different.", statement="Zinc")
    return claims


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr("public.views.SEARCH_COUNT_CAP", 3)


def statements(response):
    return [claim.statement for claim in response.context["claims"]]


def test_a_search_lists_the_newest_matches_first_and_says_so(client, five_matches):
    response = client.get(URL, {"q": "magnesium"})
    assert statements(response) == [f"Fact {i}" for i in reversed(range(5))]
    assert '<option value="newest" selected>Newest first</option>' in response.content.decode()


def test_a_search_can_still_be_read_in_reading_order(client, five_matches):
    response = client.get(URL, {"q": "magnesium", "order": "article"})
    assert statements(response) == [f"Fact {i}" for i in range(5)]


def test_a_search_matching_more_than_the_cap_says_more_than(client, five_matches, cap_of_three):
    response = client.get(URL, {"q": "magnesium"})
    html = response.content.decode()
    assert '<h2 id="results-heading">More than 3 claims</h2>' in html
    assert "of the first 3 matches" in html
    assert statements(response) == ["Fact 4", "Fact 3", "Fact 2"]


def test_the_pages_of_a_capped_search_end_at_the_cap(client, five_matches, cap_of_three):
    from public.views import ClaimListView

    ClaimListView.paginate_by, before = 2, ClaimListView.paginate_by
    try:
        assert statements(client.get(URL, {"q": "magnesium", "page": 2})) == ["Fact 2"]
        past = client.get(URL, {"q": "magnesium", "page": 3})
        assert past.status_code == 400
        assert "There is no page 3: the list has 2 pages." in past.content.decode()
    finally:
        ClaimListView.paginate_by = before


def test_a_search_under_the_cap_gets_an_exact_count(client, five_matches, cap_of_three):
    response = client.get(URL, {"q": "zinc"})
    assert '<h2 id="results-heading">1 claim</h2>' in response.content.decode()
    assert not response.context["paginator"].more


def test_lists_without_a_search_are_not_held_to_the_search_cap(client, five_matches, cap_of_three):
    response = client.get(URL)
    assert '<h2 id="results-heading">6 claims</h2>' in response.content.decode()


@pytest.fixture
def list_cap_of_four(monkeypatch):
    monkeypatch.setattr("public.views.LIST_COUNT_CAP", 4)
    # A cap this small would read its ids at once; lists count with a capped COUNT instead.
    monkeypatch.setattr("public.pagination.READ_IDS_UP_TO", 0)


def test_a_list_longer_than_the_list_cap_says_more_than(client, five_matches, list_cap_of_four):
    response = client.get(URL)
    html = response.content.decode()
    assert '<h2 id="results-heading">More than 4 claims</h2>' in html
    assert "of the first 4 claims. Narrow the list with the filters" in html
    assert response.context["paginator"].more


def test_the_pages_of_a_capped_list_end_at_the_cap(client, five_matches, list_cap_of_four):
    from public.views import ClaimListView

    ClaimListView.paginate_by, before = 3, ClaimListView.paginate_by
    try:
        assert statements(client.get(URL, {"page": 2})) == ["Fact 3"]
        assert client.get(URL, {"page": 3}).status_code == 400
    finally:
        ClaimListView.paginate_by = before


def test_a_list_as_long_as_the_list_cap_gets_an_exact_count(client, five_matches, list_cap_of_four, monkeypatch):
    monkeypatch.setattr("public.views.LIST_COUNT_CAP", 6)
    response = client.get(URL)
    assert not response.context["paginator"].more
    assert '<h2 id="results-heading">6 claims</h2>' in response.content.decode()


def test_the_csv_of_a_capped_search_holds_every_match(client, five_matches, cap_of_three):
    exported = export_helpers.claims(client, {"q": "magnesium"})
    assert [row["claim_statement"] for row in exported] == [f"Fact {i}" for i in reversed(range(5))]


def test_the_csv_of_a_capped_list_holds_every_claim(client, five_matches, list_cap_of_four):
    assert len(export_helpers.claims(client, {})) == 6
