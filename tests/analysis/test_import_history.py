"""
What save() writes is what simple_history's bulk_create_with_history would write: the
same rows and the same history rows, whoever imports (claims/history.py copies the
history rows in the database instead).
"""

import pytest
import simple_history.utils
from django.db import transaction
from django.db.models import DateTimeField
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from analysis import importer, suggestions
from claims.models import Article, Citation, Claim, MarketingFlag, Study

pytestmark = pytest.mark.django_db

# A made-up brand's page with claims, citations (one with a DOI) and marketing hits.
PAGE = (
    "Zentora Calm and Nerves\n\n"
    "Studies show that magnesium is a miracle cure for nerve pain (Doe 2020).\n\n"
    "Magnesium reduced brain injury in rats (7).\n\n"
    "Zentora Calm cures tension headaches and supports deep sleep in adults (Roe 2019, doi:10.5555/zentora.17).\n\n"
    "Our 100% natural formula is clinically proven and works instantly.\n"
)
WRITTEN = (Article, Claim, Study, Citation, MarketingFlag)


def rows():
    """
    Every row of the written tables and their history tables, in insertion order. Ids are
    replaced by their place in that order (sequences differ between runs); the dates the
    clock sets, by whether they are set and, in a history row, whether they are its row's.
    """
    places = {
        model: {pk: n for n, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))}
        for model in WRITTEN
    }
    found = {}
    for model in WRITTEN:
        clock = [
            f.attname
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        dates = {row["pk"]: row for row in model.objects.values("pk", *clock)}
        found[model._meta.db_table] = [
            {f.attname: _comparable(f, row[f.attname], places, n) for f in model._meta.concrete_fields}
            for n, row in enumerate(model.objects.order_by("pk").values())
        ]
        history = model.history.model
        found[history._meta.db_table] = [
            {
                f.attname: row[f.attname] == dates[row["id"]][f.attname]
                if f.attname in clock
                else _comparable(f, row[f.attname], places, n, model)
                for f in history._meta.concrete_fields
            }
            for n, row in enumerate(history.objects.order_by("history_id").values())
        ]
    return found


def _comparable(field, value, places, n, recorded=None):
    if field.primary_key:
        return n
    if recorded and field.name == "id":
        return places[recorded][value]  # a history row's record of which row it is
    if field.is_relation and field.related_model in places:
        return None if value is None else places[field.related_model][value]
    if isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add or field.name == "history_date"):
        return value is not None
    return value


class RolledBack(Exception):
    pass


def written_by_simple_history(draft, monkeypatch):
    """The rows save() writes when simple_history's own bulk_create_with_history inserts them; rolled back."""
    with monkeypatch.context() as patch:
        patch.setattr(importer, "bulk_create_with_history", simple_history.utils.bulk_create_with_history)
        patch.setattr(suggestions, "bulk_create_with_history", simple_history.utils.bulk_create_with_history)
        try:
            with transaction.atomic():
                importer.save(draft, url="https://zentora.example/calm", publisher="Zentora (fictional)")
                written = rows()
                raise RolledBack
        except RolledBack:
            return written


@pytest.fixture
def as_admin_user(carol, monkeypatch):
    """An import from the admin: simple_history's middleware has the request, so history rows are carol's."""
    request = RequestFactory().post("/admin/")
    request.user = carol
    monkeypatch.setattr(HistoricalRecords.context, "request", request, raising=False)
    return carol


def test_the_fictional_page_writes_claims_studies_citations_and_flags():
    importer.save(importer.analyse("zentora.txt", PAGE.encode()))
    assert all(model.objects.exists() and model.history.exists() for model in WRITTEN)
    assert Study.objects.filter(doi="10.5555/zentora.17").exists()
    assert MarketingFlag.objects.exclude(claim=None).exists() and MarketingFlag.objects.filter(claim=None).exists()


def test_an_import_writes_the_rows_and_history_simple_history_would(monkeypatch):
    draft = importer.analyse("zentora.txt", PAGE.encode())
    expected = written_by_simple_history(draft, monkeypatch)
    importer.save(draft, url="https://zentora.example/calm", publisher="Zentora (fictional)")
    assert rows() == expected


def test_an_import_from_the_admin_writes_the_same_rows_and_history_under_its_user(monkeypatch, as_admin_user):
    draft = importer.analyse("zentora.txt", PAGE.encode())
    expected = written_by_simple_history(draft, monkeypatch)
    importer.save(draft, url="https://zentora.example/calm", publisher="Zentora (fictional)")
    assert rows() == expected
    for model in WRITTEN:
        assert set(model.history.values_list("history_user", "history_type", "history_change_reason")) == {
            (as_admin_user.pk, "+", None)
        }
