"""Control characters in admin URLs and filters are a 400 that says why, never a 500."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/claims/claim/?status__exact=%00",
        "/admin/claims/claim/?q=magnesium%00",
        "/admin/claims/rating/?evidence_strength__exact=%01",
        "/admin/autocomplete/?term=%00&app_label=claims&model_name=rating&field_name=claim",
        "/admin/claims/rating/1%00/history/",
        "/admin/claims/rating/1/history/1%00/",
        "/admin/claims/claim/%00/change/",
    ],
)
def test_control_characters_in_admin_urls_are_a_400(client, alice, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_ordinary_admin_filters_still_work(client, alice):
    f.make_claim()
    client.force_login(alice)
    assert client.get(reverse("admin:claims_claim_changelist") + "?status__exact=under_review").status_code == 200
