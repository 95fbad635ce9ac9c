"""
The automatic reading of a claim, as stored on it: how strongly its quote states a
relationship (analysis/language.py) and what evidence its paragraph invokes
(analysis/evidence.py), each with its cues. Written through Claim.objects.record_readings()
by the importer and by `manage.py refresh_readings`.
"""

from claims.models import READING_FIELDS, Article, Claim

from . import evidence
from .language import classify


def reading(text, start, end):
    """(wording strength, wording cues in the quote, evidence hint, evidence cues in text) of text[start:end]."""
    wording = classify(text[start:end])
    found = evidence.read(text, start, end)
    return (
        wording.strength,
        [tuple(cue) for cue in wording.cues],
        found.hint,
        [tuple(cue) for cue in found.cues],
    )


def as_json(strength, wording_cues, hint, evidence_cues):
    """A reading as the commands' --json output gives it."""
    return {
        "wording_strength": str(strength),
        "wording_cues": [{"text": t, "start": s, "end": e} for t, s, e in wording_cues],
        "evidence_hint": str(hint),
        "evidence_cues": [{"text": t, "start": s, "end": e} for t, s, e in evidence_cues],
    }


def _fresh(claims, fields, batch_articles=200):
    """
    (row of `fields`, fresh reading) for every claim of `claims`, article by article:
    each chunk of articles' texts in one query, whatever the number of claims.
    """
    article_ids = sorted(set(claims.order_by().values_list("article_id", flat=True)))
    for i in range(0, len(article_ids), batch_articles):
        chunk = article_ids[i : i + batch_articles]
        texts = dict(Article.objects.filter(pk__in=chunk).values_list("pk", "text"))
        rows = claims.filter(article_id__in=chunk).order_by("pk").values_list("article_id", "start", "end", *fields)
        for article, start, end, *row in rows:
            yield row, reading(texts[article], start, end)


def read_claims(claims, batch=2000):
    """Read `claims` (a queryset) afresh and store what changed; returns (claims read, claims changed)."""
    read = changed = 0
    pending = {}
    for (pk,), fresh in _fresh(claims, ["pk"]):
        pending[pk] = fresh
        if len(pending) == batch:
            read, changed = read + len(pending), changed + Claim.objects.record_readings(pending)
            pending = {}
    return read + len(pending), changed + (Claim.objects.record_readings(pending) if pending else 0)


def stale_claims(claims):
    """Ids of the claims in `claims` whose stored reading differs from a fresh one."""
    stale = []
    for (pk, *stored), (strength, wording_cues, hint, evidence_cues) in _fresh(claims, ["pk", *READING_FIELDS]):
        fresh = [str(strength), [list(c) for c in wording_cues], str(hint), [list(c) for c in evidence_cues]]
        if fresh != stored:
            stale.append(pk)
    return sorted(stale)
