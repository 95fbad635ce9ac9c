"""Fixtures of the page-cache tests (test_page_cache.py, test_page_warming.py)."""

import pytest
from django.core.cache import caches

from tests import factories


@pytest.fixture
def page_cache(settings):
    """A real cache (local memory) in place of the suite's cache that stores nothing."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def cast(db):
    return factories.make_reviewer("alice"), factories.make_reviewer("bob"), factories.make_lead("carol")
