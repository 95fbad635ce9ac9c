"""claims.urlcache.cached_reverse: always what reverse() gives, whatever the script prefix or URLconf."""

import io
import sys

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix

from claims.urlcache import cached_reverse
from tests import factories

# A URLconf that mounts the site elsewhere, for override_settings(ROOT_URLCONF=__name__).
urlpatterns = [path("elsewhere/", include("mgreview.urls"))]

ROUTES = [("claim_detail", 7), ("claim_detail", 1234567890), ("study_detail", 3), ("article_detail", "a-slug_2")]


@pytest.fixture
def script_prefix():
    """Set the script prefix as a request under SCRIPT_NAME does; back to '/' afterwards."""
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize(("viewname", "value"), ROUTES)
def test_it_gives_what_reverse_gives(viewname, value):
    assert cached_reverse(viewname, value) == reverse(viewname, args=[value])


@pytest.mark.parametrize("prefix", ["/mg/", "/mg review/", "/a/918273645/", "/918273645/918273645/"])
def test_it_follows_the_script_prefix(script_prefix, prefix):
    for viewname, value in ROUTES:
        cached_reverse(viewname, value)  # cached under "/"
    script_prefix(prefix)
    for viewname, value in ROUTES:
        assert cached_reverse(viewname, value) == reverse(viewname, args=[value])
        assert cached_reverse(viewname, value).startswith(prefix.replace(" ", "%20"))
    script_prefix("/")
    assert cached_reverse("claim_detail", 7) == "/claims/7/"


def test_it_follows_the_urlconf():
    assert cached_reverse("claim_detail", 7) == "/claims/7/"
    with override_settings(ROOT_URLCONF=__name__):
        assert cached_reverse("claim_detail", 7) == reverse("claim_detail", args=[7]) == "/elsewhere/claims/7/"
    assert cached_reverse("claim_detail", 7) == "/claims/7/"


@pytest.mark.parametrize(
    ("viewname", "value"), [("article_detail", "café"), ("article_detail", "a b"), ("claim_detail", -1)]
)
def test_values_the_route_refuses_are_refused_as_by_reverse(viewname, value):
    with pytest.raises(NoReverseMatch):
        reverse(viewname, args=[value])
    with pytest.raises(NoReverseMatch):
        cached_reverse(viewname, value)


def wsgi_get(path, script_name):
    """GET through Django's WSGI handler, which sets the script prefix from SCRIPT_NAME (the test client does not)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status = []
    # As the test client does: keep the test's database connection (and transaction) open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        set_script_prefix("/")
    assert status == ["200 OK"]
    return body.decode()


@pytest.mark.django_db
def test_pages_served_under_a_script_name_link_under_it():
    article = factories.make_article("Magnesium cures nerve pain.", slug="pain")
    claim = factories.make_claim(article, "Magnesium cures nerve pain.")
    factories.cite(claim, study := factories.make_study("(Shin 2020)"))
    for script_name in ("", "/mg", "/mg review", ""):
        html = wsgi_get("/claims/", script_name)
        prefix = script_name.replace(" ", "%20")
        assert f'href="{prefix}/claims/{claim.pk}/"' in html
        assert f'href="{prefix}/articles/pain/#claim-{claim.pk}"' in html
        assert f'href="{prefix}/studies/{study.pk}/"' in html
        assert ('href="/claims/' in html) == (not prefix)  # nothing left from an earlier prefix
