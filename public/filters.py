"""
The one FilterSet behind /claims/ and the CSV exports: what you export is what you see.

Every filter is a query-string parameter, so every filter state is a shareable
URL. Invalid values make the form invalid; views then show the errors and no
rows (never a 500).
"""

import re

import django_filters
from django import forms

from claims import facets, tallies
from claims.choices import EvidenceHint, Overclaim, WordingStrength
from claims.models import (
    Article,
    Claim,
    ClaimStatus,
    ClaimTopic,
    EvidenceStrength,
    MarketingCategory,
    Population,
    Study,
    StudyDesign,
    Substance,
    Verdict,
)
from mgreview.widgets import FastSelect

PUBLIC_STATUSES = [
    (ClaimStatus.FINALIZED.value, ClaimStatus.FINALIZED.label),
    (ClaimStatus.UNDER_REVIEW.value, ClaimStatus.UNDER_REVIEW.label),
]

# Allow-listed sort orders: URL value -> (label, order_by fields). Never pass a
# raw ?order= value to order_by.
ORDERINGS = {
    # Articles in the order they were added, claims in reading order: one index
    # (claim_reading_order_idx) serves it, filtered or not, at any depth. Sorting
    # by article title needed a join and a sort of every match (see docs/benchmarks.md).
    "article": ("Article, in reading order", ["article_id", "start", "id"]),
    "newest": ("Newest first", ["-id"]),
    "oldest": ("Oldest first", ["id"]),
    # Claims grouped by topic, each topic in reading order: claim_topic_order_idx holds that
    # order, so a page is the index's next rows. Ordered by topic then id, the database read
    # the whole first topic to sort it (3.6x slower at 1,000,000 claims than at 100,000 on
    # PostgreSQL; docs/benchmarks.md).
    "topic": ("Topic, in reading order", ["topic", "article_id", "start", "id"]),
}
DEFAULT_ORDERING = ORDERINGS["article"][1]
SEARCH_ORDER = "newest"
# /claims/ counts a search's matches up to this many; its pages end there (the CSV has them all).
SEARCH_COUNT_CAP = 1000
# ... and any other list's claims up to this many (Elasticsearch's default for its hit
# counts). A count reads every match it counts: 35 ms for 900,000 public claims on SQLite,
# and a filter matching a tenth of the claims read ten times as many at 1,000,000 as at
# 100,000. Capped here, a count costs the same at any size; past it the heading says
# "More than 10,000 claims" and the CSV holds every match (docs/benchmarks.md, finding 8).
LIST_COUNT_CAP = 10_000
ANY_FLAG = "any"
ANY_OVERCLAIM = "any"
Q_MAX_LENGTH = 200
# Up to this many articles the article filter is a drop-down; beyond, a text box
# for the article's slug (2,000 <option>s cost more than the rest of the page).
ARTICLE_SELECT_MAX = 100


# Characters a page cannot show: C0 and C1 control characters but tab, line feed and
# carriage return (a NUL byte, an escape), surrogates, and the Unicode noncharacters.
# HTML forbids them in a document, so they are never echoed back in a search box or
# an error message: a value holding one is a form error, and is shown without them.
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
UNPRINTABLE_MESSAGE = "This contains a character that cannot be shown (such as a null byte); type it again."


def printable_data(data):
    """(data without unprintable characters, the names whose values held one); data may be None (no form)."""
    if data is None:
        return None, frozenset()
    cleaned, names = data.copy(), set()
    if hasattr(data, "lists"):  # a QueryDict
        for name, values in data.lists():
            printable = [UNPRINTABLE.sub("", value) for value in values]
            if printable != values:
                names.add(name)
                cleaned.setlist(name, printable)
    else:  # a plain dict, as tests and the admin's actions pass
        for name, value in data.items():
            if isinstance(value, str) and UNPRINTABLE.search(value):
                names.add(name)
                cleaned[name] = UNPRINTABLE.sub("", value)
    return cleaned, frozenset(names)


class PrintableFilterForm(forms.Form):
    """A filter form that reports the fields whose submitted value held an unprintable character."""

    unprintable = frozenset()

    def clean(self):
        for name in sorted(self.unprintable & self.fields.keys()):
            self.add_error(name, UNPRINTABLE_MESSAGE)
        return super().clean()


class PrintableFilterSet(django_filters.FilterSet):
    """
    A FilterSet whose form never echoes an unprintable character: they are taken
    out of the data before the form sees it (its values and error messages show
    what was typed without them), and each field that held one gets an error.
    """

    def __init__(self, data=None, *args, **kwargs):
        data, self.unprintable = printable_data(data)
        super().__init__(data, *args, **kwargs)

    @property
    def form(self):
        form = super().form
        form.unprintable = self.unprintable
        return form


class ArticleWidget(forms.Select):
    """
    A drop-down of the articles while there are few, a text box for the slug
    beyond ARTICLE_SELECT_MAX (links from article pages fill it in). The one
    query for the choices runs when the form is rendered, not when a filter is
    only validated (the CSV export).
    """

    def render(self, name, value, attrs=None, renderer=None):
        options = list(
            Article.objects.public().order_by("title", "id").values_list("slug", "title")[: ARTICLE_SELECT_MAX + 1]
        )
        if len(options) > ARTICLE_SELECT_MAX:
            widget = forms.TextInput(attrs={**self.attrs, "placeholder": "The article's slug, as in its address"})
        else:
            widget = FastSelect(attrs=self.attrs, choices=[("", "Any article"), *options])
        return widget.render(name, value, attrs, renderer)


class ClaimFilter(PrintableFilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in quote, statement or citation"}),
    )
    article = django_filters.ModelChoiceFilter(
        label="Article",
        queryset=Article.objects.public().only("id", "slug", "title"),
        to_field_name="slug",
        empty_label="Any article",
        widget=ArticleWidget,
    )
    # The topics table (ClaimTopic, cached): leads edit it; the value is the slug.
    topic = django_filters.ChoiceFilter(choices=ClaimTopic.choices, empty_label="Any topic", widget=FastSelect)
    # A substance's slug; its forms' claims too (?substance=magnesium takes magnesium glycinate's).
    substance = django_filters.ModelChoiceFilter(
        label="Substance",
        queryset=Substance.objects.only("id", "slug", "name"),
        to_field_name="slug",
        empty_label="Any substance",
        method="filter_substance",
        widget=FastSelect,
    )
    strength = django_filters.ChoiceFilter(
        label="Evidence strength",
        choices=EvidenceStrength.choices,
        empty_label="Any strength",
        method="filter_consensus",
        widget=FastSelect,
    )
    verdict = django_filters.ChoiceFilter(
        label="Verdict",
        choices=Verdict.choices,
        empty_label="Any verdict",
        method="filter_consensus",
        widget=FastSelect,
    )
    flag = django_filters.ChoiceFilter(
        label="Marketing flag",
        choices=[(ANY_FLAG, "Any marketing flag"), *MarketingCategory.choices],
        empty_label="Any or none",
        method="filter_flag",
        widget=FastSelect,
    )
    design = django_filters.ChoiceFilter(
        label="Study design",
        choices=StudyDesign.choices,
        empty_label="Any design",
        method="filter_design",
        widget=FastSelect,
    )
    population = django_filters.ChoiceFilter(
        choices=Population.choices, empty_label="Any population", widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label="Review status", choices=PUBLIC_STATUSES, empty_label="Any status", widget=FastSelect
    )
    # A ChoiceFilter rather than a BooleanFilter so that ?linked=maybe is a form
    # error instead of being silently ignored.
    linked = django_filters.ChoiceFilter(
        label="Linked to original study",
        choices=[("true", "Yes"), ("false", "No")],
        empty_label="Either",
        method="filter_linked",
        widget=FastSelect,
    )
    # The automatic reading (analysis/readings.py), stored on the claim.
    wording = django_filters.ChoiceFilter(
        label="Wording (automatic)",
        field_name="wording_strength",
        choices=WordingStrength.choices,
        empty_label="Any wording",
        widget=FastSelect,
    )
    evidence = django_filters.ChoiceFilter(
        label="Evidence the article mentions (automatic)",
        field_name="evidence_hint",
        choices=EvidenceHint.choices,
        empty_label="Any",
        widget=FastSelect,
    )
    overclaim = django_filters.ChoiceFilter(
        label="Strong words, weak evidence",
        choices=[(ANY_OVERCLAIM, "Overclaims (reviewed or automatic)"), *Overclaim.choices],
        empty_label="Either",
        method="filter_overclaim",
        widget=FastSelect,
    )
    # The claims a lead confirmed make one assertion (AssertionGroup); the public
    # claim page links here. Not a drop-down: there is one group per assertion.
    assertion = django_filters.NumberFilter(
        label="Same assertion as (group number)",
        field_name="assertion_group",
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    order = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in ORDERINGS.items()],
        empty_label=None,
        method="filter_order",
        widget=FastSelect,
    )

    class Meta:
        model = Claim
        form = PrintableFilterForm
        fields = [
            "q",
            "article",
            "topic",
            "substance",
            "strength",
            "verdict",
            "flag",
            "design",
            "population",
            "status",
            "linked",
            "wording",
            "evidence",
            "overclaim",
            "assertion",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_substance(self, queryset, name, value):
        return queryset.about(value)

    # The filters on related rows read the claim's own facet columns
    # (claims/facets.py): an index range in reading order, like topic.

    def filter_consensus(self, queryset, name, value):
        # The consensus of finalized claims only (a reopened claim keeps its row): the blinding rule.
        column = {"strength": "finalized_strength", "verdict": "finalized_verdict"}[name]
        return queryset.filter(**{column: value})

    def filter_flag(self, queryset, name, value):
        # Confirmed flags linked to the claim or overlapping its quote.
        return queryset.filter(facets.has_flag(None if value == ANY_FLAG else value))

    def filter_design(self, queryset, name, value):
        return queryset.filter(facets.has_design(value))

    def kept_count(self):
        """
        The number of public claims that match, when the site's sums keep it (else None):
        a list filtered on a flag or a study design alone. Those filters test a bit of
        each claim's facet, which no index range holds, so counting them read an index
        entry per public claim (docs/benchmarks.md); claims/tallies.py keeps the count.
        """
        if not self.is_valid():
            return None
        chosen = {name: value for name, value in self.form.cleaned_data.items() if value and name != "order"}
        if chosen.keys() == {"flag"}:
            value = chosen["flag"]
            return tallies.site_count(f"fb|{value}" if value == ANY_FLAG else f"fb|{facets.FLAG_BITS[value]}")
        if chosen.keys() == {"design"}:
            return tallies.site_count(f"db|{facets.DESIGN_BITS[chosen['design']]}")
        return None

    def filter_overclaim(self, queryset, name, value):
        # The overclaim facet (claims/facets.py): the published review's reading, or the automatic one before it.
        if value == ANY_OVERCLAIM:
            return queryset.overclaiming()
        return queryset.filter(overclaim=value)

    def filter_linked(self, queryset, name, value):
        return queryset.filter(linked=value == "true")

    def __init__(self, data=None, *args, **kwargs):
        data, unprintable = printable_data(data)
        # A search lists the newest matches first unless another order is asked for:
        # the index gives them in that order, where reading order would sort every match.
        if data is not None and data.get("q") and not data.get("order"):
            data = data.copy()
            data["order"] = SEARCH_ORDER
        super().__init__(data, *args, **kwargs)
        self.unprintable = unprintable

    def filter_order(self, queryset, name, value):
        if value == "newest" and self.form.cleaned_data.get("q"):
            return queryset.newest_matches_first()
        return queryset.order_by(*ORDERINGS[value][1])

    def filter_queryset(self, queryset):
        # Reading order unless ?order= names another allow-listed order.
        return super().filter_queryset(queryset.order_by(*DEFAULT_ORDERING))


# --------------------------------------------------------------------------
# /studies/: the cited studies a public claim cites


class StudyFilter(PrintableFilterSet):
    design = django_filters.ChoiceFilter(
        label="Study design",
        choices=StudyDesign.choices,
        empty_label="Any design",
        widget=FastSelect,
    )
    identified = django_filters.ChoiceFilter(
        label="Identified (DOI, PubMed or link)",
        choices=[("true", "Yes"), ("false", "No")],
        empty_label="Either",
        method="filter_identified",
        widget=FastSelect,
    )

    class Meta:
        model = Study
        form = PrintableFilterForm
        fields = ["design", "identified"]

    def filter_identified(self, queryset, name, value):
        return queryset.identified(value == "true")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("citation", "id")
