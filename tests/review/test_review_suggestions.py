"""/review/suggestions/: lead reviewers accept or reject the importer's suggested claims."""

import pytest
from django.urls import reverse

from claims.models import ClaimStatus
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db
URL = reverse("review:suggestions")


def decide(client, claim, decision):
    # Confirmed: rejecting asks first (tests/review/test_citation_origin.py shows the question).
    return client.post(reverse("review:decide_suggestion", args=[claim.pk]), {"decision": decision, "confirmed": "yes"})


@pytest.fixture
def suggested(db):
    article = make_article("Magnesium cures everything. It is natural and safe.")
    return make_claim(article, "Magnesium cures everything.", status=ClaimStatus.SUGGESTED)


def test_lead_sees_suggested_claims_only(client, carol, suggested):
    make_claim(suggested.article, "It is natural and safe.")  # under review: not a suggestion
    client.force_login(carol)
    response = client.get(URL)
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [suggested.pk]


def test_lead_accepts_a_suggestion_into_the_queue(client, carol, alice, suggested):
    client.force_login(carol)
    response = decide(client, suggested, "accept")
    assert response.status_code == 302
    suggested.refresh_from_db()
    assert suggested.status == ClaimStatus.UNDER_REVIEW
    client.force_login(alice)
    assert suggested in client.get(reverse("review:queue")).context["page"]


def test_lead_rejects_a_suggestion_and_it_is_kept(client, carol, suggested):
    client.force_login(carol)
    decide(client, suggested, "reject")
    suggested.refresh_from_db()
    assert suggested.status == ClaimStatus.REJECTED
    assert suggested.history.count() == 2  # created, rejected


def test_deciding_a_claim_that_is_not_a_suggestion_changes_nothing(client, carol):
    claim = make_claim()
    client.force_login(carol)
    response = decide(client, claim, "reject")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNDER_REVIEW
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "not a suggestion" in messages[0]


def test_unknown_decision_changes_nothing(client, carol, suggested):
    client.force_login(carol)
    decide(client, suggested, "maybe")
    suggested.refresh_from_db()
    assert suggested.status == ClaimStatus.SUGGESTED


def test_reviewer_may_not_decide_suggestions(client, alice, suggested):
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert decide(client, suggested, "accept").status_code == 403
    suggested.refresh_from_db()
    assert suggested.status == ClaimStatus.SUGGESTED


def test_anonymous_is_sent_to_login(client, suggested):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unknown_claim_is_404(client, carol):
    client.force_login(carol)
    assert client.post(reverse("review:decide_suggestion", args=[999999]), {"decision": "accept"}).status_code == 404


def test_query_count_is_flat(client, carol):
    article = make_article(" ".join(f"Claim {i} here." for i in range(30)))
    make_claim(article, "Claim 0 here.", status=ClaimStatus.SUGGESTED)
    client.force_login(carol)
    client.get(URL)  # warm the session

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(1, 20):
        make_claim(article, f"Claim {i} here.", status=ClaimStatus.SUGGESTED)
    assert count() == small


def test_reject_looks_destructive_and_accept_primary(client, carol, suggested):
    client.force_login(carol)
    html = client.get(URL).content.decode()
    assert '<button type="submit" name="decision" value="accept">Accept for review' in html
    assert '<button type="submit" name="decision" value="reject" class="danger">Reject' in html
