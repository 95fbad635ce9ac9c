"""
Every admin page a reviewer can reach, tried as an intruder would: no history
form writes, and no page shows a rating or consensus the review pages hide.
"""

import contextlib

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse

from claims.models import Claim, MarketingFlag, Rating
from tests import factories as f

pytestmark = pytest.mark.django_db

HIDDEN_NOTE = "bob-blinded-note"
HIDDEN_RATIONALE = "reopened-rationale"


@pytest.fixture
def world(alice, bob, carol):
    """One of everything: a finalized-then-reopened claim, a claim only bob rated, flags, studies."""
    reopened = f.make_claim()
    f.cite(reopened, f.make_study("(Shin 2020)"))
    f.make_rating(reopened, alice)
    f.make_rating(reopened, bob)
    reopened.record_consensus(carol, "low", "partially", HIDDEN_RATIONALE)
    reopened.reopen(carol)
    blinded = f.make_claim()
    Rating.objects.record(blinded, bob, evidence_strength="low", verdict="partially", notes=HIDDEN_NOTE)
    Rating.objects.record(blinded, bob, evidence_strength="very_low", verdict="partially", notes=HIDDEN_NOTE)
    MarketingFlag.objects.raise_on_claim(blinded, "cures", "disease-claim", bob)
    return {"reopened": reopened, "blinded": blinded}


def claims_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label == "claims"
    ]


def admin_urls(model, obj):
    meta = model._meta
    name = f"admin:{meta.app_label}_{meta.model_name}"
    urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    for suffix in ("change", "history", "delete"):
        with contextlib.suppress(NoReverseMatch):  # not every admin has every page
            urls.append(reverse(f"{name}_{suffix}", args=[obj.pk]))
    return urls


def test_no_admin_page_shows_a_reviewer_what_the_review_pages_hide(client, alice, world):
    client.force_login(alice)
    for model, _ in claims_admins():
        for obj in model.objects.all():
            for url in admin_urls(model, obj):
                response = client.get(url)
                assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
                body = response.content.decode()
                assert HIDDEN_NOTE not in body, url
                assert HIDDEN_RATIONALE not in body, url
            if hasattr(model, "history"):
                for record in model.history.filter(id=obj.pk):
                    url = reverse(
                        f"admin:claims_{model._meta.model_name}_simple_history", args=[obj.pk, record.history_id]
                    )
                    body = client.get(url).content.decode()
                    assert HIDDEN_NOTE not in body, url
                    assert HIDDEN_RATIONALE not in body, url


@pytest.mark.parametrize("user", ["alice", "carol", "superuser"])
def test_no_history_form_writes_for_anyone(request, client, world, user):
    client.force_login(request.getfixturevalue(user))
    for model, _ in claims_admins():
        if not hasattr(model, "history"):
            continue
        for obj in model.objects.all():
            before = model_to_dict(model.objects.get(pk=obj.pk))
            for record in model.history.filter(id=obj.pk):
                url = reverse(f"admin:claims_{model._meta.model_name}_simple_history", args=[obj.pk, record.history_id])
                data = {
                    key: value for key, value in before.items() if value is not None and not isinstance(value, list)
                }
                response = client.post(url, data)
                assert response.status_code in (403, 404), (url, response.status_code)
            assert model_to_dict(model.objects.get(pk=obj.pk)) == before, model
    assert Claim.objects.get(pk=world["reopened"].pk).status == "under_review"
