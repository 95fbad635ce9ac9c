"""
Every public and reviewer page, as served: valid HTML (the Nu HTML Checker, vnu.jar)
and nothing inline that the Content-Security-Policy would block.
"""

import json
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.views.defaults import permission_denied, server_error

from tests.site_pages import build_site, site_pages
from tests.tooling import VNU_JAR, java_path, require_vnu

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(client):
    """{page label: HTML} for every page, each fetched as the user who sees it, and the error pages."""
    site = build_site()
    html = {}
    for page in site_pages(site):
        client.logout()
        if page.user:
            client.force_login(getattr(site, page.user))
        response = client.get(page.url)
        assert response.status_code == page.status, f"{page.label} ({page.url}): {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), page.label
        html[page.label] = response.content.decode()
    client.logout()
    html.update(error_pages(site))
    html.update(form_error_pages(site))
    return html


def form_error_pages(site):
    """The review page re-rendered with each of its forms' errors (once the review pages exist)."""
    try:
        reverse("review:claim", args=[site.unrated.pk])
    except NoReverseMatch:
        return {}
    client = Client()
    client.force_login(site.alice)
    posts = {
        "review form, invalid rating": (reverse("review:claim", args=[site.unrated.pk]), {"evidence_strength": "x"}),
        "review form, invalid study": (
            reverse("review:add_study", args=[site.unrated.pk]),
            {"citation": "(Example 2020)", "doi": "not a doi", "pmid": "abc"},
        ),
        "review form, invalid flag": (
            reverse("review:add_flag", args=[site.unrated.pk]),
            {"phrase": "words that are not in the quote", "category": "hype"},
        ),
    }
    pages = {}
    for label, (url, data) in posts.items():
        response = client.post(url, data)
        assert response.status_code in {200, 400}, f"{label}: {response.status_code}"
        assert 'role="alert"' in response.content.decode(), label
        pages[label] = response.content.decode()
    return pages


def error_pages(site):
    """The pages a visitor sees when something is refused or fails."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    pages = {
        "server error": server_error(request).content.decode(),
        "forbidden": permission_denied(request, PermissionDenied()).content.decode(),
    }
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    pages["form expired (CSRF)"] = response.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    pages["locked out"] = response.content.decode()
    return pages


def test_every_page_is_valid_html(rendered, tmp_path):
    require_vnu()
    labels = {}
    for n, (label, html) in enumerate(rendered.items()):
        path = tmp_path / f"page{n:02d}.html"
        path.write_text(html, encoding="utf-8")
        labels[path.name] = label
    stylesheets = sorted((settings.BASE_DIR / "static").rglob("*.css"))
    # One JVM for every document: vnu takes seconds to start.
    result = subprocess.run(  # noqa: S603 - fixed program, our own temp files
        [java_path(), "-jar", str(VNU_JAR), "--format", "json", "--skip-info-messages", "--also-check-css"]
        + [str(tmp_path / name) for name in labels]
        + [str(css) for css in stylesheets],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m["type"] in {"error", "non-document-error"}]
    described = [
        f"{labels.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: "
        f"{m['message']}  [{m.get('extract', '').strip()}]"
        for m in errors
    ]
    assert not described, "vnu found errors:\n" + "\n".join(described)
    assert result.returncode == 0, result.stderr[-2000:]


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP (script-src 'self'; style-src 'self') would block."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.problems.append("inline <script> (only JSON-LD may be inline)")
        if tag == "a" and (attrs.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("javascript: link")


def test_no_page_has_inline_scripts_styles_or_event_handlers(rendered):
    problems = {}
    for label, html in rendered.items():
        finder = InlineCodeFinder()
        finder.feed(html)
        if finder.problems:
            problems[label] = finder.problems
    assert not problems


def test_inline_code_finder_catches_what_csp_blocks():
    finder = InlineCodeFinder()
    finder.feed(
        '<p style="color:red" onclick="x()">a</p><style>p{}</style><script>alert(1)</script>'
        '<script type="application/ld+json">{}</script><a href="javascript:x()">b</a>'
        '<script src="/static/x.js"></script>'
    )
    assert finder.problems == [
        "<p style=…>",
        "<p onclick=…>",
        "<style> element",
        "inline <script> (only JSON-LD may be inline)",
        "javascript: link",
    ]


def test_every_page_has_one_h1_and_a_main_landmark(rendered):
    for label, html in rendered.items():
        assert len(re.findall(r"<h1[\s>]", html)) == 1, label
        assert len(re.findall(r"<main[\s>]", html)) == 1, label


def test_every_page_has_a_title_naming_the_site_and_a_description(rendered):
    suffix = f" · {settings.MGREVIEW_ORGANISATION}"
    for label, html in rendered.items():
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        if label != "server error":  # standalone: rendered without settings or context
            assert title.endswith(suffix), (label, title)
        assert len(title) > len(suffix), (label, title)
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert description and description.group(1).strip(), label
