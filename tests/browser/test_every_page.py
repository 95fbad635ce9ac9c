"""
Every public and reviewer page in a real browser, at desktop and phone width: no
axe-core WCAG 2 A/AA violations, no CSP violations.
"""

import pytest

from tests.browser.conftest import WIDTHS
from tests.site_pages import build_site, site_pages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_passes_axe_with_no_csp_violations_or_console_errors(new_context, log_in, audit):
    site = build_site()
    failures = []
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
            try:
                audit(tab, each.status)
            except AssertionError as failure:
                failures.append(f"[{each.label}, {device}] {failure}")
    assert not failures, "\n\n".join(failures)
