"""/studies/<id>/: a cited study, its links and design, and the public claims citing it."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from tests import factories
from tests.public_pages import page

pytestmark = pytest.mark.django_db


def url(study):
    return reverse("study_detail", args=[study.pk])


@pytest.fixture
def study():
    article = factories.make_article("Rats healed faster. Mice too. Cells as well.", slug="rodents")
    study = factories.make_study("(Rat 2019)", design="animal", doi="10.1000/xyz", title="A rat study", year=2019)
    factories.cite(factories.make_claim(article, "Rats healed faster.", statement="Rats heal"), study)
    factories.cite(
        factories.make_claim(article, "Mice too.", statement="Hidden suggestion", status=ClaimStatus.SUGGESTED), study
    )
    return study


def test_it_shows_the_study_its_design_and_link(client, study):
    response = client.get(url(study))
    parsed = page(response)
    assert parsed.h1 == ["A rat study"]
    html = response.content.decode()
    assert "Animal study" in html
    assert "(Rat 2019)" in html
    assert 'href="https://doi.org/10.1000/xyz"' in html


def test_it_lists_only_public_claims_citing_it(client, study):
    response = client.get(url(study))
    assert [c.statement for c in response.context["claims"]] == ["Rats heal"]
    assert "Hidden suggestion" not in response.content.decode()


def test_a_study_cited_only_by_claims_that_are_not_public_is_a_404(client, db):
    article = factories.make_article("Cells as well.", slug="cells")
    study = factories.make_study("(Cell 2018)")
    factories.cite(factories.make_claim(article, "Cells as well.", status=ClaimStatus.SUGGESTED), study)
    assert client.get(url(study)).status_code == 404
    assert client.get(url(factories.make_study("(Uncited)"))).status_code == 404


def test_an_unknown_study_is_a_404(client, db):
    assert client.get("/studies/424242/").status_code == 404


def test_study_fields_are_escaped(client, db):
    article = factories.make_article("Claim here.", slug="esc")
    study = factories.make_study('<script>alert(1)</script>"><img src=x onerror=alert(2)>', authors="<b>A</b>")
    factories.cite(factories.make_claim(article, "Claim here."), study)
    response = client.get(url(study))
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>A</b>" not in html
    assert page(response).errors == []
