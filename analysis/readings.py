"""
The automatic reading of a claim, as stored on it: how strongly its quote states a
relationship (analysis/language.py) and what evidence its paragraph invokes
(analysis/evidence.py), each with its cues. Written through Claim.objects.record_readings()
by the importer and by `manage.py refresh_readings`.
"""

from claims.models import Article, Claim

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


def read_claims(claims, batch_articles=200):
    """
    Read `claims` (a queryset) afresh and store what changed; returns (claims read, claims changed).
    Article by article, each article's text loaded once.
    """
    article_ids = list(claims.order_by().values_list("article_id", flat=True).distinct())
    read = changed = 0
    for i in range(0, len(article_ids), batch_articles):
        chunk = article_ids[i : i + batch_articles]
        texts = dict(Article.objects.filter(pk__in=chunk).values_list("pk", "text"))
        rows = claims.filter(article_id__in=chunk).values_list("pk", "article_id", "start", "end")
        readings = {pk: reading(texts[article], start, end) for pk, article, start, end in rows}
        read += len(readings)
        changed += Claim.objects.record_readings(readings)
    return read, changed


def stale_claims(claims):
    """Ids of the claims in `claims` whose stored reading differs from a fresh one."""
    stale = []
    fields = ("pk", "article_id", "start", "end", "wording_strength", "wording_cues", "evidence_hint", "evidence_cues")
    texts = {}
    for pk, article, start, end, *stored in claims.order_by("pk").values_list(*fields):
        if article not in texts:
            texts[article] = Article.objects.values_list("text", flat=True).get(pk=article)
        strength, wording_cues, hint, evidence_cues = reading(texts[article], start, end)
        fresh = [str(strength), [list(c) for c in wording_cues], str(hint), [list(c) for c in evidence_cues]]
        if fresh != stored:
            stale.append(pk)
    return stale
