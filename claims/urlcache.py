"""
reverse() for a route with one id or slug, done once per route.

A /claims/ page links ~85 claims, articles and studies; reverse() for each was
about a tenth of the page's time. Two URLs of one route differ only in the
value, so the route is reversed once with a placeholder and each value is put
in its place. reverse() depends on the script prefix (SCRIPT_NAME) and the
URLconf in use, so both are part of the cache key. Anything unusual (a value
the route may refuse or quote, a prefix that holds the placeholder) goes to
reverse() itself.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# What the int and slug converters accept (and quote() leaves as it is).
_INT = re.compile(r"[0-9]+")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "918273645"  # both an int and a slug


def cached_reverse(viewname, value):
    """reverse(viewname, args=[value]) for a route whose one argument is an int or a slug."""
    return reverser(viewname)(value)


def reverser(viewname):
    """
    A function value -> reverse(viewname, args=[value]), with the route looked up
    once: for building many URLs of one route in a loop (an article's claims).
    """
    route = _route(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

    def url(value):
        text = str(value)
        if route and route.accepts.fullmatch(text):
            return f"{route.before}{text}{route.after}"
        return reverse(viewname, args=[value])

    return url


class _Route(NamedTuple):
    before: str  # the URL up to the value
    after: str
    accepts: re.Pattern  # values put in as they are; reverse() is asked about any other


@lru_cache(maxsize=128)  # routes x script prefixes x URLconfs: a handful, but bounded
def _route(viewname, script_prefix, urlconf):
    """The route's URL around its value and the values it takes; None if the placeholder is not there once."""
    url = reverse(viewname, args=[_PLACEHOLDER], urlconf=urlconf)
    if url.count(_PLACEHOLDER) != 1:
        return None
    before, after = url.split(_PLACEHOLDER)
    try:
        reverse(viewname, args=["a-slug"], urlconf=urlconf)
    except NoReverseMatch:
        return _Route(before, after, _INT)
    return _Route(before, after, _SLUG)
