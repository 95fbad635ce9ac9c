"""
An HTML page's article text and its provenance: what the page itself states about where it
comes from (canonical URL, site name, author, publication date).

    extract(markup, name="page.html") -> Page

Text and metadata come from trafilatura (main-content extraction, OpenGraph, JSON-LD, <meta>,
<link rel=canonical>, and htmldate for the date); which extractor gives the better text was
measured against htmltext.extract_html by bench/extraction_compare.py (docs/extraction.md).

Nothing is guessed: a field the page does not state is "" (None for the date), and `found`
names the fields the page did state. In particular the site name is never made up from the
URL's host or the <title>, the date never read from the running text, and the canonical URL is
the page's <link rel=canonical> (else its og:url or twitter:url) only when that is an absolute http(s) URL.
Markup only: nothing is downloaded.
"""

import datetime
from dataclasses import dataclass

import trafilatura
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from trafilatura.metadata import examine_meta, extract_meta_json
from trafilatura.utils import load_html

from . import htmltext

FIELDS = ("canonical_url", "site_name", "author", "published_on")

# htmldate's options: the dates the page states (meta tags, JSON-LD, <time>, date elements, the
# URL), the original publication rather than the last update, and no search of the free text.
DATE_PARAMS = {"extensive_search": False, "original_date": True}

# trafilatura's options for the main text: no reader comments (chrome for us), tables kept.
TEXT_OPTIONS = {"include_comments": False, "include_tables": True, "fast": True}

_HTTP_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Page:
    title: str
    text: str  # paragraphs joined by "\n\n", each paragraph's whitespace collapsed (as extract_html)
    canonical_url: str = ""
    site_name: str = ""
    author: str = ""
    published_on: datetime.date | None = None
    found: frozenset = frozenset()  # the names (from FIELDS) of the fields the page stated


# What a text file, or a page that states nothing, says about itself.
NOTHING_STATED = Page(title="", text="")


def extract(markup, name="page.html"):
    """The Page read from `markup` (an HTML string). ImportRefused for a page nested too deep."""
    htmltext.check_depth(name, markup)
    tree = load_html(markup)
    if tree is None:  # not HTML trafilatura can read: the importer's own reading, no metadata
        title, text = htmltext.extract_html(markup, name, depth_checked=True)
        return Page(title=title, text=text)
    # What the page states in <meta> tags, JSON-LD and its canonical link, read before extraction.
    stated = extract_meta_json(tree, examine_meta(tree))
    canonical = _http_url(_canonical_link(tree)) or _http_url(stated.url)  # og:url (or twitter:url)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        **TEXT_OPTIONS,
        date_extraction_params=dict(DATE_PARAMS),
    )
    main_text = _paragraphs(doc.body) if doc is not None and doc.body is not None else ""
    # The article's own <h1> (a logo's <h1> is not in the extracted body), else the title the page
    # states (og:title, JSON-LD headline, <title>: often with the site's name after it).
    title = (_body_h1(doc.body) or _clean(doc.title)) if doc is not None else ""
    title_html, page_text = htmltext.extract_html(markup, name, depth_checked=True)
    text = _kept(page_text, main_text) if main_text else page_text  # trafilatura kept nothing: all of it
    title = title or title_html
    fields = {
        "canonical_url": canonical,
        "site_name": _clean(stated.sitename).lstrip("@") if stated.sitename else "",
        "author": _clean(doc.author) if doc is not None else "",
        "published_on": _date(doc.date) if doc is not None else None,
    }
    found = frozenset(key for key, value in fields.items() if value)
    return Page(title=title, text=text, found=found, **fields)


# How far past the last line kept _kept looks for a line trafilatura ran into a longer one.
LOOK_AHEAD = 10_000


def _kept(page_text, main_text):
    """
    extract_html's text, less the lines trafilatura left out of the main content. Neither
    alone is right: extract_html keeps the page's paragraphs and always drops <nav>,
    <header>, <footer>, <aside> and scripts, but keeps a cookie banner or a "related
    products" block in a <div>; trafilatura drops those, but on a short page it falls back
    to every text of the page, menu included, and runs blocks together. A line is kept
    when trafilatura's text has it, as a line of its own or inside a longer one.

    Linear in the page: a line of its own is a dictionary lookup, and a line inside a longer
    one is looked for only just after the last line kept (both texts are in the page's
    order), not in all of trafilatura's text: a page of many lines trafilatura drops
    made that search quadratic (20,000 dropped lines and a 1.7 MB article: 11 s).
    """
    where, offset = {}, 0
    for line in main_text.split("\n"):
        if line:
            where.setdefault(line, offset)
        offset += len(line) + 1
    cursor, paragraphs = 0, []
    for paragraph in page_text.split("\n\n"):
        kept = []
        for line in paragraph.split("\n"):
            at = where.get(line)
            if at is None:
                at = main_text.find(line, cursor, cursor + len(line) + LOOK_AHEAD)
            if at is not None and at != -1:
                kept.append(line)
                cursor = max(cursor, at + len(line))
        if kept:
            paragraphs.append("\n".join(kept))
    return "\n\n".join(paragraphs)


def _clean(value):
    return " ".join((value or "").split())


# Blocks of trafilatura's extracted body (its XML-TEI-like tree): each one a paragraph, as
# htmltext.extract_html makes one of each HTML block. <lb/> is a line break; <hi>, <ref> and
# the like are inline.
_BODY_BLOCKS = frozenset({"head", "p", "quote", "list", "item", "table", "row", "cell", "code", "div", "fw"})


def _body_text(node, out):
    if node.text:
        out.append(node.text)
    for child in node:
        if not isinstance(child.tag, str):  # comments, processing instructions
            pass
        elif child.tag == "lb":
            out.append("\n")
        elif child.tag in _BODY_BLOCKS:
            out.append("\n\n")
            _body_text(child, out)
            out.append("\n\n")
        else:
            _body_text(child, out)
        if child.tail:
            out.append(child.tail)


def _body_h1(body):
    if body is not None:
        for head in body.iter("head"):
            if head.get("rend") == "h1" and (title := _clean("".join(head.itertext()))):
                return title
    return ""


def _paragraphs(body):
    """The text of trafilatura's body in extract_html's shape: paragraphs set apart by a blank line, each
    line's whitespace collapsed, a <br> kept as a line break."""
    out = []
    _body_text(body, out)
    return htmltext.tidy("".join(out))


def _canonical_link(tree):
    """The href of the page's <link rel=canonical>, as written. (trafilatura's extract_url would also take
    <base href>, make a protocol-relative URL https and prefer og:url: each a guess at the canonical URL.)"""
    for link in tree.iterfind(".//head//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return link.get("href")
    return ""


def _http_url(url):
    url = (url or "").strip()
    try:
        _HTTP_URL(url)
    except ValidationError:
        return ""
    return url


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
