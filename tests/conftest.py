"""
The cast, as in healthchecks' tests: alice and bob are reviewers, carol is a
lead reviewer, charlie is a logged-in outsider with no role.
"""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 hasher takes about a second per user on a busy machine;
    # tests create users constantly and do not test hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """
    Tests run inside a transaction that is rolled back, so the data version
    (advanced after a commit) never moves and a stored page would outlive the
    data a test changes. The suite runs with a cache that stores nothing; the
    tests of the page cache itself (tests/public/test_page_cache.py) switch a
    real one on and run the commit callbacks. Nothing to build pages into either,
    whatever REDIS_URL says (tests/public/test_page_warming.py switches it on).
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.MGREVIEW_PAGE_CACHE_WARM = False
    settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES = 0


@pytest.fixture(autouse=True)
def facets_kept_true(request):
    """
    After every test that touched the database: every claim's filter facets
    (claims/facets.py) equal their definitions, whatever the test wrote and
    however (views, admin, commands, bulk paths). A write path that forgets to
    refresh them fails here.
    """
    if "_django_db_helper" not in request.fixturenames:
        yield
        return
    # Set the database up inside this fixture so that it is torn down after the check.
    request.getfixturevalue("_django_db_helper")
    yield
    from claims import facets, tallies
    from claims.models import Article, Claim

    stale = facets.stale(Claim.objects.all())
    assert not stale, f"claims with stale filter facets (claims/facets.py): {stale[:20]}"
    stale = tallies.stale(Article.objects.all())
    assert not stale, f"articles with stale /stats/ tallies (claims/tallies.py): {stale[:20]}"
    assert not tallies.site_is_stale(), "the site's /stats/ sums differ from the articles' tallies (claims/tallies.py)"


@pytest.fixture
def alice(db):
    return factories.make_reviewer("alice")


@pytest.fixture
def bob(db):
    return factories.make_reviewer("bob")


@pytest.fixture
def carol(db):
    return factories.make_lead("carol")


@pytest.fixture
def charlie(db):
    return factories.make_user("charlie")


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", "root@example.invalid", factories.PASSWORD)


@pytest.fixture
def claim(db):
    return factories.make_claim()


@pytest.fixture(autouse=True)
def fresh_topic_cache():
    """
    ClaimTopic.lookup() caches the topics table in the process; a test that edits a
    topic is rolled back without a signal, so every test starts with the cache empty
    (the first page that shows a topic label reads the table once: a query the
    query-count pins name).
    """
    from claims.models import topics_changed

    topics_changed()
    yield
    topics_changed()
