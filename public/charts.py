"""
Horizontal bar charts as plain data for server-rendered SVG (templates/public/partials/bar_chart.html).

Every chart is a list of rows; each row is one bar made of one or more segments
(a stacked bar when split by evidence strength). Geometry is computed here, in
SVG user units, and formatted as strings so that localisation never touches it.
Each chart also carries the same figures as a table: the text alternative.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from claims.choices import WordingStrength
from claims.models import UNDER_REVIEW_KEY, ClaimTopic, EvidenceStrength

# Strongest first, then the grey 'under review' bucket.
STRENGTH_KEYS = [(s.value, s.label) for s in EvidenceStrength.strongest_first()] + [(UNDER_REVIEW_KEY, "Under review")]

# viewBox width: about a phone's column (328 px at 360 px), so labels keep their size there.
WIDTH = 320
ROW_HEIGHT = 40
BAR_HEIGHT = 14
LABEL_CHARS = 44  # what fits the width at the labels' 14px
MAX_BAR = WIDTH - 48  # room for the total after the longest bar
MAX_GROUPS = 20


@dataclass
class Segment:
    key: str
    label: str
    value: int
    x: str = "0"
    width: str = "0"


@dataclass
class Row:
    label: str
    segments: list
    url: str = ""
    total: int = 0
    short_label: str = ""
    y_label: str = "0"
    y_bar: str = "0"
    y_total: str = "0"
    x_total: str = "0"


@dataclass
class Chart:
    title: str
    rows: list
    keys: list = field(default_factory=list)  # [(key, label)] of stacked segments, for legend and table
    note: str = ""
    height: str = "0"
    width: int = WIDTH
    # False when the bars are shares, whose sum means nothing.
    summable: bool = True

    @property
    def stacked(self):
        return bool(self.keys)

    @property
    def total(self):
        return sum(row.total for row in self.rows)


def _fmt(number):
    return f"{number:.1f}".removesuffix(".0")


def _layout(chart):
    for row in chart.rows:
        row.total = sum(s.value for s in row.segments)
    biggest = max((row.total for row in chart.rows), default=0) or 1
    for i, row in enumerate(chart.rows):
        top = i * ROW_HEIGHT
        row.short_label = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        row.y_label = _fmt(top + 14)
        row.y_bar = _fmt(top + 20)
        row.y_total = _fmt(top + 20 + BAR_HEIGHT - 2)
        x = 0.0
        for segment in row.segments:
            width = segment.value / biggest * MAX_BAR
            segment.x, segment.width = _fmt(x), _fmt(width)
            x += width
        row.x_total = _fmt(x + 4)
    chart.height = _fmt(max(len(chart.rows), 1) * ROW_HEIGHT + 4)
    return chart


def bar_chart(title, bars, note=""):
    """One bar per (label, value, css key)."""
    rows = [Row(label=label, segments=[Segment(key, label, value)]) for label, value, key in bars]
    return _layout(Chart(title=title, rows=rows, note=note))


def _stacked_row(label, counts, url=""):
    segments = [Segment(key, key_label, counts.get(key, 0)) for key, key_label in STRENGTH_KEYS]
    return Row(label=label, url=url, segments=segments, total=sum(counts.values()))


def strength_overall(counts):
    """One bar per shown strength; counts: {strength key: claims}."""
    bars = [(label, counts.get(key, 0), key) for key, label in STRENGTH_KEYS]
    return bar_chart("Evidence strength of all public claims", bars)


def strength_by(groups, title="", total=None):
    """
    A stacked bar per group (article or topic), split by evidence strength, the
    MAX_GROUPS with the most claims. groups: [(label, {strength key: claims}, url)];
    total: how many groups there are, when `groups` holds only the largest.
    """
    ranked = sorted(groups, key=lambda group: (-sum(group[1].values()), group[0]))
    total = len(ranked) if total is None else total
    note = f"The {MAX_GROUPS} with the most claims, of {total}." if total > MAX_GROUPS else ""
    # Links only for the bars drawn: at 2,000 articles, one reverse() per row was most of the page's time.
    chart_rows = [
        _stacked_row(label, by_strength, url() if url else "") for label, by_strength, url in ranked[:MAX_GROUPS]
    ]
    return _layout(Chart(title=title, rows=chart_rows, keys=STRENGTH_KEYS, note=note))


def strength_by_article(articles, total):
    """
    articles: [(title, slug, {strength key: claims})] of the articles with the most public
    claims (claims.tallies.Figures); total: how many articles have public claims.
    """
    groups = [
        (title, by_strength, lambda slug=slug: reverse("article_detail", args=[slug]))
        for title, slug, by_strength in articles
    ]
    return strength_by(groups, title="Evidence strength by article", total=total)


def strength_by_topic(by_topic):
    """by_topic: {topic: {strength key: claims}}."""
    topics = ClaimTopic.lookup()
    groups = [(topics.get(topic, topic), by_strength, None) for topic, by_strength in by_topic.items()]
    return strength_by(groups, title="Evidence strength by topic")


def strength_by_wording(by_wording):
    """
    A stacked bar per wording strength (strongest wording first), split by evidence strength:
    how much of the confidently worded claims stand on weak evidence. by_wording:
    {wording strength: {strength key: claims}}; claims not read yet are left out.
    """
    levels = reversed(WordingStrength.choices)
    chart_rows = [_stacked_row(f"{label} wording", by_wording[key]) for key, label in levels if key in by_wording]
    return _layout(
        Chart(title="Evidence strength by how strongly claims are worded", rows=chart_rows, keys=STRENGTH_KEYS)
    )


def overclaims_by_article(articles, total):
    """
    One bar per article: the share of its public claims whose wording outruns the evidence
    (reviewed or automatic), highest first. articles: [(title, slug, claims, overclaims)],
    highest share first (claims.tallies.Figures); total: how many articles have public claims.
    """
    bars = [
        (f"{title} ({overclaims} of {n})", round(100 * overclaims / n), "flag")
        for title, _, n, overclaims in articles[:MAX_GROUPS]
    ]
    note = f"The {MAX_GROUPS} highest, of {total}." if total > MAX_GROUPS else ""
    chart = bar_chart("Share of each article's claims that overclaim (%)", bars, note=note)
    chart.summable = False
    for chart_row, (_, slug, _, _) in zip(chart.rows, articles, strict=False):
        chart_row.url = reverse("article_detail", args=[slug])
    return chart
