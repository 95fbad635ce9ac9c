"""
A claim's change history, read from django-simple-history: the claim itself,
its ratings, consensus, study links and marketing flags, newest first, each
change as who, when, and field: old → new.

Blinding holds here too (claims/policy.py): another reviewer's rating
history is listed only where their rating would be (visible_ratings_q), and
the consensus history only where the consensus itself may be seen (a lead, or
a finalized claim). A rating changed after its reviewer could see another
reviewer's rating is marked as revised after discussion.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from claims import policy
from claims.models import Citation, Claim, Consensus, Extrapolation, MarketingFlag, Rating, visible_ratings_q

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str
    old: str | None  # None: the object was created
    new: str | None  # None: the object was deleted


@dataclass
class Entry:
    when: object
    who: str
    subject: str
    action: str
    changes: list = field(default_factory=list)
    note: str = ""


def _display(model_field, value):
    if value is None or value == "" or value == []:
        return "—"
    if model_field.name == "extrapolation_concerns":
        labels = dict(Extrapolation.choices)
        return ", ".join(labels.get(v, str(v)) for v in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _revised_after_discussion(record):
    seen = getattr(record, "others_seen_at", None)
    return "revised after seeing other reviewers' ratings" if seen and record.history_date >= seen else ""


def _change_reason(record):
    reason = getattr(record, "history_change_reason", None)
    return f"Reason: {reason}" if reason else ""


def _entries(records, subject, fields, actions=ACTIONS, note=_change_reason):
    """Turn one model's history rows into entries, diffing each row against the object's previous row."""
    model_fields = {}
    previous = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        if not model_fields:
            model_fields = {name: record.instance_type._meta.get_field(name) for name in fields}
        old = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "~" and old is not None:
            delta = record.diff_against(old, included_fields=fields)
            changes = [
                Change(
                    model_fields[c.field].verbose_name,
                    _display(model_fields[c.field], c.old),
                    _display(model_fields[c.field], c.new),
                )
                for c in delta.changes
            ]
            if not changes:
                continue
        else:
            # Created (or first seen), or deleted: list the values it had (old or new left None).
            changes = []
            for name, model_field in model_fields.items():
                shown = _display(model_field, getattr(record, name))
                if shown != "—":
                    pair = (None, shown) if record.history_type != "-" else (shown, None)
                    changes.append(Change(model_field.verbose_name, *pair))
        user = record.history_user
        entries.append(
            Entry(
                when=record.history_date,
                who=user.get_username() if user else "system",
                subject=subject(record),
                action=actions[record.history_type],
                changes=changes,
                note=note(record),
            )
        )
    return entries


def claim_history(claim, user, unblinded=None):
    """
    Every recorded change on `claim` that `user` may see, newest first. Five
    queries, and one more to decide the blinding rule for a reviewer unless
    `unblinded` (claim.is_unblinded_for(user)) is given.
    """
    consensus = Consensus.history.filter(claim_id=claim.pk)
    if not policy.may_see_consensus(user, claim):
        consensus = consensus.none()
    ratings = Rating.history.filter(claim_id=claim.pk).select_related("history_user", "reviewer")
    visible = visible_ratings_q(user, claim, unblinded)
    if visible is not None:
        ratings = ratings.filter(visible)
    flag_inside = Q(article_id=claim.article_id, start__gte=claim.start, end__lte=claim.end)
    entries = [
        *_entries(
            Claim.history.filter(id=claim.pk).select_related("history_user"),
            lambda r: "Claim",
            ["status", "statement", "topic", "population", "start", "end"],
        ),
        *_entries(
            ratings,
            lambda r: f"Rating by {r.reviewer.get_username() if r.reviewer else 'a deleted user'}",
            ["evidence_strength", "verdict", "extrapolation_concerns", "notes"],
            note=lambda r: _revised_after_discussion(r) if r.history_type == "~" else "",
        ),
        *_entries(
            consensus.select_related("history_user"),
            lambda r: "Consensus",
            ["evidence_strength", "verdict", "rationale"],
        ),
        *_entries(
            Citation.history.filter(claim_id=claim.pk).select_related("history_user", "study"),
            lambda r: f"Study link: {r.study.citation if r.study else 'a deleted study'}",
            [],
            actions={"+": "linked", "~": "changed", "-": "unlinked"},
        ),
        *_entries(
            MarketingFlag.history.filter(Q(claim_id=claim.pk) | flag_inside).select_related("history_user"),
            lambda r: f"Marketing flag “{r.text}”",
            ["category", "state"],
        ),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
