"""claims.history: one "created" history row per row, in order, however many rows; the collector paused meanwhile."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.history import bulk_create_with_history, collector_paused
from claims.models import MarketingFlag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def flags(article, n):
    return [MarketingFlag(article=article, start=i, end=i + 1, text="x", category="hype") for i in range(n)]


def test_each_row_gets_one_created_history_row_in_pk_order():
    created = bulk_create_with_history(flags(make_article(), 5), MarketingFlag)
    history = MarketingFlag.history.order_by("history_id").values_list("id", "start", "history_type")
    assert list(history) == [(flag.pk, flag.start, "+") for flag in created]


def test_more_rows_than_one_query_may_name_are_copied_in_several_queries(monkeypatch):
    # The article first, under the real limit: creating it refreshes its /stats/ tally.
    article = make_article()
    # Four shared values and three pks per query: ten rows take four copies.
    # A property on SQLite, a cached property on PostgreSQL: set on the class, the cached value dropped.
    monkeypatch.setattr(type(connection.features), "max_query_params", 7)
    monkeypatch.delitem(vars(connection.features), "max_query_params", raising=False)
    with CaptureQueriesContext(connection) as queries:
        created = bulk_create_with_history(flags(article, 10), MarketingFlag)
    copies = [q for q in queries if q["sql"].startswith('INSERT INTO "claims_historicalmarketingflag"')]
    assert len(copies) == 4
    history = MarketingFlag.history.order_by("history_id").values_list("id", flat=True)
    assert list(history) == [flag.pk for flag in created]


def test_the_collector_is_paused_for_the_insert_and_runs_again_after_it_even_on_error():
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
