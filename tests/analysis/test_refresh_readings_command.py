"""manage.py refresh_readings: read every claim afresh, store what changed; --check changes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("refresh_readings", *args, stdout=out)
    return out.getvalue()


def test_it_reads_every_claim_and_stores_wording_and_evidence():
    article = f.make_article("Zorbium cures nerve pain. In one study, rats healed.")
    claim = f.make_claim(article, "Zorbium cures nerve pain.")
    assert json.loads(run("--json")) == {"read": 1, "changed": 1}
    claim.refresh_from_db()
    assert claim.wording_strength == "direct_causal"
    assert claim.wording_cues == [["cures", 8, 13]]
    assert claim.evidence_hint == "animal"
    assert claim.overclaim == "automatic"
    assert json.loads(run("--json")) == {"read": 1, "changed": 0}


def test_check_reports_stale_readings_and_changes_nothing():
    claim = f.make_claim()
    with pytest.raises(SystemExit) as exit_:
        run("--check", "--json")
    assert exit_.value.code == 1
    assert Claim.objects.get(pk=claim.pk).wording_strength == ""
    run()
    assert json.loads(run("--check", "--json")) == {"stale": []}


def test_an_unknown_article_is_refused_with_status_2():
    with pytest.raises(CommandError) as error:
        run("--article", "no-such-article")
    assert error.value.returncode == 2
    assert "no-such-article" in str(error.value)
