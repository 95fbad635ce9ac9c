"""
The detector's hits recorded as suggested marketing flags, once each: an
interval check keeps re-runs from duplicating a flag or reviving a dismissed one.
"""

import bisect

from django.db import transaction

from claims.history import bulk_create_with_history
from claims.models import Claim, FlagSource, FlagState, MarketingFlag


def record_flag_suggestions(article, hits):
    """
    Record the detector's hits on an article as suggested flags, in one transaction.

    Idempotent: a hit that overlaps any flag of the same category already on
    the article (suggested, confirmed or dismissed; by a reviewer or the
    detector) is skipped, so re-running never duplicates a flag or brings a
    dismissed one back. A flag lying inside a claim's quote is attached to
    that claim. Returns the new flags. Queries: existing flags, claims,
    then the inserts (flags and their history) if anything is new.
    """
    with transaction.atomic():
        taken = {}
        for start, end, category in MarketingFlag.objects.filter(article=article).values_list(
            "start", "end", "category"
        ):
            taken.setdefault(category, []).append((start, end))
        taken = {category: _Spans(spans) for category, spans in taken.items()}
        claims = sorted(Claim.objects.filter(article=article).values_list("start", "end", "pk"))
        claim_starts = [start for start, _, _ in claims]
        longest = max((end - start for start, end, _ in claims), default=0)
        new = []
        for hit in hits:
            if hit.category in taken and taken[hit.category].overlaps(hit.start, hit.end):
                continue
            new.append(
                MarketingFlag(
                    article=article,
                    claim_id=_containing(claims, claim_starts, longest, hit.start, hit.end),
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    category=hit.category,
                    state=FlagState.SUGGESTED,
                    source=FlagSource.DETECTOR,
                    pattern_id=hit.pattern_id,
                )
            )
        return bulk_create_with_history(new, MarketingFlag) if new else []


class _Spans:
    """Spans sorted by start, answering 'does [start, end) overlap any of them?' by bisection."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end = []  # max_end[i]: the furthest end among the first i + 1 spans
        for _, e in spans:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def overlaps(self, start, end):
        i = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return i > 0 and self.max_end[i - 1] > start


def _containing(claims, claim_starts, longest, start, end):
    """The pk of a claim whose quote holds [start, end), or None; claims sorted by start."""
    for i in range(bisect.bisect_right(claim_starts, start) - 1, -1, -1):
        claim_start, claim_end, pk = claims[i]
        if claim_start < start - longest:
            break
        if end <= claim_end:
            return pk
    return None
