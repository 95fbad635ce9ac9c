"""
Every public and reviewer page in a real browser, at desktop and phone width: no
axe-core WCAG 2 A/AA violations, no CSP violations.
"""

import pytest

from tests.browser.conftest import every_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_passes_axe_with_no_csp_violations_or_console_errors(new_context, log_in, audit):
    failures = []
    for device, each, tab in every_page(new_context, log_in):
        try:
            audit(tab, each.status)
        except AssertionError as failure:
            failures.append(f"[{each.label}, {device}] {failure}")
    assert not failures, "\n\n".join(failures)
