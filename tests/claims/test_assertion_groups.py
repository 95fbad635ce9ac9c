"""The hand grouping of corpus claims into shared assertions is well-formed test data."""

import json
from collections import Counter
from pathlib import Path

from django.conf import settings

CURATION = Path(settings.BASE_DIR) / "fixtures" / "curation"


def _claims():
    return json.loads((CURATION / "claims.json").read_text(encoding="utf-8"))


def _groups():
    return json.loads((CURATION / "assertions" / "groups.json").read_text(encoding="utf-8"))


def _members():
    return [(c["file"], c["quote"]) for group in _groups()["groups"] for c in group["claims"]]


def test_grouping_is_marked_as_hand_made_with_criteria():
    data = _groups()
    assert data["annotator"] == "hand"
    assert data["criteria"].strip()


def test_every_grouped_claim_exists_in_the_corpus():
    known = {(c["file"], c["quote"]) for c in _claims()}
    missing = [member for member in _members() if member not in known]
    assert missing == []


def test_every_quote_is_in_its_article():
    for file, quote in _members():
        assert quote in (Path(settings.BASE_DIR) / "fixtures" / "articles" / file).read_text(encoding="utf-8")


def test_no_claim_is_in_two_groups():
    repeated = [member for member, count in Counter(_members()).items() if count > 1]
    assert repeated == []


def test_every_group_has_at_least_two_claims_and_an_assertion():
    for group in _groups()["groups"]:
        assert len(group["claims"]) >= 2, group["assertion"]
        assert group["assertion"].strip()
