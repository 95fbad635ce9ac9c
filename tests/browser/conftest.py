"""
Real-browser tests: pytest-playwright drives the system's Chromium (Debian's
`chromium` on PATH; never `playwright install`) against pytest-django's live_server.

Every page a test opens is watched for Content-Security-Policy violations and console
errors; `audit(page)` asserts there are none and runs axe-core (WCAG 2.0/2.1 A and AA).
On a failure, a full-page screenshot of every open page is saved in screenshots/failures/.
"""

import os
import re

import pytest

from tests.tooling import AXE_JS, BASE_DIR, chromium_path, require_axe, require_chromium

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# to set up data are still plain synchronous calls, so Django's async guard must be off.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FAILURE_SCREENSHOTS = BASE_DIR / "screenshots" / "failures"


@pytest.fixture(scope="session")
def _serialized_test_databases(django_db_setup):
    """The test databases' serialized contents, read before Playwright starts its event loop."""
    from django.db import connections

    return {c.alias: c._test_serialized_contents for c in connections.all() if hasattr(c, "_test_serialized_contents")}


@pytest.fixture(scope="session")
def playwright(_serialized_test_databases, playwright):
    """
    Once Playwright's event loop runs in this thread, asgiref hands Django code a new
    connection object per database (its storage becomes context-local), and the new one
    lacks the serialized contents that serialized_rollback restores after each flush
    (the roles' groups). Hand them over.
    """
    from django.db import connections

    for alias, contents in _serialized_test_databases.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_chromium()
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by path (page.goto("/claims/")) against the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Playwright's default 1280x720 window; tests that need a phone width pass viewport= to new_context.
    return {**browser_context_args, "locale": "en-GB"}


# Recorded in the page before any of its own scripts run (init scripts are not
# subject to the page's CSP), so violations during parsing are caught too.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const seen = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} `
    + `at ${e.sourceFile || document.location.href}:${e.lineNumber}:${e.columnNumber}`;
  if (!window.__cspViolations.includes(seen)) window.__cspViolations.push(seen);
});
"""


def watch(page):
    """Record console errors and uncaught exceptions of `page` in page.problems."""
    if hasattr(page, "problems"):
        return page
    page.problems = []
    page.on(
        "console",
        lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text} [{msg.location.get('url')}]"),
    )
    page.on("pageerror", lambda exc: page.problems.append(f"uncaught: {exc}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url}"))
    return page


@pytest.fixture
def context(context):
    context.add_init_script(CSP_LISTENER)
    context.on("page", watch)
    return context


@pytest.fixture
def page(context):
    return watch(context.new_page())


@pytest.fixture
def new_context(new_context):
    """Extra contexts (another viewport, another user), watched like the default one."""

    def make(**kwargs):
        ctx = new_context(**kwargs)
        ctx.add_init_script(CSP_LISTENER)
        ctx.on("page", watch)
        return ctx

    return make


# --------------------------------------------------------------------------
# Failure screenshots


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("browser")
    if browser is None:
        return
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid.split("::", 1)[-1]).strip("-")
    saved = []
    for c, ctx in enumerate(browser.contexts):
        for p, open_page in enumerate(ctx.pages):
            path = FAILURE_SCREENSHOTS / f"{name}-{c}-{p}.png"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                open_page.screenshot(path=path, full_page=True)
            except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the real failure
                report.sections.append(("screenshot", f"could not save {path}: {exc}"))
            else:
                saved.append(f"{path.relative_to(BASE_DIR)}  ({open_page.url})")
    if saved:
        report.sections.append(("screenshots", "\n".join(saved)))


# --------------------------------------------------------------------------
# The login shortcut


@pytest.fixture
def log_in(live_server):
    """log_in(context, user): a session cookie for `user` in `context`, without the login form."""
    from django.conf import settings
    from django.test import Client

    def do(ctx, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return do


# --------------------------------------------------------------------------
# The audit: CSP, console, axe-core

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}
"""


@pytest.fixture(scope="session")
def axe_source():
    require_axe()
    return AXE_JS.read_text(encoding="utf-8")


def page_problems(page, status=200):
    """
    Console errors, uncaught exceptions and CSP violations since the last call; then
    forgets them. An error status the page is meant to have (404) is not a problem.
    """

    def expected(problem):
        return problem == f"HTTP {status}: {page.url}" or (
            f"status of {status} " in problem and problem.endswith(f"[{page.url}]")
        )

    problems = [p for p in page.problems if not expected(p)]
    problems += [f"CSP violation: {v}" for v in page.evaluate("() => window.__cspViolations")]
    page.problems.clear()
    page.evaluate("() => { window.__cspViolations.length = 0; }")
    return problems


def axe_violations(page, axe_source):
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so
    # axe runs on the page exactly as served (no bypass_csp).
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


@pytest.fixture
def audit(axe_source):
    """audit(page): no console errors, no CSP violations, no axe WCAG 2 A/AA violations."""

    def check(page, status=200):
        where = page.url
        problems = page_problems(page, status)
        assert not problems, f"{where}:\n" + "\n".join(problems)
        violations = axe_violations(page, axe_source)
        described = [
            f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5]) for v in violations
        ]
        assert not described, f"axe-core on {where}:\n" + "\n".join(described)

    return check


# --------------------------------------------------------------------------
# Narrow screens

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
    .filter((el) => !el.closest('.skip-link'))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`
      + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}
"""


def horizontal_overflow(page):
    """'' if the page fits its viewport's width, else what sticks out."""
    result = page.evaluate(OVERFLOW)
    if result["scrollWidth"] <= result["width"]:
        return ""
    return f"{page.url} scrolls sideways: {result['scrollWidth']}px wide in {result['width']}px; " + ", ".join(
        result["wide"]
    )


def every_page(new_context, log_in):
    """
    (device, page, tab) for every page of the site inventory at each width, the tab
    already on the page: one browser context per kind of visitor, logged in as them.
    """
    from tests.site_pages import build_site, site_pages

    site = build_site()
    for device, viewport in WIDTHS.items():
        tabs = {}
        for each in site_pages(site):
            if each.user not in tabs:
                ctx = new_context(viewport=viewport)
                if each.user:
                    log_in(ctx, getattr(site, each.user))
                tabs[each.user] = ctx.new_page()
            tab = tabs[each.user]
            response = tab.goto(each.url)
            assert response.status == each.status, f"{each.label} ({device}): {response.status}"
            yield device, each, tab
