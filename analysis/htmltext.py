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


class _Reading(HTMLParser):
    """
    One pass over a page as BeautifulSoup's html.parser builder reads it: how deep its
    elements nest (stops past MAX_DEPTH), how much markup it has (tags, comments,
    declarations) and how many characters of text outside scripts and styles. The same
    tokenizer as the extraction, so whatever it reads as text is counted as text
    ("< not a tag >", a CDATA section, the rest of a page after "<script/>").
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open = []
        self.markup = 0
        self.text = 0
        self.raw = None  # inside <script> or <style>: the parser passes their content on as data

    def handle_starttag(self, tag, attrs):
        self.markup += 1 + len(attrs)  # the parser reads each attribute in a loop of its own
        if tag in self.CDATA_CONTENT_ELEMENTS:
            self.raw = tag
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)
            if len(self.open) > MAX_DEPTH:
                raise _TooDeep

    def handle_endtag(self, tag):
        self.markup += 1
        if tag == self.raw:
            self.raw = None
        # As the tree builder does: close up to the nearest open element of that name, if any.
        # The stack never exceeds MAX_DEPTH, so this stays linear in the page.
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if self.raw is None:
            self.text += len(data)

    def handle_entityref(self, name):
        self.text += 1

    def handle_charref(self, name):
        self.text += 1

    def unknown_decl(self, data):  # <![CDATA[...]]>: text to the tree builder
        self.markup += 1
        self.text += len(data)

    def handle_comment(self, data):
        self.markup += 1

    def handle_decl(self, decl):
        self.markup += 1

    def handle_pi(self, data):
        self.markup += 1


class _TooDeep(Exception):
    pass


# With limits the page is fed in pieces of this size, so that reading stops soon after a
# limit is passed. (Large pieces: the parser reads a construct cut at a piece's end again
# from its start with the next piece.)
_PIECE = 1024 * 1024


# The standard library's parser (before Python 3.12.11 and 3.13.4) reads what a page leaves
# unclosed at its end in quadratic time: every "<a" with no ">" after it is searched to the end
# of the file again (20,000 of them, 40 KB, took 1.4 s; 80,000 took 20 s). A browser shows
# nothing after such a construct, so a page that leaves more than this much unclosed is refused.
MAX_UNCLOSED = 10_000


def _read(name, markup, limits=None):
    reading = _Reading()
    try:
        if limits is None:
            reading.feed(markup)
        else:
            max_markup, max_text = limits
            for start in range(0, len(markup), _PIECE):
                reading.feed(markup[start : start + _PIECE])
                if reading.markup > max_markup or reading.text > max_text:
                    return reading  # past a limit: the rest need not be read
        # What the parser could not finish is left in its buffer (inside a script or a style, the
        # script's own text, which it finishes in one step).
        unclosed = len(reading.rawdata)
        if reading.raw is None and unclosed > MAX_UNCLOSED:
            raise ImportRefused(
                f"{name}: the page leaves a tag, comment or declaration unclosed at character "
                f"{len(markup) - unclosed:,}, and {unclosed:,} characters after it are markup that never "
                "closes (a browser shows nothing after it). Nothing was imported."
            )
        reading.close()
    except _TooDeep:
        raise ImportRefused(
            f"{name}: the page nests its elements more than {MAX_DEPTH} deep; real articles nest a few dozen. "
            "Nothing was imported."
        ) from None
    except AssertionError as exc:  # the parser's way of rejecting some malformed declarations
        raise ImportRefused(f"{name}: the HTML parser cannot read this page ({exc}). Nothing was imported.") from None
    return reading


def check_depth(name, markup):
    """ImportRefused when the page's elements nest more than MAX_DEPTH deep. One linear pass."""
    _read(name, markup)


def workload(name, markup, limits=None):
    """
    (pieces of markup, characters of text) of a page: what reading and analysing it
    costs, counted in one linear pass of the parser the extraction uses, before any tree
    is built. Markup is tags, their attributes, comments and declarations; text is what
    the parser passes on as text outside scripts and styles (where a saved page's
    megabytes lie, with its inline images in attributes), "< not a tag >" and CDATA
    included. With limits (markup, text), reading stops once either is passed, and the
    counts so far (one of them past its limit) are returned: a hostile page costs no more
    than the limits allow. ImportRefused when the page nests too deep.
    """
    reading = _read(name, markup, limits)
    return reading.markup, reading.text


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
