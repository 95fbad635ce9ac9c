"""The review queue's filters: article and topic, as query-string parameters."""

import django_filters

from claims.models import Article, Claim, ClaimTopic
from mgreview.widgets import FastSelect


class ReviewQueueFilter(django_filters.FilterSet):
    article = django_filters.ModelChoiceFilter(
        label="Article",
        queryset=Article.objects.only("id", "slug", "title"),
        to_field_name="slug",
        empty_label="Any article",
        widget=FastSelect,
    )
    topic = django_filters.ChoiceFilter(choices=ClaimTopic.choices, empty_label="Any topic", widget=FastSelect)

    class Meta:
        model = Claim
        fields = ["article", "topic"]
