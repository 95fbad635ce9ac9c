"""The page cache on Redis (REDIS_URL), as a deployment with several workers or hosts runs it."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse

from claims.models import ReviewerPseudonym
from tests import factories
from tests.tooling import require_redis

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """REDIS_URL when set (CI starts a server); otherwise a throwaway redis-server on a free port."""
    import os

    require_redis()
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - the system redis-server, fixed arguments
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/15"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "t"}
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_the_settings_choose_redis_when_redis_url_is_set(monkeypatch):
    import importlib

    import mgreview.settings as module

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/3")
    monkeypatch.setenv("MGREVIEW_RELEASE", "test")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6399/3"
        # A cache every worker shares: a writer builds the pages readers read (public/caching.py).
        assert reloaded.MGREVIEW_PAGE_CACHE_WARM is True
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_a_page_stored_in_redis_is_served_from_it_until_a_change(client, redis_cache):
    lead = factories.make_lead("carol")
    article = factories.make_article("Velmora Labs sells a fictional tonic. Magnesium cures gout.", title="Velmora")
    url = reverse("article_list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert any(key for key in redis_cache._cache.get_client().keys("t:*"))
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert b"Velmora" in hit.content
    with transaction.atomic():
        factories.make_article("Another fictional page.", title="Orlith Naturals", published_at=None).publish(by=lead)
    fresh = client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"])
    assert fresh.status_code == 200
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Orlith Naturals" in fresh.content
    assert article.title.encode() in fresh.content


@pytest.mark.parametrize(
    ("env", "warm"),
    [
        ({"REDIS_URL": ""}, False),
        ({"REDIS_URL": "redis://127.0.0.1:6399/3", "PAGE_CACHE_WARM": "0"}, False),
        ({"REDIS_URL": "", "PAGE_CACHE_WARM": "1"}, True),
        ({"REDIS_URL": "redis://127.0.0.1:6399/3", "PAGE_CACHE": "0"}, False),
    ],
)
def test_warming_is_on_with_redis_unless_turned_off(monkeypatch, env, warm):
    import importlib

    import mgreview.settings as module

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MGREVIEW_RELEASE", "test")
    try:
        assert importlib.reload(module).MGREVIEW_PAGE_CACHE_WARM is warm
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_a_leads_change_leaves_the_read_pages_built_in_redis(client, redis_cache, settings):
    settings.MGREVIEW_PAGE_CACHE_WARM = True
    alice, bob, carol = factories.make_reviewer("alice"), factories.make_reviewer("bob"), factories.make_lead("carol")
    article = factories.make_article("Velmora Labs sells a fictional tonic. Magnesium cures gout.", title="Velmora")
    claim = factories.make_claim(article, "Magnesium cures gout.")
    for reviewer in (alice, bob):
        factories.make_rating(claim, reviewer, evidence_strength="low", verdict="partially")
    # Pseudonyms are given the first time a page shows a reviewer's rating: a write of its own.
    ReviewerPseudonym.objects.assign_missing()
    url = claim.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    lead = type(client)()
    lead.force_login(carol)
    data = {"evidence_strength": "very_low", "verdict": "does_not_support", "rationale": "Only fictional rat studies."}
    assert lead.post(reverse("review:consensus", args=[claim.pk]), data).status_code == 302
    after = client.get(url)
    assert after["X-Page-Cache"] == "hit"
    assert b"Only fictional rat studies." in after.content


@pytest.mark.parametrize(("page_cache", "local_bytes"), [("1", 32 * 1024 * 1024), ("0", 0)])
def test_process_copies_are_kept_only_with_the_page_cache_on(monkeypatch, page_cache, local_bytes):
    import importlib

    import mgreview.settings as module

    monkeypatch.setenv("PAGE_CACHE", page_cache)
    monkeypatch.delenv("MGREVIEW_PAGE_CACHE_LOCAL_BYTES", raising=False)
    monkeypatch.setenv("MGREVIEW_RELEASE", "test")
    try:
        assert local_bytes == importlib.reload(module).MGREVIEW_PAGE_CACHE_LOCAL_BYTES
    finally:
        monkeypatch.undo()
        importlib.reload(module)
