"""Helpers for the public-page tests: build reviewed claims, and read the HTML they render."""

import json
from html.parser import HTMLParser

from tests import factories

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def reviewed_claim(
    article, quote, reviewers, lead, strength="low", verdict="partially", rationale="Small trial.", **fields
):
    """A finalized claim: one rating per reviewer, then the lead's consensus."""
    claim = factories.make_claim(article, quote, **fields)
    for reviewer in reviewers:
        factories.make_rating(claim, reviewer, evidence_strength=strength, verdict=verdict)
    factories.finalize(claim, lead, evidence_strength=strength, verdict=verdict, rationale=rationale)
    return claim


class Page(HTMLParser):
    """
    The parts of a page the tests look at. Also checks that elements nest
    properly: an end tag that does not close the innermost open element fails.
    """

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.tags = []  # (tag, attrs) in document order
        self.h1 = []
        self.title = ""
        self.scripts = []  # (attrs, text)
        self._text_into = None
        self._buffer = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("h1", "title", "script"):
            self._text_into, self._buffer = (tag, attrs), []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()
        if self._text_into and self._text_into[0] == tag:
            text = "".join(self._buffer)
            if tag == "h1":
                self.h1.append(" ".join(text.split()))
            elif tag == "title" and not self.title:  # the document's, not an SVG's
                self.title = " ".join(text.split())
            else:
                self.scripts.append((self._text_into[1], text))
            self._text_into = None

    def handle_data(self, data):
        if self._text_into:
            self._buffer.append(data)

    def find_all(self, tag, **attrs):
        """Elements with this tag whose attributes include these (class_ matches one class)."""
        found = []
        for name, element_attrs in self.tags:
            if name != tag:
                continue
            ok = True
            for key, value in attrs.items():
                if key == "class_":
                    ok = ok and value in (element_attrs.get("class") or "").split()
                else:
                    ok = ok and element_attrs.get(key.replace("_", "-")) == value
            if ok:
                found.append(element_attrs)
        return found

    def meta_description(self):
        metas = self.find_all("meta", name="description")
        return metas[0]["content"] if metas else None

    def canonical(self):
        links = [attrs for tag, attrs in self.tags if tag == "link" and attrs.get("rel") == "canonical"]
        return links[0]["href"] if links else None

    def json_ld(self):
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]


def page(response):
    assert response.status_code == 200, response.status_code
    return Page(response.content.decode())


# Every anonymous request to a public page or export first reads the data version
# its ETag and page-cache key come from (public/caching.py): one query, added to
# each page's own in the query-count tests.
VERSION_QUERY = 1


# sqlite_stat1 rows of claims_claim as ANALYZE wrote them on the 100,000-claim benchmark
# database (bench/prepare.py): the planner's view of a large table, for tests that pin a plan.
LARGE_CLAIM_TABLE_STATS = {
    "claim_reading_order_idx": "100000 50 1 1 1 1 1 1",
    "claim_status_order_idx": "100000 25000 25000 14 1 1",
    "claim_facet_bits_idx": "100000 25000 25000 317 191",
    "claim_topic_order_idx": "100000 6250 6 1 1 1 1",
    "claim_overclaim_order_idx": "100000 33334 17 1 1 1 1",
    "claims_claim_article_id_6731be49": "100000 50",
}


def plan_as_if_large(queryset):
    """SQLite's plan for queryset as if claims_claim held 100,000 claims (statistics only, rolled back)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'claims_claim'")
        cursor.executemany(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('claims_claim', %s, %s)",
            list(LARGE_CLAIM_TABLE_STATS.items()),
        )
        cursor.execute("ANALYZE sqlite_schema")  # the planner reloads the statistics
    return queryset.explain()
