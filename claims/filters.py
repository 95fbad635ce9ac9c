"""
The one FilterSet behind /claims/ and the CSV exports: what you export is what you see.

Every filter is a query-string parameter, so every filter state is a shareable
URL. Invalid values make the form invalid; views then show the errors and no
rows (never a 500).
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from .models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    EvidenceStrength,
    MarketingCategory,
    MarketingFlag,
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
    "article": ("Article, in reading order", ["article__title", "article_id", "start", "id"]),
    "newest": ("Newest first", ["-id"]),
    "oldest": ("Oldest first", ["id"]),
    "topic": ("Topic", ["topic", "id"]),
}
DEFAULT_ORDERING = ORDERINGS["article"][1]
ANY_FLAG = "any"
Q_MAX_LENGTH = 200


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
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, empty_label="Any topic")
    strength = django_filters.ChoiceFilter(
        label="Evidence strength",
        field_name="consensus__evidence_strength",
        choices=EvidenceStrength.choices,
        empty_label="Any strength",
        method="filter_consensus",
    )
    verdict = django_filters.ChoiceFilter(
        label="Verdict",
        field_name="consensus__verdict",
        choices=Verdict.choices,
        empty_label="Any verdict",
        method="filter_consensus",
    )
    flag = django_filters.ChoiceFilter(
        label="Marketing flag",
        choices=[(ANY_FLAG, "Any marketing flag"), *MarketingCategory.choices],
        empty_label="Any or none",
        method="filter_flag",
    )
    design = django_filters.ChoiceFilter(
        label="Study design", choices=StudyDesign.choices, empty_label="Any design", method="filter_design"
    )
    population = django_filters.ChoiceFilter(choices=Population.choices, empty_label="Any population")
    status = django_filters.ChoiceFilter(label="Review status", choices=PUBLIC_STATUSES, empty_label="Any status")
    # A ChoiceFilter rather than a BooleanFilter so that ?linked=maybe is a form
    # error instead of being silently ignored.
    linked = django_filters.ChoiceFilter(
        label="Linked to original study",
        choices=[("true", "Yes"), ("false", "No")],
        empty_label="Either",
        method="filter_linked",
    )
    order = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in ORDERINGS.items()],
        empty_label=None,
        method="filter_order",
    )

    class Meta:
        model = Claim
        fields = ["q", "article", "topic", "strength", "verdict", "flag", "design", "population", "status", "linked"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_consensus(self, queryset, name, value):
        # A consensus counts only once the claim is finalized (a reopened claim keeps its row).
        return queryset.filter(**{name: value, "status": ClaimStatus.FINALIZED})

    def filter_flag(self, queryset, name, value):
        # Confirmed flags linked to the claim or overlapping its quote.
        flags = MarketingFlag.objects.confirmed().touching_outer_claim()
        if value != ANY_FLAG:
            flags = flags.filter(category=value)
        return queryset.filter(Exists(flags))

    def filter_design(self, queryset, name, value):
        return queryset.filter(Exists(Citation.objects.filter(claim=OuterRef("pk"), study__design=value)))

    def filter_linked(self, queryset, name, value):
        linked = Citation.objects.filter(claim=OuterRef("pk")).exclude(study__doi="", study__pmid="", study__url="")
        return queryset.filter(Exists(linked)) if value == "true" else queryset.exclude(Exists(linked))

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value][1])

    def filter_queryset(self, queryset):
        # Reading order unless ?order= names another allow-listed order.
        return super().filter_queryset(queryset.order_by(*DEFAULT_ORDERING))
