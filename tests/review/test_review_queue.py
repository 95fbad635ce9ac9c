"""The reviewer's queue: unrated claims under review, in reading order, filtered, with progress."""

import pytest
from django.urls import reverse

from tests.factories import finalize, make_article, make_claim, make_rating

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")


def listed(response):
    return [claim.pk for claim in response.context["page"]]


def test_queue_lists_unrated_claims_under_review_in_reading_order(client, alice, bob, carol):
    b_article = make_article(title="B article", text="First b. Second b.")
    a_article = make_article(title="A article", text="First a. Second a. Third a.")
    second_b = make_claim(b_article, quote="Second b.")
    first_b = make_claim(b_article, quote="First b.")
    first_a = make_claim(a_article, quote="First a.")
    rated = make_claim(a_article, quote="Second a.")
    make_rating(rated, alice)
    rated_by_bob_only = make_claim(a_article, quote="Third a.")
    make_rating(rated_by_bob_only, bob)
    make_claim(a_article, quote="First a.", status="suggested")
    finalize(make_claim(a_article, quote="Second a."), carol)

    client.force_login(alice)
    response = client.get(QUEUE)
    assert listed(response) == [first_a.pk, rated_by_bob_only.pk, first_b.pk, second_b.pk]


def test_queue_filters_by_article_and_topic(client, alice):
    one = make_article(text="Sleep claim. Pain claim.")
    other = make_article(text="Sleep claim elsewhere.")
    sleep = make_claim(one, quote="Sleep claim.", topic="sleep")
    make_claim(one, quote="Pain claim.", topic="neuropathic_pain")
    make_claim(other, quote="Sleep claim elsewhere.", topic="sleep")
    client.force_login(alice)
    response = client.get(QUEUE, {"article": one.slug, "topic": "sleep"})
    assert listed(response) == [sleep.pk]


def test_invalid_filter_shows_a_message_and_no_claims(client, alice, claim):
    client.force_login(alice)
    response = client.get(QUEUE, {"topic": "astrology"})
    assert response.status_code == 200
    assert listed(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_progress_counts_rated_of_total(client, alice, bob, carol):
    article = make_article(text="One. Two. Three. Four.")
    one, two, three, four = (make_claim(article, quote=q) for q in ("One.", "Two.", "Three.", "Four."))
    make_rating(one, alice)
    make_rating(two, alice)
    finalize(two, carol)  # rated, then finalized: still counts as rated
    finalize(three, carol)  # finalized before alice rated it: no longer hers to rate
    make_rating(four, bob)
    client.force_login(alice)
    response = client.get(QUEUE)
    assert response.context["progress"] == {"rated": 2, "total": 3}
    assert "Rated 2 of 3 claims" in response.content.decode()


def test_progress_follows_the_article_filter(client, alice):
    one, other = make_article(text="A one. A two."), make_article(text="B one.")
    make_rating(make_claim(one, quote="A one."), alice)
    make_claim(one, quote="A two.")
    make_claim(other, quote="B one.")
    client.force_login(alice)
    assert client.get(QUEUE, {"article": one.slug}).context["progress"] == {"rated": 1, "total": 2}


def test_an_invalid_filter_counts_progress_over_every_claim(client, alice, carol):
    article = make_article(text="One. Two. Three.")
    one, two, three = (make_claim(article, quote=q) for q in ("One.", "Two.", "Three."))
    make_rating(one, alice)
    finalize(three, carol)
    client.force_login(alice)
    assert client.get(QUEUE, {"topic": "astrology"}).context["progress"] == {"rated": 1, "total": 2}


def test_queue_is_paginated(client, alice):
    article = make_article(text=" ".join(f"Claim {n}." for n in range(30)))
    for n in range(30):
        make_claim(article, quote=f"Claim {n}.")
    client.force_login(alice)
    first = client.get(QUEUE)
    assert len(listed(first)) == 25
    second = client.get(QUEUE, {"page": 2})
    assert len(listed(second)) == 5
    assert client.get(QUEUE, {"page": "nonsense"}).status_code == 200


# Queries for /review/, whatever the number of claims:
# 1 session, 2 user, 3 user permissions, 4 group permissions, 5 progress (the reviewer's ratings of the
# claims shown; the total adds the paginator's count to them),
# 6 count (paginator), 7 the page of claims with their articles, 8 the article choices of the filter,
# 9 the topics table (the topic filter's choices and the claims' topic labels: ClaimTopic, cached
# per process; every test starts with it empty).
QUEUE_QUERIES = 9


@pytest.mark.parametrize("count", [2, 20])
def test_queue_query_count_is_flat(client, alice, django_assert_num_queries, count):
    for _ in range(count):
        make_claim()
    client.force_login(alice)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(listed(response)) == count


@pytest.mark.parametrize("params", [{}, {"topic": "sleep"}, {"article": "b-fictional"}])
def test_the_queue_filters_render_what_djangos_select_renders(params):
    import re

    from django import forms

    from claims.models import Claim
    from mgreview.widgets import FastSelect
    from review.filters import ReviewQueueFilter

    make_article(title="A <fictional> & article", slug="a-fictional", text="One.")
    make_article(title="B fictional", slug="b-fictional", text="Two.")
    form = ReviewQueueFilter(params, queryset=Claim.objects.none()).form
    for name in ("article", "topic"):
        field = form[name]
        assert isinstance(field.field.widget, FastSelect)
        django_select = forms.Select(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
        expected = django_select.render(field.html_name, field.value(), attrs={"id": field.auto_id})
        assert re.sub(r">\s+<", "><", str(field.as_widget())) == re.sub(r">\s+<", "><", str(expected)).strip()
