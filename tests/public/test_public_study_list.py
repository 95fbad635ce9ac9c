"""/studies/: the studies public claims cite, filterable by design and by whether identified."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus, StudyDesign
from public.views import STUDY_LIST_CLAIMS
from tests import factories
from tests.public_pages import VERSION_QUERY, page

pytestmark = pytest.mark.django_db
URL = reverse("study_list")


def citations(response):
    return [study.citation for study in response.context["studies"]]


@pytest.fixture
def studies(db):
    """An identified RCT cited twice, an unidentified animal study, an organisation, one cited only by a suggestion."""
    article = factories.make_article("Trials show it. Rats too. Experts agree. Hidden.", slug="src")
    trial = factories.make_study("(Trial 2020)", design=StudyDesign.RCT, doi="10.1000/trial", title="A trial")
    rats = factories.make_study("(Rat 2019)", design=StudyDesign.ANIMAL)
    body = factories.make_study("(Health Agency)", kind="organisation")
    hidden = factories.make_study("(Hidden 2018)", design=StudyDesign.RCT)
    shows = factories.make_claim(article, "Trials show it.", statement="Trials show it")
    factories.cite(shows, trial)
    factories.cite(factories.make_claim(article, "Rats too.", statement="Rats too"), trial)
    factories.cite(factories.make_claim(article, "Rats too.", statement="Rats again"), rats)
    factories.cite(factories.make_claim(article, "Experts agree.", statement="Experts"), body)
    suggested = factories.make_claim(article, "Hidden.", statement="Suggested", status=ClaimStatus.SUGGESTED)
    factories.cite(suggested, hidden)
    factories.cite(suggested, trial)
    return {"trial": trial, "rats": rats, "body": body, "hidden": hidden}


def test_it_lists_the_studies_public_claims_cite_by_citation(client, studies):
    response = client.get(URL)
    assert response.status_code == 200
    assert citations(response) == ["(Health Agency)", "(Rat 2019)", "(Trial 2020)"]
    parsed = page(response)
    assert parsed.h1 == ["Cited studies"]
    assert parsed.errors == []


def test_each_study_lists_its_public_claims_and_says_whether_it_is_identified(client, studies):
    html = client.get(URL).content.decode()
    trial = html.split('href="/studies/{}/">A trial</a>'.format(studies["trial"].pk), 1)[1].split(
        "</li>\n      <li", 1
    )[0]
    assert "Cited as “(Trial 2020)”" in trial and f"Design: {StudyDesign.RCT.label}" in trial
    assert 'href="https://doi.org/10.1000/trial"' in trial
    assert "Cited by 2 claims:" in trial
    assert ">Trials show it</a>" in trial and ">Rats too</a>" in trial
    assert "Suggested" not in html
    assert "Not identified" in html
    assert "Organisation, not a study" in html


def test_a_study_cited_by_many_claims_lists_a_few_and_links_to_all(client, db):
    article = factories.make_article(" ".join(f"Claim {i}." for i in range(9)), slug="many")
    study = factories.make_study("(Popular 2021)")
    for i in range(9):
        factories.cite(factories.make_claim(article, f"Claim {i}.", statement=f"Statement {i}"), study)
    response = client.get(URL)
    (listed,) = response.context["studies"]
    assert len(listed.listed_claims) == STUDY_LIST_CLAIMS
    assert listed.claim_count == 9
    assert f'<a href="/studies/{study.pk}/">All 9 claims citing it' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"design": "rct"}, ["(Trial 2020)"]),
        ({"design": "animal"}, ["(Rat 2019)"]),
        ({"identified": "true"}, ["(Trial 2020)"]),
        ({"identified": "false"}, ["(Health Agency)", "(Rat 2019)"]),
        ({"design": "rct", "identified": "false"}, []),
    ],
)
def test_it_filters_by_design_and_by_whether_identified(client, studies, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert citations(response) == expected


def test_a_filter_opens_the_fold_and_no_filter_leaves_it_closed(client, studies):
    assert '<details class="filter-fold">' in client.get(URL).content.decode()
    html = client.get(URL, {"design": "rct"}).content.decode()
    assert '<details class="filter-fold" open>' in html
    assert "(1 set)" in html


@pytest.mark.parametrize("query", [{"design": "anecdote"}, {"identified": "maybe"}, {"design": "r\x00ct"}])
def test_an_invalid_filter_is_a_400_with_the_form_error(client, studies, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert list(response.context["studies"]) == []
    assert "\x00" not in html


@pytest.mark.parametrize("number", ["2", "0", "abc"])
def test_a_page_that_is_not_a_page_is_a_400_saying_how_many_there_are(client, studies, number):
    response = client.get(URL, {"page": number})
    assert response.status_code == 400
    assert "the list has 1 page." in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, size):
    article = factories.make_article(" ".join(f"Claim {i}." for i in range(size)), slug="big")
    for i in range(size):
        claim = factories.make_claim(article, f"Claim {i}.", statement=f"Statement {i}")
        for j in range(3):
            factories.cite(claim, factories.make_study(f"(Study {i}-{j})", doi=f"10.1000/s{i}-{j}"))
    with django_assert_num_queries(VERSION_QUERY + 4):
        # 1 the count of public studies, 2 the page's studies with their counts of public
        # claims, 3 the first few public claims citing each (one windowed query),
        # 4 whether a demonstration review's ratings are published (the notice).
        response = client.get(URL)
    assert len(response.context["studies"]) == min(size * 3, 25)
    assert all(len(study.listed_claims) == 1 for study in response.context["studies"])
