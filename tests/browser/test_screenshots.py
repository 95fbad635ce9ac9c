"""
Every page at desktop and phone width: it loads, and at 360 px nothing makes it
scroll sideways. Full-page screenshots go to $SCREENSHOT_DIR (`make screenshots`
sets docs/screenshots/, committed for a person to look at), else to a temporary directory.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import WIDTHS, horizontal_overflow
from tests.site_pages import build_site, site_pages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_fits_a_phone_and_is_screenshotted(new_context, log_in, tmp_path):
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    site = build_site()
    overflowing = []
    for device, viewport in WIDTHS.items():
        tabs = {}
        for each in site_pages(site):
            if each.user not in tabs:
                ctx = new_context(viewport=viewport)
                if each.user:
                    log_in(ctx, getattr(site, each.user))
                tabs[each.user] = ctx.new_page()
            tab = tabs[each.user]
            assert tab.goto(each.url).status == each.status, each.label
            name = re.sub(r"[^a-z0-9]+", "-", each.label.lower()).strip("-")
            path = out / f"{name}-{device}.png"
            tab.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 1000, path
            if device == "phone" and (problem := horizontal_overflow(tab)):
                overflowing.append(f"[{each.label}] {problem}")
    assert not overflowing, "\n".join(overflowing)
