"""
The one FilterSet behind /claims/ and the CSV exports: what you export is what you see.

Every filter is a query-string parameter, so every filter state is a shareable
URL. Invalid values make the form invalid; views then show the errors and no
rows (never a 500).
"""

from html import escape as html_escape

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims import facets
from claims.models import (
    Article,
    Claim,
    ClaimStatus,
    EvidenceStrength,
    MarketingCategory,
    Population,
    StudyDesign,
    Topic,
    Verdict,
)

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
    "topic": ("Topic", ["topic", "id"]),
}
DEFAULT_ORDERING = ORDERINGS["article"][1]
SEARCH_ORDER = "newest"
# /claims/ counts a search's matches up to this many; its pages end there (the CSV has them all).
SEARCH_COUNT_CAP = 1000
ANY_FLAG = "any"
Q_MAX_LENGTH = 200
# Up to this many articles the article filter is a drop-down; beyond, a text box
# for the article's slug (2,000 <option>s cost more than the rest of the page).
ARTICLE_SELECT_MAX = 100


class FastSelect(forms.Select):
    """
    A <select> rendered in Python rather than through a template include per
    <option>: the filter form's ~80 options were a quarter of /claims/'s CPU
    time at 100k claims. The same markup as forms.Select (tested), escaped the
    same way: flatatt, and html.escape, which django.utils.html.escape wraps
    (called directly, as the options are most of the form's time).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                html.append(f'<optgroup label="{escape(group_name)}">')
            for option in options:
                # flatatt() only for a selected option: it was half the time of a <select>.
                attrs = flatatt(option["attrs"]) if option["attrs"] else ""
                value, label = html_escape(str(option["value"])), html_escape(str(option["label"]))
                html.append(f'<option value="{value}"{attrs}>{label}</option>')
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped


class ArticleWidget(forms.Select):
    """
    A drop-down of the articles while there are few, a text box for the slug
    beyond ARTICLE_SELECT_MAX (links from article pages fill it in). The one
    query for the choices runs when the form is rendered, not when a filter is
    only validated (the CSV export).
    """

    def render(self, name, value, attrs=None, renderer=None):
        options = list(Article.objects.order_by("title", "id").values_list("slug", "title")[: ARTICLE_SELECT_MAX + 1])
        if len(options) > ARTICLE_SELECT_MAX:
            widget = forms.TextInput(attrs={**self.attrs, "placeholder": "The article's slug, as in its address"})
        else:
            widget = FastSelect(attrs=self.attrs, choices=[("", "Any article"), *options])
        return widget.render(name, value, attrs, renderer)


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in quote, statement or citation"}),
    )
    article = django_filters.ModelChoiceFilter(
        label="Article",
        queryset=Article.objects.only("id", "slug", "title"),
        to_field_name="slug",
        empty_label="Any article",
        widget=ArticleWidget,
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, empty_label="Any topic", widget=FastSelect)
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
    order = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in ORDERINGS.items()],
        empty_label=None,
        method="filter_order",
        widget=FastSelect,
    )

    class Meta:
        model = Claim
        fields = ["q", "article", "topic", "strength", "verdict", "flag", "design", "population", "status", "linked"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

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

    def filter_linked(self, queryset, name, value):
        return queryset.filter(linked=value == "true")

    def __init__(self, data=None, *args, **kwargs):
        # A search lists the newest matches first unless another order is asked for:
        # the index gives them in that order, where reading order would sort every match.
        if data is not None and data.get("q") and not data.get("order"):
            data = data.copy()
            data["order"] = SEARCH_ORDER
        super().__init__(data, *args, **kwargs)

    def filter_order(self, queryset, name, value):
        if value == "newest" and self.form.cleaned_data.get("q"):
            return queryset.newest_matches_first()
        return queryset.order_by(*ORDERINGS[value][1])

    def filter_queryset(self, queryset):
        # Reading order unless ?order= names another allow-listed order.
        return super().filter_queryset(queryset.order_by(*DEFAULT_ORDERING))
