"""Linking a claim to studies from its review page: search and link, add new, unlink."""

import pytest
from django.urls import reverse

from claims.models import Citation, Study
from tests.factories import cite, make_claim, make_study

pytestmark = pytest.mark.django_db


def test_search_finds_studies_not_yet_linked(client, alice, claim):
    linked = make_study("(Shin 2020)")
    cite(claim, linked)
    other = make_study("(Shin 2011)")
    make_study("(Kim 2019)")
    client.force_login(alice)
    response = client.get(reverse("review:claim", args=[claim.pk]), {"study_q": "shin"})
    assert list(response.context["found_studies"]) == [other]


def test_reviewer_links_an_existing_study(client, alice, claim):
    study = make_study()
    client.force_login(alice)
    response = client.post(reverse("review:link_study", args=[claim.pk]), {"study": study.pk})
    assert response.status_code == 302
    citation = Citation.objects.get(claim=claim, study=study)
    assert citation.added_by == alice


def test_linking_twice_keeps_one_citation(client, alice, claim):
    study = make_study()
    client.force_login(alice)
    client.post(reverse("review:link_study", args=[claim.pk]), {"study": study.pk})
    client.post(reverse("review:link_study", args=[claim.pk]), {"study": study.pk})
    assert Citation.objects.filter(claim=claim, study=study).count() == 1


def test_linking_an_unknown_study_is_explained(client, alice, claim):
    client.force_login(alice)
    response = client.post(reverse("review:link_study", args=[claim.pk]), {"study": 999999})
    assert response.status_code == 400
    assert "That study does not exist" in response.content.decode()
    assert not Citation.objects.exists()


def test_reviewer_adds_and_links_a_new_study_with_normalised_identifiers(client, alice, claim):
    client.force_login(alice)
    response = client.post(
        reverse("review:add_study", args=[claim.pk]),
        {"citation": "(Example 2021)", "doi": "https://doi.org/10.1000/xyz", "pmid": "PMID: 123", "design": "rct"},
    )
    assert response.status_code == 302
    study = Study.objects.get(citation="(Example 2021)")
    assert (study.doi, study.pmid, study.design) == ("10.1000/xyz", "123", "rct")
    assert Citation.objects.filter(claim=claim, study=study).exists()


def test_malformed_doi_is_explained_and_nothing_is_saved(client, alice, claim):
    client.force_login(alice)
    response = client.post(
        reverse("review:add_study", args=[claim.pk]),
        {"citation": "(Example 2021)", "doi": "doi 12345", "design": "rct"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "is not a DOI. A DOI starts with 10." in content
    assert not Study.objects.exists()
    assert not Citation.objects.exists()


def test_malformed_pmid_is_explained(client, alice, claim):
    client.force_login(alice)
    response = client.post(
        reverse("review:add_study", args=[claim.pk]), {"citation": "(Example 2021)", "pmid": "12ab", "design": "rct"}
    )
    assert response.status_code == 400
    assert "is not a PubMed id" in response.content.decode()
    assert not Study.objects.exists()


def test_missing_citation_is_explained(client, alice, claim):
    client.force_login(alice)
    response = client.post(reverse("review:add_study", args=[claim.pk]), {"citation": "", "design": "rct"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_reviewer_unlinks_a_study_they_linked_and_it_stays_in_history(client, alice, claim):
    study = make_study()
    claim.link_study(study, alice)  # evidence alice consulted; the article's own citations are leads' to remove
    client.force_login(alice)
    response = client.post(reverse("review:unlink_study", args=[claim.pk, study.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    assert not Citation.objects.filter(claim=claim).exists()
    assert Study.objects.filter(pk=study.pk).exists()
    history = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "unlinked <em>Study link: (Shin 2020)</em>" in history


def test_unlinking_a_study_of_another_claim_is_404(client, alice, claim):
    study = make_study()
    cite(make_claim(), study)
    client.force_login(alice)
    assert client.post(reverse("review:unlink_study", args=[claim.pk, study.pk])).status_code == 404
    assert Citation.objects.filter(study=study).count() == 1
