"""
Article import: a .txt or .html file becomes an Article with suggested claims
(status "suggested"), the studies they cite as written, and the marketing
detector's suggested flags. The machine suggests; reviewers decide.

Two steps, so a dry run and a real import share every line of analysis:
  analyse(name, data)  -> Draft   reads, cleans and analyses; writes nothing
  save(draft, ...)     -> Article one transaction: all of it or nothing

Used by `manage.py import_article` and by the admin's "Import article" page.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

import pysbd
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from claims import facets
from claims.history import bulk_create_with_history
from claims.models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    ClaimTopic,
    Population,
    Study,
    Substance,
    Topic,
    reading_values,
)

from . import disclaimers, htmltext, provenance, readings, resemblance
from .citation_parser import AUTHOR_YEAR, NUMBERED, find_citations
from .detector import Detector
from .htmltext import MAX_DEPTH, ImportRefused, check_depth, extract_html  # noqa: F401  (importer's API)
from .suggestions import record_flag_suggestions

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}


class ResemblesExisting(Exception):
    """Most of the text is an existing article's: import it as a separate article only when told (force)."""

    def __init__(self, name, article, score):
        self.article, self.score = article, score
        super().__init__(
            f"{name}: resembles “{article.title}” ({article.slug}): {score:.0%} the same text; nothing imported. "
            f"If it is a changed version of that page, import it with --new-version-of {article.slug} (the admin: "
            "“New version of”); if it is a different article, with --force (the admin: “Import as a separate "
            "article”)."
        )


class AlreadyImported(Exception):
    def __init__(self, article):
        self.article = article
        super().__init__(f"already imported as “{article.title}” ({article.slug}); nothing changed.")


# --------------------------------------------------------------------------
# Reading: bytes -> text


def decode(name, data):
    """UTF-8 text from a file's bytes, or ImportRefused saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise ImportRefused(f"{name}: the file is empty.")
    if b"\x00" in data:
        raise ImportRefused(f"{name}: this is a binary file, not text or HTML.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{name}: the file is not UTF-8 text (undecodable byte at position {exc.start}). "
            "Save it as UTF-8 and import it again."
        ) from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise ImportRefused(f"{name}: this looks like a binary file, not text or HTML.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(name, data):
    """
    (title found in the document, text, page) for a .txt or .html file. For HTML, text and
    provenance come from provenance.extract (trafilatura: it left no page chrome in the text
    where this module's own reading left 58 of 143 lines, docs/import.md), and `page` is
    the provenance.Page with what the page states about itself; None for text.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise ImportRefused(f"{name}: only .txt and .html files can be imported.")
    text = decode(name, data)
    page = None
    if suffix in HTML_SUFFIXES:
        page = provenance.extract(text, name)
        title, text = page.title, page.text
    else:
        title = ""
    if not text.strip():
        raise ImportRefused(f"{name}: the file holds no readable text.")
    return title, text, page


def workload(name, data, limits=None):
    """
    (pieces of markup, characters of text): what importing the file costs, counted
    without building the page's tree (htmltext.workload, which stops past `limits`; a
    text file is all text). ImportRefused for a file analyse() would refuse unread.
    """
    if PurePath(name).suffix.lower() in HTML_SUFFIXES:
        return htmltext.workload(name, decode(name, data), limits)
    return 0, len(data)


# --------------------------------------------------------------------------
# Page chrome: boilerplate that is never a claim

_CHROME_LINE = re.compile(
    r"^(?:(?:my\s+)?(?:cart|basket|bag)\s*[:(]?\s*\d*\s*\)?"
    r"|skip\s+to\s+(?:main\s+)?content|menu|search|log\s*in|sign\s*in|sign\s*up|register|my\s+account|checkout"
    r"|share(?:\s+(?:this|on\s+\w+))?|tweet|pin\s+it|print|email|close|home|shop(?:\s+now)?|add\s+to\s+(?:cart|basket)"
    r"|(?:in|out\s+of)\s+stock|sold\s+out|quantity)$",
    re.IGNORECASE,
)
_CHROME_ANYWHERE = re.compile(
    r"\bjavascript\b.*\b(?:enabled?|required?|requires|disabled|turn(?:ed)?\s+on)\b"
    r"|\b(?:enable|requires?)\b.*\bjavascript\b"
    r"|\bcookies?\b.*\b(?:use|accept|consent|policy|settings)\b"
    r"|^(?:©|copyright\b)|\ball\s+rights\s+reserved\b|\bprivacy\s+policy\b|\bterms\s+(?:of|and)\s+(?:service|use|conditions)\b"
    r"|\bsubscribe\s+to\s+our\b|\bsign\s+up\s+for\s+our\b|\bnewsletter\b|\bfree\s+shipping\b",
    re.IGNORECASE,
)
# A heading that introduces a list of links to other pages ("Also see..", "Related articles").
_RELATED_HEADER = re.compile(
    r"^(?:also\s+see|see\s+also|related(?:\s+(?:articles?|posts?|products?|reading|content))?|you\s+may\s+also\s+like"
    r"|read\s+more|more\s+(?:articles|posts|reading)|recommended(?:\s+(?:for\s+you|reading|products))?"
    r"|popular\s+(?:posts|articles))\b[\s.:…]*$",
    re.IGNORECASE,
)
# A short line naming a product for sale ("Magnesium spa bath", "Downunder Products").
_PRODUCT_LINE = re.compile(
    r"\b(?:baths?|oils?|sprays?|flakes|creams?|lotions?|gels?|capsules|tablets?|powders?|kits?|bundles?|products?|gift\s+cards?)$",
    re.IGNORECASE,
)
# A sentence that sends the reader elsewhere ("check out the product page here").
_CALL_TO_ACTION = re.compile(
    r"\b(?:check\s+out|click|visit|learn\s+more|find\s+out\s+more|read\s+more|shop|buy|order)\b.*"
    r"\b(?:here|page|shop|store|product|website|site|link|now|today)\b[\s.!]*$",
    re.IGNORECASE,
)
LINK_LINE_MAX_WORDS = 12


def is_heading(line):
    """A short line without closing punctuation: a heading, a list label, a link."""
    stripped = line.strip()
    return bool(stripped) and stripped[-1] not in '.!?:;"”’)' and len(stripped.split()) <= LINK_LINE_MAX_WORDS


# --------------------------------------------------------------------------
# Sentences


_SEGMENTER = None
SEGMENT_CHUNK = 3000  # pysbd slows sharply on very long paragraphs: feed it pieces of about this size
_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATION_END = re.compile(
    r"\b(?:approx|e\.g|i\.e|etc|vs|al|dr|fig|no|ca|cf|mr|mrs|ms|prof|st|incl)\.$", re.IGNORECASE
)
_BULLET = re.compile(r"^(?:[•●▪◦‣*–—-]|\d{1,3}[.)])\s+")


def segmenter():
    global _SEGMENTER
    if _SEGMENTER is None:
        _SEGMENTER = pysbd.Segmenter(language="en", clean=False)
    return _SEGMENTER


def _chunks(paragraph):
    """Pieces of at most about SEGMENT_CHUNK characters, cut at likely sentence ends."""
    start = 0
    while len(paragraph) - start > SEGMENT_CHUNK:
        cut = None
        for match in _BOUNDARY.finditer(paragraph, start, start + SEGMENT_CHUNK):
            cut = match.end()
        if cut is None or cut <= start:
            cut = start + SEGMENT_CHUNK
            space = paragraph.rfind(" ", start, cut)
            cut = space + 1 if space > start else cut
        yield start, paragraph[start:cut]
        start = cut
    if start < len(paragraph):
        yield start, paragraph[start:]


def segments(chunk):
    """
    pysbd's sentences of `chunk`, as Segmenter.segment() finds them. segment() then
    locates each sentence in the chunk with a regular expression compiled for that
    sentence alone: one compilation per sentence, a tenth of a large import's time,
    and one the importer has no use for, since sentences() locates them itself.
    """
    return segmenter().processor(chunk).process() if chunk else []


def sentences(text, start, end):
    """[(start, end)] of the sentences in text[start:end], offsets into text, trimmed, bullets removed."""
    spans = []
    for offset, chunk in _chunks(text[start:end]):
        cursor = 0
        for segment in segments(chunk):
            piece = segment.strip()
            if not piece:
                continue
            found = chunk.find(piece, cursor)
            if found == -1:
                continue
            cursor = found + len(piece)
            spans.append([start + offset + found, start + offset + cursor])
    return [tuple(s) for s in _repair(text, spans)]


def _repair(text, spans):
    """Fix the segmenter's usual slips: a reference cut off its sentence, a split after 'approx.'."""
    repaired = []
    for s, e in spans:
        piece = text[s:e]
        bullet = _BULLET.match(piece)
        if bullet:
            s += bullet.end()
            piece = text[s:e]
        if not piece.strip():
            continue
        if repaired:
            prev = repaired[-1]
            cite = AUTHOR_YEAR.match(piece) or NUMBERED.match(piece)
            if cite and not bullet:
                prev[1] = s + cite.end()
                s = s + cite.end()
                while s < e and text[s].isspace():
                    s += 1
                if s >= e:
                    continue
                piece = text[s:e]
            if _ABBREVIATION_END.search(text[prev[0] : prev[1]]) and (piece[0].islower() or piece[0].isdigit()):
                prev[1] = e
                continue
        repaired.append([s, e])
    return repaired


# --------------------------------------------------------------------------
# Claims: which sentences assert something a reviewer should check

# A health predicate: the sentence says something does something to the body.
_PREDICATE = re.compile(
    r"\b(?:help\w*|reduc\w*|improv\w*|increas\w*|decreas\w*|reliev\w*|relief|alleviat\w*|prevent\w*|treat\w*|cur(?:e|es|ed|ing)"
    r"|promot\w*|support\w*|enhanc\w*|protect\w*|regulat\w*|calm\w*|relax\w*|block\w*|inhibit\w*|activat\w*|deactivat\w*"
    r"|modulat\w*|caus\w*|lead\s+to|leads\s+to|trigger\w*|eas(?:e|es|ing)|suppress\w*|attenuat\w*|minimi[sz]\w*|boost\w*"
    r"|restor\w*|deplet\w*|lower\w*|rais\w*|benefi\w*|effective|essential|critical|crucial|vital|indispensable|role"
    r"|responsible|need(?:s|ed)?|requir\w*|necessary|linked|associated|likely|absorb\w*|bioavailab\w*|safe|cofactor"
    r"|neuroprotective|anti-inflammatory|analgesic|deficien\w*|track|deliver\w*|bypass\w*|recommended|consume|intake"
    r"|dose|doses|dosage|improv\w*|worsen\w*|damag\w*|toxic\w*|amplif\w*)\b",
    re.IGNORECASE,
)
_RESEARCH = re.compile(
    r"\b(?:stud(?:y|ies)|research\w*|scientists?|trials?|report(?:ed|s)?|documented|evidence|found|shown|demonstrated"
    r"|according\s+to|meta-analysis|review|experiment\w*|participants|journal)\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"\b\d[\d,.]*\s?(?:mg|mcg|µg|g|iu|%|percent|mmol)\b|\b(?:per|a)\s+day\b|\bdaily\s+(?:intake|dose|allowance)\b"
    r"|\bdos(?:e|es|age)\b|\bRDA\b|\brecommended\s+(?:daily\s+)?(?:intake|allowance|amount)\b|\b\d+\s?(?:-|to)\s?\d+\s?%",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:pain\w*|ache\w*|neuropath\w*|neuralgia|sciatica|migraine\w*|headache\w*|arthritis|fibromyalgia|insomnia|"
    r"anxiety|depression|diabet\w*|alzheimer\S*|dementia|cancer\w*|hypertension|cramps?|spasms?|inflammat\w*|"
    r"constipation|eclampsia|dysmenorrh\w*|disease\w*|disorders?|syndromes?|symptoms?|injur\w*|sleep\w*|stress\w*|"
    r"cognitive\s+decline|memory|nerve\s+damage|hypersensitivity|excitotoxic\w*|restless\s+legs?)\b",
    re.IGNORECASE,
)
_POPULATION_WORDS = re.compile(
    r"\b(?:patients|people|participants|subjects|volunteers|adults|children|women|men|elderly|athletes|humans?"
    r"|mice|rats?|rodents|animals?|migraineurs|diabetics)\b",
    re.IGNORECASE,
)
_SAFETY = re.compile(
    r"\b(?:side[\s-]effects?|safe(?:ty|ly)?|adverse|risks?|toxic\w*|overdose|diarrh\w*|nausea|upset)\b", re.IGNORECASE
)
_DEFICIENCY = re.compile(
    r"\b(?:deficien\w*|inadequate|insufficient|depletion|low\s+(?:\w+\s+)?levels?)\b", re.IGNORECASE
)
# Talking to the reader, or about the article itself, rather than asserting a fact.
_ADVICE = re.compile(
    r"^(?:of\s+course|if\s+you\s+want|you\s+(?:should|could|can|might|may)|consider|try|talk\s+to|consult\w*|ask\s+your"
    r"|to\s+learn|for\s+everything|here['’]s|in\s+this\s+article|this\s+article|we['’]ll|let['’]s|the\s+answer\s+is)\b",
    re.IGNORECASE,
)
# The substances articles like these make claims for.
_SUBSTANCE = re.compile(
    r"\b(?:magnesium|mg(?:so4|cl2)?|zinc|iron|calcium|potassium|selenium|iodine|vitamins?|omega-3s?|fish\s+oil|melatonin"
    r"|curcumin|turmeric|cbd|probiotics?|collagen|creatine|ashwagandha|supplement\w*|minerals?|nutrients?)\b",
    re.IGNORECASE,
)
MIN_CLAIM_WORDS = 4


def claim_signals(sentence, citations):
    """The reasons a sentence reads as a checkable health claim (empty: it does not)."""
    if sentence.rstrip().endswith("?") or len(sentence.split()) < MIN_CLAIM_WORDS or _ADVICE.search(sentence):
        return set()
    found = {
        name
        for name, pattern in (
            ("effect", _PREDICATE),
            ("substance", _SUBSTANCE),
            ("research", _RESEARCH),
            ("dose", _QUANTITY),
            ("condition", _CONDITION),
            ("population", _POPULATION_WORDS),
            ("safety", _SAFETY),
            ("deficiency", _DEFICIENCY),
        )
        if pattern.search(sentence)
    }
    if citations:
        found.add("citation")
    asserts = found & {"effect", "dose", "citation"}
    about_health = found - {"effect"}
    return found if asserts and about_health else set()


# Topic keywords, most specific first: the first topic with the most hits wins. The topics and
# their keywords live in the ClaimTopic table (seeded from this list by migration 0025, edited by
# lead reviewers); this list is used only when that table is empty (a flushed test database).
TOPIC_KEYWORDS = [
    (Topic.MIGRAINE, r"migraine\w*|headache\w*|aura"),
    (Topic.FIBROMYALGIA, r"fibromyalgia"),
    (Topic.POSTOPERATIVE_PAIN, r"post-?operative|surger\w*|anaesthe\w*|anesthe\w*|opioid\w*"),
    (Topic.MUSCLE_CRAMPS, r"cramp\w*|spasm\w*|twitch\w*|restless\s+legs?"),
    (Topic.SLEEP, r"sleep\w*|insomnia|melatonin|circadian"),
    (Topic.ANXIETY_STRESS, r"anxi\w*|stress\w*|mood|depress\w*|cortisol|calm\w*|relax\w*"),
    (Topic.COGNITION, r"cogniti\w*|memory|brain|alzheimer\S*|dementia|learning|plasticity|excitotoxic\w*"),
    (Topic.INFLAMMATION, r"inflamm\w*|cytokine\w*|oxidative|c-reactive|crp|ros"),
    (Topic.NERVE_REGENERATION, r"regenerat\w*|nerve\s+repair|recovery"),
    (Topic.NEUROPATHIC_PAIN, r"neuropath\w*|neuralgia|nerve\s+pain|sciatica|chronic\s+pain|back\s+pain|pain"),
    (
        Topic.NERVE_SIGNALLING,
        r"nmda|neurotransmit\w*|glutamate|gaba|receptor\w*|synap\w*|ion\s+channel\w*|signal\w*|impulse\w*|electrical",
    ),
    (Topic.DEFICIENCY, r"deficien\w*|hypomagnes\w*|inadequate|insufficient|low\s+(?:\w+\s+)?levels?|depletion"),
    (Topic.DOSAGE, r"\d+\s?mg|dos(?:e|es|age)|per\s+day|a\s+day|daily\s+intake|rda|recommended\s+daily"),
    (Topic.SAFETY, r"side[\s-]effects?|safe\w*|adverse|risk\w*|toxic\w*|diarrh\w*|nausea"),
    (
        Topic.ABSORPTION,
        r"absor\w*|bioavailab\w*|transdermal|skin|oral|citrate|glycinate|oxide|threonate|chloride|soluble|form\s+of",
    ),
]
_TOPIC_PATTERNS = [(topic, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for topic, words in TOPIC_KEYWORDS]
POPULATION_KEYWORDS = [
    (Population.IN_VITRO, r"in\s+vitro|cell\s+cultures?|cultured\s+cells|petri"),
    (Population.ANIMAL, r"mice|mouse|rats?|rodents?|animals?|dogs|rabbits|pigs"),
    (
        Population.HUMAN,
        r"patients|participants|volunteers|adults|children|women|men|elderly|pregnan\w*|athletes|humans|people|migraineurs",
    ),
]
_POPULATION_PATTERNS = [(p, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for p, words in POPULATION_KEYWORDS]


def guess_topic(sentence):
    """The topic whose keywords (ClaimTopic, in position order) the sentence holds most; 'general' if none."""
    best, best_count = Topic.GENERAL, 0
    patterns = ClaimTopic.patterns()
    for topic, pattern in _TOPIC_PATTERNS if patterns is None else patterns:
        count = len(pattern.findall(sentence))
        if count > best_count:
            best, best_count = topic, count
    return best


def guess_substance(sentence, article_default, matcher=None):
    """
    The substance a sentence is about: the one it names (by name or alias, whole words,
    longest first, so a form before its parent; the article's main substance or a form
    of it first when it names several), else `article_default`; may be None. `matcher`:
    the table read once per import (Substance.matcher()); without it, read here.
    """
    matcher = matcher or Substance.matcher()
    return matcher.for_claim(sentence, article_default)


def guess_population(sentence):
    for population, pattern in _POPULATION_PATTERNS:
        if pattern.search(sentence):
            return population
    return Population.UNSPECIFIED


# --------------------------------------------------------------------------
# The draft: everything an import would write, computed without writing


@dataclass
class ClaimSuggestion:
    start: int
    end: int
    quote: str
    topic: str
    population: str
    citations: list = field(default_factory=list)  # citations.Found, as written
    # The automatic reading (analysis/readings.py): (strength, wording cues, hint, evidence cues).
    reading: tuple = ()
    substance: Substance | None = None  # guess_substance

    def as_dict(self):
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "topic": self.topic,
            "substance": self.substance.slug if self.substance else None,
            "citations": [c.text for c in self.citations],
            **(readings.as_json(*self.reading) if self.reading else {}),
        }


@dataclass
class Draft:
    name: str
    title: str
    text: str
    boilerplate: list
    claims: list
    marketing: list  # detector.Hit
    disclaimers: list = field(default_factory=list)  # disclaimers.Disclaimer
    previous: Article | None = None  # the article this is a new version of (as_version_of)
    page: provenance.Page | None = None  # what an HTML page states about itself
    substance: Substance | None = None  # the one the text names most (SubstanceMatcher.main_in)

    def stated(self):
        """What the page states about itself: {canonical_url, site_name, author, published_on} ("" / None)."""
        page = self.page or provenance.NOTHING_STATED
        return {
            "canonical_url": page.canonical_url,
            "site_name": page.site_name,
            "author": page.author,
            "published_on": page.published_on.isoformat() if page.published_on else None,
        }

    @property
    def content_hash(self):
        return Article.hash_text(self.text)

    def as_dict(self):
        return {
            "title": self.title,
            "substance": self.substance.slug if self.substance else None,
            "boilerplate": self.boilerplate,
            "disclaimers": [d.as_dict() for d in self.disclaimers],
            "claims": [c.as_dict() for c in self.claims],
            "marketing": [h.as_dict() for h in self.marketing],
            **({"version_of": self.version_report()} if self.previous else {}),
        }

    def version_report(self):
        """What publishing this version would do to the previous one's claims (Article.carry_plan)."""
        carried, left = self.previous.carry_plan(self.text)
        return {
            "article": self.previous.slug,
            "title": self.previous.title,
            "carried_claims": [claim.pk for claim, _start, _end in carried],
            "left_claims": [claim.pk for claim in left],
        }

    def existing(self):
        return Article.objects.filter(content_hash=self.content_hash).first()


def analyse(name, data, title=None, detector=None):
    """Read one file and work out what importing it would create. Writes nothing."""
    found_title, text, page = read_document(name, data)
    boilerplate, claims, found_disclaimers = [], [], []
    substances = Substance.matcher()  # read once per import
    main_substance = substances.main_in(text)
    seen_quotes = set()
    in_related_links = False
    for line_match in re.finditer(r"[^\n]+", text):
        line = line_match.group(0).strip()
        if not line:
            continue
        line_start = line_match.start() + len(line_match.group(0)) - len(line_match.group(0).lstrip())
        disclaimer = _disclaimer(line, line_start)
        if disclaimer is not None:  # the whole line: a heading-like "*Results may vary." too
            found_disclaimers.extend(_each_sentence(text, disclaimer))
            continue
        if _RELATED_HEADER.match(line):
            in_related_links = True
            boilerplate.append(line)
            continue
        if in_related_links and is_heading(line):
            boilerplate.append(line)
            continue
        in_related_links = False
        if _CHROME_LINE.match(line) or _CHROME_ANYWHERE.search(line):
            boilerplate.append(line)
            continue
        if is_heading(line):
            if _PRODUCT_LINE.search(line) and len(line.split()) <= 5:
                boilerplate.append(line)
            continue
        for start, end in sentences(text, line_match.start(), line_match.end()):
            sentence = text[start:end]
            disclaimer = _disclaimer(sentence, start)
            if disclaimer is not None:
                found_disclaimers.append(disclaimer)
                continue
            if _CALL_TO_ACTION.search(sentence):
                boilerplate.append(sentence)
                continue
            citations = find_citations(text, start, end)
            if not claim_signals(sentence, citations) or sentence in seen_quotes:
                continue
            seen_quotes.add(sentence)  # a paragraph printed twice is one claim, not two
            claims.append(
                ClaimSuggestion(
                    start,
                    end,
                    sentence,
                    guess_topic(sentence),
                    guess_population(sentence),
                    citations,
                    reading=readings.reading(text, start, end),
                    substance=guess_substance(sentence, main_substance, substances),
                )
            )
    detector = detector or Detector.from_lexicon()
    # A disclaimer's "cure or prevent any disease" is not a disease claim.
    marketing = [
        hit
        for hit in detector.find(text)
        if not any(hit.start < d.end and hit.end > d.start for d in found_disclaimers)
    ]
    return Draft(
        name=name,
        title=(title or found_title or _first_line(text, boilerplate))[:300],
        text=text,
        boilerplate=boilerplate,
        claims=claims,
        marketing=marketing,
        disclaimers=found_disclaimers,
        page=page,
        substance=main_substance,
    )


def _each_sentence(text, disclaimer):
    """A disclaimer line as one Disclaimer per sentence, each of its own kind (the line's where it has none)."""
    found, kind = [], disclaimer.kind
    for start, end in sentences(text, disclaimer.start, disclaimer.end):
        hits = disclaimers.matches(text[start:end])
        kind = hits[0][0] if hits else kind
        found.append(disclaimers.Disclaimer(kind, start, end, text[start:end]))
    return found or [disclaimer]


def _disclaimer(sentence, start):
    """A Disclaimer when `sentence` (at `start` in the text) is regulatory boilerplate and claims nothing else."""
    hits = disclaimers.matches(sentence)
    if not hits or claim_signals(disclaimers.without(sentence, hits), []):
        return None
    return disclaimers.Disclaimer(hits[0][0], start, start + len(sentence), sentence)


def _first_line(text, boilerplate, limit=300):
    """The first line that is not page chrome; of a long line, its first sentence."""
    chrome = set(boilerplate)
    for match in re.finditer(r"[^\n]+", text):
        line = " ".join(match.group(0)[: limit * 4].split())
        if line and line not in chrome:
            if len(line) > limit:
                end = _BOUNDARY.search(line)
                line = line[: end.start() + 1] if end and end.start() < limit else line[:limit]
            return line
    return "Untitled article"


# --------------------------------------------------------------------------
# Saving: one transaction per article


def _unique_slug(title):
    base = slugify(title)[:100] or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def validate_url(url):
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ImportRefused(f"“{url}” is not an http(s) URL.") from None
    return url


def fingerprint_missing(batch=500):
    """Give every article without a fingerprint its own (articles loaded from fixtures or seeded); returns how many."""
    done = 0
    while True:
        articles = list(Article.objects.filter(fingerprint=[]).only("pk", "text")[:batch])
        if not articles:
            return done
        for article in articles:
            article.fingerprint = resemblance.fingerprint(article.text) or [0]  # [0]: no words, still done
        Article.objects.bulk_update(articles, ["fingerprint"])
        done += len(articles)


def resembling(draft):
    """[(article, score)]: the stored articles whose text the draft's resembles, best first (docs/import.md)."""
    fingerprint_missing()
    return resemblance.resembling(draft.text, Article.objects.only("pk", "title", "slug", "fingerprint"))


def check_resemblance(draft, force=False):
    """ResemblesExisting when the draft is mostly an existing article's text, unless `force`."""
    found = resembling(draft)
    if found and found[0][1] >= resemblance.THRESHOLD and not force:
        raise ResemblesExisting(draft.name, *found[0])
    return found


def version_target(slug):
    """The article a new version is imported for, or ImportRefused saying why it cannot be."""
    previous = Article.objects.filter(slug=slug).first()
    if previous is None:
        raise ImportRefused(f"there is no article “{slug}” to make a new version of; nothing imported.")
    successor = Article.objects.filter(previous_version=previous).first()
    if successor is not None:
        raise ImportRefused(
            f"“{previous.title}” ({slug}) already has a newer version, {successor.slug}: import the page as a "
            f"new version of that one (--new-version-of {successor.slug}); nothing imported."
        )
    return previous


def as_version_of(draft, previous):
    """
    The draft as a new version of `previous`: only what the page says anew is
    suggested. A sentence the previous version already held is not suggested again
    (its claim, if it had one, carries over when the version is published, with
    its reviews), nor is a marketing hit in a paragraph the previous version held
    word for word (its flags carry over too).
    """
    old_text = previous.text
    old_lines = {" ".join(line.split()) for line in old_text.split("\n")}
    old_sentences = None  # read only if a claim's line changed: as the importer segments a text
    text = draft.text

    def line_of(start, end):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return " ".join(text[line_start : line_end if line_end != -1 else len(text)].split())

    def held(claim):
        # Not `claim.quote in old_text`: one search of the whole old text per claim is
        # quadratic on a large page; a set of the old text's lines, then of its sentences, is not.
        nonlocal old_sentences
        if line_of(claim.start, claim.end) in old_lines:
            return True
        if old_sentences is None:
            old_sentences = {
                old_text[start:end]
                for line in re.finditer(r"[^\n]+", old_text)
                for start, end in sentences(old_text, line.start(), line.end())
            }
        return claim.quote in old_sentences

    draft.claims = [claim for claim in draft.claims if not held(claim)]
    draft.marketing = [hit for hit in draft.marketing if line_of(hit.start, hit.end) not in old_lines]
    draft.previous = previous
    return draft


def save(draft, url="", publisher="", publish_by=None, retrieved_on=None, promotes_product=None):
    """
    Create the article, its suggested claims, the studies they cite and the
    marketing flags; all or nothing. The article is a draft, seen by reviewers
    alone, unless `publish_by` (a lead reviewer) publishes it in the same
    transaction (Article.publish: anyone else is refused and nothing is written).
    """
    existing = draft.existing()
    if existing:
        raise AlreadyImported(existing)
    # What the importer was told wins; else what the page states about itself; else blank.
    page = draft.page or provenance.NOTHING_STATED
    url = validate_url(url or page.canonical_url)
    publisher = publisher or page.site_name
    try:
        with transaction.atomic():
            if draft.previous is not None:
                # Locked, then checked again: two imports of a new version of one article cannot both win.
                Article.objects.select_for_update().filter(pk=draft.previous.pk).first()
                version_target(draft.previous.slug)
            article = Article.objects.create(
                previous_version=draft.previous,
                title=draft.title,
                slug=_unique_slug(draft.title),
                source_url=url,
                publisher=publisher[:200],
                source_file=PurePath(draft.name).name[:255],
                text=draft.text,
                disclaimers=[d.as_dict() for d in draft.disclaimers],
                fingerprint=resemblance.fingerprint(draft.text),
                retrieved_on=retrieved_on,
                promotes_product=promotes_product,
                author=page.author[:200],
                published_on=page.published_on,
            )
            # Bulk inserts send no signals: refreshing() derives the claims' filter facets after them.
            with facets.refreshing(article.claims.all()):
                claims = bulk_create_with_history(
                    [
                        Claim(
                            article=article,
                            quote=c.quote,
                            start=c.start,
                            end=c.end,
                            # Left for the lead who accepts it to write (never the quote copied): docs/import.md.
                            statement="",
                            topic=c.topic,
                            substance=c.substance,
                            population=c.population,
                            status=ClaimStatus.SUGGESTED,
                            # Stored with the claim rather than updated after it: one write per claim.
                            **reading_values(c.reading),
                        )
                        for c in draft.claims
                    ],
                    Claim,
                )
                _save_citations(draft, claims)
                record_flag_suggestions(article, draft.marketing)
            if publish_by is not None:
                article.publish(by=publish_by)
    except IntegrityError:
        # Another import of the same text won the race between the check above and the insert.
        existing = draft.existing()
        if existing:
            raise AlreadyImported(existing) from None
        raise
    return article


def _save_citations(draft, claims):
    """One Study per distinct citation in the article, linked to every claim that cites it."""
    studies = {}
    for suggestion in draft.claims:
        for found in suggestion.citations:
            if found.text not in studies:
                studies[found.text] = Study(citation=found.text[:500], doi=found.doi, pmid=found.pmid, year=found.year)
    if not studies:
        return
    created = bulk_create_with_history(list(studies.values()), Study)
    by_text = {study.citation: study for study in created}
    links = {
        (claim.pk, by_text[found.text[:500]].pk)
        for claim, suggestion in zip(claims, draft.claims, strict=True)
        for found in suggestion.citations
    }
    bulk_create_with_history([Citation(claim_id=c, study_id=s) for c, s in sorted(links)], Citation)
