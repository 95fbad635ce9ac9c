"""
Pages built before readers ask (public/caching.py, MGREVIEW_PAGE_CACHE_WARM):
a request that writes builds the pages readers read lately under the version
its write is about to make current, so the first reader after the change is
served from the cache, with what the change shows, and never with a page of a
version that did not become current.

These tests commit (transaction=True): the version advances after the commit,
as in production.
"""

from unittest import mock

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import reverse

from claims import dataversion
from claims.models import Claim, DataVersion, ReviewerPseudonym
from public import caching
from tests import factories
from tests.public_pages import VERSION_QUERY, reviewed_claim

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Zentora Calm is a fictional product. Magnesium cures anxiety in rats. "
    "Our drops are the purest on earth. Magnesium glycinate helps sleep."
)
RATIONALE = "One small fictional human trial of Zentora drops."


@pytest.fixture
def warming(settings, page_cache):
    settings.MGREVIEW_PAGE_CACHE_WARM = True
    return page_cache


@pytest.fixture
def claim(cast):
    alice, bob, carol = cast
    article = factories.make_article(TEXT, title="Zentora Calm drops", slug="zentora-calm")
    claim = reviewed_claim(article, "Magnesium cures anxiety in rats.", [alice, bob], carol, strength="very_low")
    ReviewerPseudonym.objects.assign_missing()
    return claim


@pytest.fixture
def lead(client, cast):
    client.force_login(cast[2])
    return client


def record_new_consensus(lead, claim):
    """Reopen and record a new consensus through the review pages, as a lead does."""
    assert lead.post(reverse("review:reopen", args=[claim.pk]), {"confirmed": "1"}).status_code == 302
    data = {"evidence_strength": "low", "verdict": "partially", "rationale": RATIONALE}
    assert lead.post(reverse("review:consensus", args=[claim.pk]), data).status_code == 302


def test_the_page_a_reader_read_is_ready_after_a_leads_change(warming, claim, lead, django_assert_num_queries):
    reader = type(lead)()
    url = claim.get_absolute_url()
    assert reader.get(url)["X-Page-Cache"] == "miss"
    record_new_consensus(lead, claim)
    with django_assert_num_queries(VERSION_QUERY):
        after = reader.get(url)
    assert after["X-Page-Cache"] == "hit"
    assert RATIONALE.encode() in after.content
    assert after["ETag"] == caching.etag_for(DataVersion.current())


def test_without_warming_the_first_reader_after_a_change_builds_the_page(warming, settings, claim, lead):
    settings.MGREVIEW_PAGE_CACHE_WARM = False
    reader = type(lead)()
    url = claim.get_absolute_url()
    reader.get(url)
    record_new_consensus(lead, claim)
    after = reader.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert RATIONALE.encode() in after.content


def test_a_page_nobody_read_is_not_built(warming, claim, lead):
    reader = type(lead)()
    reader.get(claim.get_absolute_url())
    record_new_consensus(lead, claim)
    assert reader.get(reverse("claim_list"))["X-Page-Cache"] == "miss"


def test_pages_are_built_as_an_anonymous_reader_sees_them_whoever_writes(warming, claim, lead):
    reader = type(lead)()
    urls = [
        reverse("home"),
        reverse("claim_list"),
        reverse("claim_list") + "?strength=low",
        claim.get_absolute_url(),
        claim.article.get_absolute_url(),
    ]
    for url in urls:
        reader.get(url)
    record_new_consensus(lead, claim)
    warmed = {url: reader.get(url) for url in urls}
    assert {url: response["X-Page-Cache"] for url, response in warmed.items()} == dict.fromkeys(urls, "hit")
    warming.clear()
    for url in urls:
        built_by_reader = reader.get(url)
        assert built_by_reader["X-Page-Cache"] == "miss"
        assert warmed[url].content == built_by_reader.content, url
        assert b"carol" not in warmed[url].content and b"Log out" not in warmed[url].content


def test_pages_built_for_a_version_that_did_not_become_current_are_never_served(warming, claim, lead):
    reader = type(lead)()
    url = claim.get_absolute_url()
    reader.get(url)
    real_warm = caching.warm

    def another_change_first(version):
        real_warm(version)
        DataVersion.advance()  # another worker's change lands while this one is building

    with mock.patch.object(caching, "warm", another_change_first):
        record_new_consensus(lead, claim)
    current = DataVersion.current()
    after = reader.get(url)
    assert after["ETag"] == caching.etag_for(current)
    assert after["X-Page-Cache"] == "miss"
    assert RATIONALE.encode() in after.content


def test_a_build_that_fails_still_advances_the_version(warming, claim, lead):
    reader = type(lead)()
    url = claim.get_absolute_url()
    first = reader.get(url)
    with mock.patch.object(caching, "_anonymous_request", side_effect=RuntimeError("fictional failure")):
        record_new_consensus(lead, claim)
    after = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert RATIONALE.encode() in after.content


def test_a_page_gone_since_it_was_read_is_skipped(warming, claim, lead, cast):
    other = factories.make_claim(claim.article, "Our drops are the purest on earth.")
    reader = type(lead)()
    reader.get(other.get_absolute_url())
    reader.get(claim.get_absolute_url())
    Claim.objects.filter(pk=other.pk).delete()
    record_new_consensus(lead, claim)
    assert reader.get(claim.get_absolute_url())["X-Page-Cache"] == "hit"
    assert reader.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("method", "enabled", "expected"),
    [("get", True, None), ("head", True, None), ("post", True, "warm"), ("post", False, None)],
)
def test_only_requests_that_may_write_build_pages(warming, settings, rf, method, enabled, expected):
    settings.MGREVIEW_PAGE_CACHE_WARM = enabled
    seen = []

    def view(request):
        seen.append(dataversion.preparing.get())
        return HttpResponse()

    caching.WarmPagesAfterWrites(view)(getattr(rf, method)("/"))
    assert seen == [caching.warm if expected else None]
    assert dataversion.preparing.get() is None


def test_commands_do_not_build_pages(warming, claim, cast, tmp_path):
    from django.test import Client

    reader = Client()
    url = reverse("article_list")
    reader.get(url)
    page = tmp_path / "brightwell.txt"
    page.write_text("Brightwell Vitals Tonic\n\nBrightwell Vitals sells a fictional tonic that cures migraines.\n")
    with mock.patch.object(caching, "warm", wraps=caching.warm) as warm:
        call_command("import_article", str(page), "--publish", "--by", cast[2].username, stdout=None)
    warm.assert_not_called()
    after = reader.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert b"Brightwell Vitals Tonic" in after.content


def test_an_advance_makes_exactly_the_prepared_version_current(claim):
    prepared = []
    token = dataversion.preparing.set(prepared.append)
    try:
        before = DataVersion.current()
        dataversion._advance("default")
    finally:
        dataversion.preparing.reset(token)
    (upcoming,) = prepared
    assert upcoming.number == before.number + 1
    assert DataVersion.current().token == upcoming.token


def test_an_advance_that_lost_the_race_moves_past_the_prepared_version(claim):
    prepared = []

    def prepare_while_another_advances(version):
        prepared.append(version)
        DataVersion.advance()

    token = dataversion.preparing.set(prepare_while_another_advances)
    try:
        before = DataVersion.current()
        dataversion._advance("default")
    finally:
        dataversion.preparing.reset(token)
    current = DataVersion.current()
    assert current.number == before.number + 2
    assert current.token != prepared[0].token


def _forget_read_pages(cache):
    cache.delete(caching._hot_key())


@pytest.mark.parametrize(("sample", "after_change"), [(1, "hit"), (10**9, "miss")])
def test_pages_served_from_the_cache_are_noted_again_one_in_a_sample(
    warming, monkeypatch, claim, lead, sample, after_change
):
    monkeypatch.setattr(caching, "HOT_SAMPLE", sample)
    monkeypatch.setattr(caching.random, "randrange", lambda n: n - 1)  # 0 only when the sample is 1
    reader = type(lead)()
    url = claim.get_absolute_url()
    reader.get(url)
    _forget_read_pages(warming)  # as if the note had expired
    assert reader.get(url)["X-Page-Cache"] == "hit"
    record_new_consensus(lead, claim)
    assert reader.get(url)["X-Page-Cache"] == after_change


def test_one_change_builds_at_most_warm_pages(warming, monkeypatch, claim, lead):
    monkeypatch.setattr(caching, "WARM_PAGES", 1)
    reader = type(lead)()
    urls = [claim.get_absolute_url(), claim.article.get_absolute_url()]
    for url in urls:
        reader.get(url)
    record_new_consensus(lead, claim)
    assert sorted(reader.get(url)["X-Page-Cache"] for url in urls) == ["hit", "miss"]


def test_the_pages_read_lately_are_the_last_noted_within_hot_seconds(warming, monkeypatch, rf):
    monkeypatch.setattr(caching, "HOT_PAGES", 2)
    clock = [1_000_000.0]
    monkeypatch.setattr(caching.time, "time", lambda: clock[0])
    for path in ["/one/", "/two/", "/three/"]:
        clock[0] += 1
        caching._remember(rf.get(path))
    assert caching.recently_read() == ["http://testserver/three/", "http://testserver/two/"]
    clock[0] += caching.HOT_SECONDS - 0.5  # /two/ was noted HOT_SECONDS + 0.5 ago, /three/ HOT_SECONDS - 0.5
    assert caching.recently_read() == ["http://testserver/three/"]


def test_a_flood_of_made_up_addresses_read_once_does_not_push_out_a_page_read_often(warming, monkeypatch, rf):
    monkeypatch.setattr(caching, "HOT_PAGES", 4)
    caching._remember(rf.get("/claims/"), reads=caching.HOT_SAMPLE)  # a sampled reader served from the cache
    for n in range(20):
        caching._remember(rf.get(f"/claims/?q=fictional-{n}"))  # each built once
    read = caching.recently_read()
    assert read[0] == "http://testserver/claims/"
    assert len(read) == 4


def test_reads_fade_so_a_page_read_now_outranks_one_read_more_long_ago(warming, monkeypatch, rf):
    clock = [1_000_000.0]
    monkeypatch.setattr(caching.time, "time", lambda: clock[0])
    caching._remember(rf.get("/then/"), reads=32)
    clock[0] += 3 * caching.HOT_HALF_LIFE  # 32 reads then count as 4 now
    caching._remember(rf.get("/now/"), reads=5)
    caching._remember(rf.get("/once/"))  # read last, but least
    assert caching.recently_read() == [f"http://testserver/{path}/" for path in ("now", "then", "once")]
    caching._remember(rf.get("/then/"), reads=2)  # 4 + 2 > 5
    assert caching.recently_read() == [f"http://testserver/{path}/" for path in ("then", "now", "once")]


def test_after_a_flood_of_made_up_searches_a_change_still_builds_the_page_readers_read(
    warming, monkeypatch, claim, lead
):
    monkeypatch.setattr(caching, "WARM_PAGES", 1)
    monkeypatch.setattr(caching.random, "randrange", lambda n: 0)  # every reader served from the cache is sampled
    reader = type(lead)()
    url = claim.get_absolute_url()
    for expected in ("miss", "hit", "hit"):
        assert reader.get(url)["X-Page-Cache"] == expected
    for n in range(5):
        assert reader.get(reverse("claim_list"), {"q": f"fictional-{n}"})["X-Page-Cache"] == "miss"
    record_new_consensus(lead, claim)
    assert reader.get(url)["X-Page-Cache"] == "hit"
