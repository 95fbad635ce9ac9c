"""The page-level checks (vnu, axe, CSP, screenshots) cover every page the project routes."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.site_pages import NOT_PAGE_NAMESPACES, listed_url_names


def routed_url_names(patterns=None, namespace=""):
    """'name' or 'namespace:name' of every route, outside the namespaces left out as a whole."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_PAGE_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += routed_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_routed_page_is_in_the_inventory():
    unlisted = sorted(set(routed_url_names()) - listed_url_names())
    assert not unlisted, (
        "Add these routes to tests/site_pages.py (a Page to check, or NOT_PAGES with a reason): " + ", ".join(unlisted)
    )


def test_the_inventory_reaches_into_included_url_confs():
    names = routed_url_names()
    assert "home" in names
    assert "login" in names  # from django.contrib.auth.urls, under accounts/
    assert not any(name.startswith("admin:") for name in names)
