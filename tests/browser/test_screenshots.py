"""
Every page at desktop and phone width: it loads, and at 360 px nothing makes it
scroll sideways. Full-page screenshots go to $SCREENSHOT_DIR (`make screenshots`
sets docs/screenshots/, committed for a person to look at), else to a temporary directory.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import every_page, horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_fits_a_phone_and_is_screenshotted(new_context, log_in, tmp_path):
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    overflowing = []
    for device, each, tab in every_page(new_context, log_in):
        name = re.sub(r"[^a-z0-9]+", "-", each.label.lower()).strip("-")
        path = out / f"{name}-{device}.png"
        tab.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 1000, path
        if device == "phone" and (problem := horizontal_overflow(tab)):
            overflowing.append(f"[{each.label}] {problem}")
    assert not overflowing, "\n".join(overflowing)
