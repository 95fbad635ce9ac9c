"""`manage.py detect_marketing`: records suggestions, reports them, refuses unknown slugs."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import FlagState, MarketingFlag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("detect_marketing", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def article(db):
    return make_article("This miracle cure treats neuropathic pain. Studies show it.", slug="miracle")


def test_json_lists_every_hit_and_nothing_else_on_stdout(article):
    out, err = run("miracle", "--json")
    found = json.loads(out)
    assert found == [
        {"article": "miracle", "start": s, "end": e, "text": article.text[s:e], "category": c}
        for s, e, c in MarketingFlag.objects.order_by("start", "category").values_list("start", "end", "category")
    ]
    assert {f["category"] for f in found} == {"hype", "disease-claim", "vague-authority"}
    assert all(set(f) == {"article", "start", "end", "text", "category"} for f in found)
    assert "miracle: 3 hit(s), 3 new suggestion(s)" in err


def test_rerunning_records_nothing_new_and_keeps_dismissals(article):
    run("miracle")
    MarketingFlag.objects.filter(category="hype").update(state=FlagState.DISMISSED)
    out, _ = run("miracle")
    assert "3 hit(s), 0 new suggestion(s)" in out
    assert MarketingFlag.objects.count() == 3
    assert MarketingFlag.objects.get(category="hype").state == FlagState.DISMISSED


def test_all_scans_every_article(article):
    make_article("Nothing to see here.", slug="plain")
    out, _ = run("--all")
    assert "miracle: 3 hit(s)" in out and "plain: 0 hit(s)" in out


def test_an_unknown_slug_is_an_error_and_nothing_is_written(article):
    with pytest.raises(CommandError, match="no-such-article"):
        run("miracle", "no-such-article")
    assert MarketingFlag.objects.count() == 0


@pytest.mark.parametrize("args", [(), ("miracle", "--all")])
def test_it_needs_slugs_or_all_but_not_both(article, args):
    with pytest.raises(CommandError):
        run(*args)
