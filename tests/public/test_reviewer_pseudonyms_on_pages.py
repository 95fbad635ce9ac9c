"""
One pseudonym per reviewer everywhere: the claim page labels each rating with
its reviewer's reviewer-N, the same one the ratings CSV gives, whatever order
the reviewers rated a claim in.
"""

import pytest
from django.urls import reverse

from claims.models import ReviewerPseudonym
from tests import factories as f
from tests.export_helpers import ratings

pytestmark = pytest.mark.django_db


def finalized_claim_rated_by(lead, *reviewers):
    claim = f.make_claim()
    for reviewer in reviewers:
        f.make_rating(claim, reviewer)
    f.finalize(claim, lead)
    return claim


def labels_on_page(client, claim):
    response = client.get(reverse("claim_detail", args=[claim.pk]))
    return {rating.reviewer_id: rating.public_label for rating in response.context["ratings"]}


def test_a_reviewer_has_one_pseudonym_on_every_claim_page_and_in_the_csv(client, alice, bob, carol):
    first = finalized_claim_rated_by(carol, alice, bob)
    second = finalized_claim_rated_by(carol, bob, alice)  # the other order: bob is listed first here
    on_first, on_second = labels_on_page(client, first), labels_on_page(client, second)
    assert on_first == on_second == {alice.pk: "reviewer-1", bob.pk: "reviewer-2"}
    # The page lists ratings in the order they were made, each under its reviewer's pseudonym.
    html = client.get(reverse("claim_detail", args=[second.pk])).content.decode()
    assert html.index('<th scope="row">reviewer-2</th>') < html.index('<th scope="row">reviewer-1</th>')
    in_csv = {(row["claim_id"], row["reviewer"]) for row in ratings(client)}
    pages = {
        (str(claim.pk), label)
        for claim, labels in ((first, on_first), (second, on_second))
        for label in labels.values()
    }
    assert in_csv == pages


def test_the_first_page_showing_a_reviewer_gives_them_the_pseudonym_the_csv_then_uses(client, alice, bob, carol):
    claim = finalized_claim_rated_by(carol, bob, alice)
    assert not ReviewerPseudonym.objects.exists()
    assert sorted(labels_on_page(client, claim).items()) == sorted(
        {bob.pk: "reviewer-1", alice.pk: "reviewer-2"}.items()
    )
    assert {row["reviewer"] for row in ratings(client)} == {"reviewer-1", "reviewer-2"}
    assert ReviewerPseudonym.objects.count() == 2


def test_a_pseudonym_given_by_an_export_is_kept_on_pages(client, alice, bob, carol):
    finalized_claim_rated_by(carol, bob)
    ratings(client)  # bob becomes reviewer-1 here
    claim = finalized_claim_rated_by(carol, alice, bob)
    assert labels_on_page(client, claim) == {alice.pk: "reviewer-2", bob.pk: "reviewer-1"}


def test_pages_never_show_usernames_or_the_old_order_labels(client, alice, bob, carol):
    claim = finalized_claim_rated_by(carol, alice, bob)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Reviewer 1" not in html and "Reviewer 2" not in html
    for user in (alice, bob, carol):
        assert user.username not in html
