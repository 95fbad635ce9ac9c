"""
A suggested claim's statement is never its quote copied: the importer leaves it
blank and the lead who accepts the suggestion writes it. Every way to accept —
the review page, the admin action, the domain method — asks for it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from analysis import importer
from claims.models import Claim, ClaimStatus
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db
QUOTE = "Velmora drops cure insomnia in adults."


@pytest.fixture
def unwritten(db):
    article = make_article(f"Velmora is a fictional brand. {QUOTE}")
    return make_claim(article, QUOTE, status=ClaimStatus.SUGGESTED, statement="")


def accept(client, claim, **fields):
    return client.post(reverse("review:decide_suggestion", args=[claim.pk]), {"decision": "accept", **fields})


def test_the_importer_leaves_the_statement_for_the_lead(db):
    draft = importer.analyse("v.txt", f"Velmora\n\n{QUOTE} (Orlen 2019)\n".encode())
    article = importer.save(draft)
    assert list(article.claims.values_list("quote", "statement")) == [(f"{QUOTE} (Orlen 2019)", "")]


def test_a_lead_accepts_with_a_statement_in_their_own_words(client, carol, unwritten):
    client.force_login(carol)
    accept(client, unwritten, statement="  Velmora drops   cure insomnia (adults).  ")
    unwritten.refresh_from_db()
    assert (unwritten.status, unwritten.statement) == (
        ClaimStatus.UNDER_REVIEW,
        "Velmora drops cure insomnia (adults).",
    )


@pytest.mark.parametrize("statement", ["", "   ", QUOTE, QUOTE.upper().rstrip(".") + " !"])
def test_accepting_without_a_statement_or_with_the_quote_copied_is_refused(client, carol, unwritten, statement):
    client.force_login(carol)
    response = accept(client, unwritten, statement=statement)
    assert response.status_code == 302
    unwritten.refresh_from_db()
    assert (unwritten.status, unwritten.statement) == (ClaimStatus.SUGGESTED, "")
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("neutral statement" in m for m in messages)


def test_rejecting_needs_no_statement(client, carol, unwritten):
    client.force_login(carol)
    client.post(reverse("review:decide_suggestion", args=[unwritten.pk]), {"decision": "reject", "confirmed": "yes"})
    unwritten.refresh_from_db()
    assert unwritten.status == ClaimStatus.REJECTED


def test_the_suggestions_page_asks_for_the_statement(client, carol, unwritten):
    client.force_login(carol)
    page = client.get(reverse("review:suggestions")).content.decode()
    assert 'name="statement"' in page
    assert f'id="statement-{unwritten.pk}"' in page


def test_the_admin_action_accepts_only_suggestions_with_a_statement(client, carol, unwritten):
    written = make_claim(unwritten.article, "Velmora is a fictional brand.", status=ClaimStatus.SUGGESTED)
    written.statement = "Velmora is a brand."
    written.save()
    client.force_login(carol)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "accept_suggestions", "_selected_action": [unwritten.pk, written.pk]},
        follow=True,
    )
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {unwritten.pk: ClaimStatus.SUGGESTED, written.pk: ClaimStatus.UNDER_REVIEW}
    assert "no neutral statement yet" in response.content.decode()


def test_the_domain_method_refuses_and_changes_nothing(carol, unwritten):
    with pytest.raises(ValidationError, match="neutral statement"):
        unwritten.decide_suggestion(carol, accept=True)
    unwritten.refresh_from_db()
    assert unwritten.status == ClaimStatus.SUGGESTED


def test_the_database_refuses_a_claim_under_review_without_a_statement(unwritten):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=unwritten.pk).update(status=ClaimStatus.UNDER_REVIEW)
