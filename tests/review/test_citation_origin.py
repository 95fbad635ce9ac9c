"""
What the article cites is kept apart from what reviewers consulted: only a
lead removes an article's citation, with a confirmation and a reason kept in
history; a DOI or PMID belongs to one study.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.models import Citation, Study
from tests import factories as f

pytestmark = pytest.mark.django_db


def unlink_url(claim, study):
    return reverse("review:unlink_study", args=[claim.pk, study.pk])


def add_study(client, claim, **fields):
    return client.post(reverse("review:add_study", args=[claim.pk]), {"design": "unknown", **fields})


def test_a_study_a_reviewer_adds_is_shown_as_consulted_not_as_cited(client, alice, claim):
    f.cite(claim, f.make_study("(Shin 2020)"))
    client.force_login(alice)
    add_study(client, claim, citation="A fictional review", doi="10.5555/test-123")
    client.logout()
    page = client.get(reverse("claim_detail", args=[claim.pk]))
    assert [s.citation for s in page.context["cited"]] == ["(Shin 2020)"]
    assert [s.citation for s in page.context["consulted"]] == ["A fictional review"]
    html = page.content.decode()
    assert html.index("The article cites") < html.index("(Shin 2020)") < html.index("Evidence the reviewers consulted")


def test_an_identified_citation_says_what_it_was_identified_as(client, claim):
    f.cite(claim, f.make_study("(Shin 2020)", title="A fictional title", doi="10.5555/fictional"))
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "identified as" in html
    assert "A fictional title" in html


def test_adding_a_known_doi_links_the_study_already_recorded(client, alice, claim):
    known = f.make_study("(Fictional 2001)", doi="10.5555/known")
    client.force_login(alice)
    response = add_study(client, claim, citation="Same paper, cited differently", doi="https://doi.org/10.5555/known")
    assert response.status_code == 302
    assert Study.objects.filter(doi="10.5555/known").count() == 1
    assert list(claim.studies.all()) == [known]


def test_adding_a_known_pmid_as_a_pubmed_link_links_the_study_already_recorded(client, alice, claim):
    known = f.make_study("(Fictional 2002)", pmid="123456")
    client.force_login(alice)
    add_study(client, claim, citation="x", pmid="https://pubmed.ncbi.nlm.nih.gov/123456/")
    assert Study.objects.count() == 1
    assert list(claim.studies.all()) == [known]


def test_a_pubmed_link_is_accepted_in_the_pmid_field(client, alice, claim):
    client.force_login(alice)
    response = add_study(client, claim, citation="A fictional trial", pmid="https://pubmed.ncbi.nlm.nih.gov/20375220/")
    assert response.status_code == 302
    assert Study.objects.get().pmid == "20375220"


def test_the_admin_accepts_a_pubmed_link_and_refuses_a_second_study_with_one_pmid(client, carol):
    f.make_study("(Fictional 2003)", pmid="20375220")
    client.force_login(carol)
    data = {"citation": "Another", "kind": "study", "pmid": "https://pubmed.ncbi.nlm.nih.gov/20375220/"}
    data["design"] = "unknown"
    response = client.post(reverse("admin:claims_study_add"), data)
    assert response.status_code == 200
    assert "A study with this PMID is already recorded" in response.content.decode()
    assert "at most 16 characters" not in response.content.decode()
    data["pmid"] = "https://pubmed.ncbi.nlm.nih.gov/20375221/"
    assert client.post(reverse("admin:claims_study_add"), data).status_code == 302
    assert Study.objects.get(citation="Another").pmid == "20375221"


def test_the_database_holds_one_study_per_doi():
    f.make_study("(A)", doi="10.5555/one")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_study("(B)", doi="10.5555/one")


def test_a_reviewer_cannot_remove_a_citation_the_article_makes(client, alice, claim):
    study = f.make_study()
    f.cite(claim, study)
    client.force_login(alice)
    assert client.post(unlink_url(claim, study), {"confirmed": "yes", "reason": "x"}).status_code == 403
    assert Citation.objects.filter(claim=claim, study=study).exists()
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert unlink_url(claim, study) not in page  # not offered


def test_unlinking_asks_for_confirmation_first(client, carol, claim):
    study = f.make_study()
    f.cite(claim, study)
    client.force_login(carol)
    response = client.post(unlink_url(claim, study))
    assert response.status_code == 200
    assert "This is a citation <strong>the article makes</strong>" in response.content.decode()
    assert Citation.objects.filter(claim=claim, study=study).exists()


def test_a_lead_removes_an_article_citation_only_with_a_reason(client, carol, claim):
    study = f.make_study()
    f.cite(claim, study)
    client.force_login(carol)
    refused = client.post(unlink_url(claim, study), {"confirmed": "yes", "reason": "  "})
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    assert Citation.objects.filter(claim=claim, study=study).exists()
    done = client.post(unlink_url(claim, study), {"confirmed": "yes", "reason": "Curation error: not in the text."})
    assert done.status_code == 302
    assert not Citation.objects.filter(claim=claim).exists()
    removal = Citation.history.filter(claim_id=claim.pk, history_type="-").get()
    assert (removal.history_user, removal.history_change_reason) == (carol, "Curation error: not in the text.")
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Reason: Curation error: not in the text." in page


def test_a_reviewer_cannot_remove_a_study_another_reviewer_linked(client, alice, bob, claim):
    study = f.make_study()
    claim.link_study(study, bob)
    client.force_login(alice)
    assert client.post(unlink_url(claim, study), {"confirmed": "yes"}).status_code == 403
    assert Citation.objects.filter(claim=claim, study=study).exists()


def test_the_domain_refuses_an_article_citation_removal_without_a_reason(carol, claim):
    study = f.make_study()
    f.cite(claim, study)
    with pytest.raises(ValidationError):
        claim.unlink_study(study, carol)
    assert Citation.objects.filter(claim=claim).exists()


def test_a_reviewer_cannot_rewrite_how_the_article_cites_a_study(client, alice, claim):
    study = f.make_study("(Shin 2020)")
    f.cite(claim, study)
    client.force_login(alice)
    url = reverse("admin:claims_study_change", args=[study.pk])
    data = {"citation": "(Someone else 1999)", "kind": "study", "doi": "", "pmid": "", "url": "", "design": "rct"}
    assert client.post(url, data).status_code == 302  # the rest of the form saves
    study.refresh_from_db()
    assert (study.citation, study.design) == ("(Shin 2020)", "rct")


def test_a_lead_corrects_how_the_article_cites_a_study(client, carol, claim):
    study = f.make_study("(Shin 202)")
    f.cite(claim, study)
    client.force_login(carol)
    url = reverse("admin:claims_study_change", args=[study.pk])
    data = {"citation": "(Shin 2020)", "kind": "study", "doi": "", "pmid": "", "url": "", "design": "unknown"}
    assert client.post(url, data).status_code == 302
    study.refresh_from_db()
    assert study.citation == "(Shin 2020)"


def test_reject_asks_for_confirmation(client, carol):
    suggested = f.make_claim(status="suggested")
    client.force_login(carol)
    url = reverse("review:decide_suggestion", args=[suggested.pk])
    response = client.post(url, {"decision": "reject"})
    assert response.status_code == 200
    assert "Reject suggested claim" in response.content.decode()
    suggested.refresh_from_db()
    assert suggested.status == "suggested"
    client.post(url, {"decision": "reject", "confirmed": "yes"})
    suggested.refresh_from_db()
    assert suggested.status == "rejected"
