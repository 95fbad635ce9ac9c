"""
Reading an HTML page's text: one linear walk of the parsed tree, after a check that refuses
pages nested deep enough to make parsers crawl. Used by the importer and by provenance.py.
"""

import re
from html.parser import HTMLParser

from bs4 import BeautifulSoup, CData, NavigableString, Tag
from bs4.builder import HTMLTreeBuilder


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, for the person importing it."""


# Elements whose content is never article text.
DROPPED_ELEMENTS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "object",
    "embed",
    "head",
]
BLOCK_ELEMENTS = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "hr",
]
_DROPPED = frozenset(DROPPED_ELEMENTS)
_BLOCKS = frozenset(BLOCK_ELEMENTS)


# Deeper nesting is refused before the page is parsed: real articles nest a few dozen
# elements deep, and a page nested thousands deep is built to make parsers crawl (a
# security test took 28 s at 20,000 and over 600 s at 200,000). Also keeps the walk
# below (one Python frame per level) far from the recursion limit.
MAX_DEPTH = 400
# Elements that never hold others, as the tree builder knows them.
VOID_ELEMENTS = HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS


class _DepthCheck(HTMLParser):
    """How deep the elements of a page nest, as BeautifulSoup's html.parser builder nests them; stops past MAX_DEPTH."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)
            if len(self.open) > MAX_DEPTH:
                raise _TooDeep

    def handle_endtag(self, tag):
        # As the tree builder does: close up to the nearest open element of that name, if any.
        # The stack never exceeds MAX_DEPTH, so this stays linear in the page.
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag:
                del self.open[i:]
                return


class _TooDeep(Exception):
    pass


def check_depth(name, markup):
    """ImportRefused when the page's elements nest more than MAX_DEPTH deep. One linear pass."""
    checker = _DepthCheck()
    try:
        checker.feed(markup)
        checker.close()
    except _TooDeep:
        raise ImportRefused(
            f"{name}: the page nests its elements more than {MAX_DEPTH} deep; real articles nest a few dozen. "
            "Nothing was imported."
        ) from None


# What reading a page costs grows with its elements and with its text outside them; both bounds
# are found in linear passes over the bytes, before the page is parsed (the admin's upload
# page decides with them whether it can read a file within a request).
_START_TAG = re.compile(rb"<[A-Za-z]")
_RAW_TEXT_OPEN = re.compile(rb"<(script|style)\b", re.IGNORECASE)  # html.parser's raw-text elements
_RAW_TEXT_CLOSE = {name: re.compile(rb"</" + name + rb"[^<>]*>?", re.IGNORECASE) for name in (b"script", b"style")}
_ANY_TAG = re.compile(rb"<[^<>]*>")  # [^<>], not [^>]: a run of unclosed '<' stays linear


def workload(markup):
    """
    (elements, text bytes) of an HTML page's bytes, upper bounds of what reading it
    takes: the start tags, and the bytes outside tags and outside scripts and styles
    (where an inline image, a stylesheet or a script's megabytes lie). Linear.
    """
    elements = len(_START_TAG.findall(markup))
    text, position = 0, 0
    while True:
        raw = _RAW_TEXT_OPEN.search(markup, position)
        end = len(markup) if raw is None else raw.start()
        text += len(_ANY_TAG.sub(b"", markup[position:end]))
        if raw is None:
            return elements, text
        close = _RAW_TEXT_CLOSE[raw.group(1).lower()].search(markup, raw.end())
        if close is None:  # unclosed: the rest of the page is the script's
            return elements, text
        position = close.end()


def _page_text(node, out):
    """Append the readable text under `node` to `out`: blocks set apart by blank lines, chrome and scripts left out."""
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in _DROPPED:
                continue
            if child.name == "br":
                out.append("\n")
            elif child.name in _BLOCKS:
                out.append("\n\n")
                _page_text(child, out)
                out.append("\n\n")
            else:
                _page_text(child, out)
        elif type(child) in (NavigableString, CData):  # not comments, doctypes, processing instructions
            out.append(str(child))


def extract_html(markup, name="page.html", depth_checked=False):
    """
    (title, text): the readable text of an HTML page, one paragraph per block, chrome and
    scripts dropped. Linear in the page: the tree is walked once and never edited (inserting
    a break before each of 20,000 sibling paragraphs, as this once did, was quadratic).
    """
    if not depth_checked:
        check_depth(name, markup)
    soup = BeautifulSoup(markup, "html.parser")
    title = ""
    if soup.title and soup.title.string:
        title = " ".join(soup.title.string.split())
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = " ".join(h1.get_text(" ", strip=True).split())
    out = []
    _page_text(soup, out)
    return title, tidy("".join(out))


def tidy(raw):
    """The importer's shape of a page's text: paragraphs set apart by one blank line, each line's whitespace
    collapsed, empty lines dropped (a <br> stays a line break inside its paragraph)."""
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", raw):
        paragraph = "\n".join(line for line in (" ".join(raw_line.split()) for raw_line in chunk.split("\n")) if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)
