"""/claims/?substance=<slug>: the substance and its forms, the same in both exports; claims.csv ends with it."""

import pytest
from django.urls import reverse

from claims.models import Substance
from tests import factories as f
from tests.export_helpers import get_export, read, records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabularies(db):
    # Seeded by migration 0025; put back if a transactional test flushed them.
    f.ensure_vocabularies()


URL = reverse("claim_list")


@pytest.fixture
def claims():
    def about(slug, quote):
        article = f.make_article(f"{quote} More text.")
        return f.make_claim(article, quote, substance=Substance.objects.get(slug=slug))

    return {
        "magnesium": about("magnesium", "Brightleaf magnesium soothes nerves."),
        "glycinate": about("magnesium-glycinate", "Brightleaf glycinate tablets calm you."),
        "ashwagandha": about("ashwagandha", "Brightleaf ashwagandha gummies ease stress."),
    }


def listed(response):
    return {claim.pk for claim in response.context["claims"]}


def test_a_substance_takes_its_forms_and_nothing_else(client, claims):
    response = client.get(URL, {"substance": "magnesium"})
    assert listed(response) == {claims["magnesium"].pk, claims["glycinate"].pk}


def test_a_form_takes_only_itself(client, claims):
    assert listed(client.get(URL, {"substance": "magnesium-glycinate"})) == {claims["glycinate"].pk}


def test_an_unknown_substance_is_a_form_error_not_every_claim(client, claims):
    response = client.get(URL, {"substance": "brightleaf-dust"})
    assert response.status_code == 400  # as any invalid filter value: the form's error, no rows
    assert not response.context["claims"]


def test_both_exports_take_the_substance_filter(client, claims, alice, carol):
    rows = records(get_export(client, "claims", {"substance": "ashwagandha"}))
    assert [row["claim_id"] for row in rows] == [str(claims["ashwagandha"].pk)]
    header, *ratings = read(get_export(client, "ratings", {"substance": "ashwagandha"}))
    assert "substance" not in header  # ratings.csv is unchanged


def test_the_claims_csv_ends_with_the_substance_slug(client, claims):
    header, *rows = read(get_export(client, "claims", {"substance": "magnesium"}))
    assert header[-1] == "substance"
    assert header[-2] == "assertion_group"  # what was last stays where it was
    assert sorted(row[-1] for row in rows) == ["magnesium", "magnesium-glycinate"]


def test_cards_and_the_claim_page_name_the_substance(client, claims):
    assert "Magnesium glycinate" in client.get(URL, {"substance": "magnesium"}).content.decode()
    page = client.get(claims["ashwagandha"].get_absolute_url()).content.decode()
    assert "Ashwagandha" in page and "?substance=ashwagandha" in page
