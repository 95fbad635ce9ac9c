"""Small helpers that build test data in the test itself (no large JSON fixtures)."""

import importlib
import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

from claims.models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    Consensus,
    MarketingFlag,
    Rating,
    Study,
)
from claims.policy import LEAD_REVIEWERS_GROUP, REVIEWERS_GROUP

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def ensure_roles():
    """The Reviewers and Lead reviewers groups as migration 0002 makes them (a flushed test database has none)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    roles = importlib.import_module("claims.migrations.0002_roles")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="claims")}
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.set([perms[c] for c in roles.REVIEWER_PERMS])
    leads, _ = Group.objects.get_or_create(name=LEAD_REVIEWERS_GROUP)
    leads.permissions.set([perms[c] for c in roles.REVIEWER_PERMS + roles.LEAD_EXTRA_PERMS])


def ensure_vocabularies():
    """The substances and topics as migration 0025 seeds them (a flushed test database has none)."""
    from django.apps import apps

    from claims.models import topics_changed

    importlib.import_module("claims.migrations.0025_substances_seed").seed(apps, None)
    topics_changed()


def make_user(username, group=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(_role(group))
    return user


def _role(name):
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist:
        # A transactional test (the browser tests) flushed the database and, depending on the
        # order pytest-django runs tests in, its serialized groups may not be back yet.
        ensure_roles()
        return Group.objects.get(name=name)


def make_reviewer(username):
    return make_user(username, REVIEWERS_GROUP)


def make_lead(username):
    return make_user(username, LEAD_REVIEWERS_GROUP)


def make_article(text=None, **fields):
    n = next(_seq)
    text = text if text is not None else f"Article {n}. Magnesium cures everything. It is natural and safe."
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    # Published unless a test asks for a draft (published_at=None), as the corpus is.
    fields.setdefault("published_at", timezone.now())
    return Article.objects.create(text=text, **fields)


def make_claim(article=None, quote=None, **fields):
    """A claim on `quote` (default: a sentence of the article), with offsets found in the text."""
    article = article or make_article()
    quote = quote or "Magnesium cures everything."
    start = article.text.index(quote)
    fields.setdefault("statement", f"Claim: {quote[:50]}")
    return Claim.objects.create(article=article, quote=quote, start=start, end=start + len(quote), **fields)


def make_study(citation="(Shin 2020)", **fields):
    return Study.objects.create(citation=citation, **fields)


def cite(claim, study):
    return Citation.objects.create(claim=claim, study=study)


def make_rating(claim, reviewer, evidence_strength="low", verdict="partially", **fields):
    return Rating.objects.create(
        claim=claim, reviewer=reviewer, evidence_strength=evidence_strength, verdict=verdict, **fields
    )


def finalize(claim, decided_by, evidence_strength="very_low", verdict="does_not_support", rationale="Rats only."):
    consensus = Consensus.objects.create(
        claim=claim, evidence_strength=evidence_strength, verdict=verdict, rationale=rationale, decided_by=decided_by
    )
    claim.status = ClaimStatus.FINALIZED
    claim.save(update_fields=["status", "updated_at"])
    return consensus


def make_flag(article, text, category="hype", **fields):
    start = article.text.index(text)
    return MarketingFlag.objects.create(
        article=article, start=start, end=start + len(text), text=text, category=category, **fields
    )
