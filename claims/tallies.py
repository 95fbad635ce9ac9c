"""
The public statistics page's figures, kept on each article as tallies.

/stats/ shows evidence strength overall, by article, by topic and by wording,
the share of each article's claims that overclaim, confirmed marketing flags by
category, and reviewer agreement. Computed from the claims, flags and ratings at
request time, it read every public rating and grouped every public claim: 2 s at
100,000 claims, ten times that at 1,000,000 (docs/benchmarks.md). Every figure
on it adds up over articles, so each article keeps its own (``Article.stats_tally``)
and the site keeps their sum over the published articles.

An article's tally counts, whether or not the article is published (the page
adds up published articles only, policy.published_articles_q):

- ``s|<topic>|<wording>|<strength>``: reviewable claims (policy.reviewable_claims_q)
  by topic, automatic wording reading and shown strength: the consensus
  strength once finalized (the claim's ``finalized_strength`` facet), else
  UNDER_REVIEW_KEY;
- ``o``: those of them that overclaim (the ``overclaim`` facet);
- ``fin``: those of them that are finalized; ``sub|<substance id>``: those about
  each substance (the home page's figures);
- ``fb|<bit>``, ``fb|any`` and ``db|<bit>``: those of them whose ``flag_bits`` or
  ``design_bits`` facet has that bit (any bit) set: /claims/?flag= and ?design= read
  their counts here (site_count());
- ``f|<category>``: confirmed marketing flags by category;
- agreement.tally()'s keys over the independent ratings of its finalized claims.

It is derived data, like the claims' facets (claims/facets.py), and refreshed with
them: ``facets.refresh_articles()`` is ``refresh()``, so every write to an article's
claims or flags refreshes its tally in the same transaction; a rating written to a
finalized claim refreshes its article too (facets.connect). Four of its figures are
also kept as columns, for the /stats/ rankings' indexes (``_columns()``).
An article with claims or flags cannot be deleted (they protect it); deleting one
without takes its share out of the sums (forget()).

The site's sums are rows of ``StatsTallyRow`` added by each refresh for what changed
in the published articles' tallies (an article counts while published, as ``articles``
and its tally: creating it published, publishing or unpublishing it refreshes it),
summed by key when a page reads them; ``compact()`` folds them into one row per key
once there are COMPACT_AT, after the writer's commit.
/stats/ reads the sums and the twenty articles each ranking names, by columns kept
beside the tally, and the home page reads the sums (site_totals()): a few hundred rows
whatever the size of the database.

``stale()`` finds tallies that differ from their definition: the test suite
checks it after every test, and ``manage.py refresh_facets --check`` on a live
database.

This module imports no model (it finds them through the app registry), so the
models can import it through claims/facets.py.
"""

from collections import Counter, defaultdict
from itertools import batched

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Func, Q, Sum
from django.db.models.functions import Cast

from . import agreement, policy
from .choices import UNDER_REVIEW_KEY, Overclaim

# An article's share of reviewable claims that overclaim: the /stats/ ranking orders by it,
# and an index on the same expression keeps that a read of the first rows (claims.models).
# The 0 is written into the SQL, not passed as a parameter: SQLite uses an index on an expression
# only for the expression as written, and NULLIF(x, ?) is not NULLIF(x, 0).
OVERCLAIM_SHARE = Cast("overclaim_claim_count", FloatField()) / Func(
    F("reviewable_claim_count"), function="NULLIF", template="%(function)s(%(expressions)s, 0)"
)

# Articles computed per round of queries: bounds the ids in an IN (...) and the rows held at once.
BATCH = 1000


def _model(name, apps=global_apps):
    return apps.get_model("claims", name)


def compute(article_ids, apps=global_apps):
    """{article id: tally (a dict)} for `article_ids`, from their claims, flags and ratings. Three queries."""
    tallies = {pk: Counter() for pk in article_ids}
    claims = (
        _model("Claim", apps)
        .objects.filter(policy.reviewable_claims_q(), article_id__in=article_ids)
        .order_by()
        .values_list(
            "article_id", "topic", "wording_strength", "finalized_strength", "substance_id", "flag_bits", "design_bits"
        )
        .annotate(
            n=Count("id"),
            overclaims=Count("id", filter=Q(overclaim__in=Overclaim.values)),
            finalized=Count("id", filter=policy.finalized_claims_q()),
        )
    )
    for article_id, topic, wording, strength, substance_id, flag_bits, design_bits, n, overclaims, finalized in claims:
        tally = tallies[article_id]
        tally[f"s|{topic}|{wording}|{strength or UNDER_REVIEW_KEY}"] += n
        tally["o"] += overclaims
        tally["fin"] += finalized
        if substance_id is not None:
            tally[f"sub|{substance_id}"] += n
        if flag_bits:
            tally["fb|any"] += n
        for bit in _bits(flag_bits):
            tally[f"fb|{bit}"] += n
        for bit in _bits(design_bits):
            tally[f"db|{bit}"] += n
    flags = (
        _model("MarketingFlag", apps)
        .objects.filter(state=policy.PUBLIC_FLAG_STATE, article_id__in=article_ids)
        .order_by()
        .values_list("article_id", "category")
        .annotate(n=Count("id"))
    )
    for article_id, category, n in flags:
        tallies[article_id][f"f|{category}"] += n
    # Finalized claims' ratings as their reviewers gave them blind, as agreement.summary() reads them.
    ratings = (
        _model("Rating", apps)
        .objects.filter(policy.finalized_claims_q("claim__"), claim__article_id__in=article_ids)
        .independent()
        .order_by()
        .values_list("claim__article_id", "claim_id", "reviewer_id", "independent_strength", "independent_verdict")
    )
    rated = defaultdict(lambda: defaultdict(dict))
    for article_id, claim_id, reviewer_id, strength, verdict in ratings:
        rated[article_id][claim_id][reviewer_id] = (strength, verdict)
    for article_id, claims_rated in rated.items():
        tallies[article_id].update(agreement.tally(claims_rated))
    return {pk: {key: n for key, n in sorted(tally.items()) if n} for pk, tally in tallies.items()}


def _bits(value):
    """The bits set in `value`, as powers of two: 13 -> 1, 4, 8."""
    while value:
        bit = value & -value
        yield bit
        value ^= bit


def _columns(tally):
    """The columns kept beside a tally for the page's rankings."""
    return {
        "reviewable_claim_count": sum(n for key, n in tally.items() if key.startswith("s|")),
        "overclaim_claim_count": tally.get("o", 0),
        "rated_claim_count": tally.get("rated", 0),
        "paired_claim_count": agreement.paired_claims(tally),
    }


def _site_share(tally):
    """What an article adds to the site's sums while it is published: its tally, and one article of each kind."""
    share = dict(tally)
    share["articles"] = 1
    if any(key.startswith("s|") for key in tally):
        share["articles_with_claims"] = 1
    if tally.get("rated"):
        share["articles_rated"] = 1
    return share


def _add(delta, share, sign):
    for key, n in share.items():
        delta[key] += sign * n


def _write_site(delta, apps=global_apps):
    """Add `delta` to the site's sums: new rows only, so concurrent writers never wait on each other here."""
    rows = [(key, n) for key, n in sorted(delta.items()) if n]
    if rows:
        Row = _model("StatsTallyRow", apps)
        Row.objects.bulk_create([Row(key=key, n=n) for key, n in rows])
        # Once the writer has committed: compacting inside its transaction would take a lock
        # after the writer's own, and two writers could then wait on each other.
        if not any(func == compact_if_long for _sids, func, _robust in connection.run_on_commit):
            transaction.on_commit(compact_if_long, robust=True)


def refresh(articles):
    """
    Recompute the tallies of `articles` (a queryset) and add what changed to the site's
    sums; returns how many articles changed. The articles are locked first: two
    transactions refreshing one article would otherwise both add the change to the sums.
    """
    Article = articles.model
    apps = Article._meta.apps
    with transaction.atomic(using=articles.db):
        return _refresh(articles, Article, apps)


def _refresh(articles, Article, apps):
    ids = list(articles.order_by("pk").values_list("pk", flat=True))
    changed = 0
    delta = Counter()
    for batch in batched(ids, BATCH):
        locked = Article.objects.filter(pk__in=batch).order_by("pk").select_for_update()
        stored = {
            pk: (tally, counted, published_at, dict(zip(_columns({}), columns, strict=True)))
            for pk, tally, counted, published_at, *columns in locked.values_list(
                "pk", "stats_tally", "tally_counted", "published_at", *_columns({})
            )
        }
        updates = []
        for pk, tally in compute(list(stored), apps).items():
            old_tally, counted, published_at, columns = stored[pk]
            published = published_at is not None  # policy.published_articles_q
            if tally == old_tally and counted == published and columns == _columns(tally):
                continue
            if counted:
                _add(delta, _site_share(old_tally), -1)
            if published:
                _add(delta, _site_share(tally), +1)
            updates.append(Article(pk=pk, stats_tally=tally, tally_counted=published, **_columns(tally)))
        Article.objects.bulk_update(updates, ["stats_tally", "tally_counted", *_columns({})])
        changed += len(updates)
    _write_site(delta, apps)
    return changed


def forget(articles):
    """
    Take the shares of `articles` (a queryset), about to be deleted in the caller's
    transaction, out of the site's sums: as stored, not as a copy in memory has them.
    """
    delta = Counter()
    counted = articles.filter(tally_counted=True).order_by("pk").select_for_update()
    for tally in counted.values_list("stats_tally", flat=True):
        _add(delta, _site_share(tally), -1)
    _write_site(delta, articles.model._meta.apps)


def site_count(key):
    """The site's sum of one key (0 if none): one read of the rows' (key, n) index."""
    return _model("StatsTallyRow").objects.filter(key=key).aggregate(total=Sum("n", default=0))["total"]


def site_sums(apps=global_apps):
    """{key: n}: the site's sums, the published articles' tallies added up. One query."""
    rows = _model("StatsTallyRow", apps).objects.order_by().values_list("key").annotate(total=Sum("n"))
    return {key: total for key, total in rows if total}


def _counted_sum(apps=global_apps):
    total = Counter()
    articles = _model("Article", apps).objects.filter(tally_counted=True).values_list("stats_tally", flat=True)
    for tally in articles.iterator():
        _add(total, _site_share(tally), +1)
    return {key: n for key, n in total.items() if n}


# Fold the site's rows into one per key once they are this many: the page sums them all.
COMPACT_AT = 2000


def compact(apps=global_apps):
    """
    Replace the site's rows by one per key, in a transaction of its own (run after a
    writer's commit, never inside it, so it holds no other lock). Returns the rows left.
    """
    Row = _model("StatsTallyRow", apps)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers add rows meanwhile; they wait for this to finish, and nothing is lost.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Row._meta.db_table} IN EXCLUSIVE MODE")
        sums = site_sums(apps)
        Row.objects.all().delete()
        Row.objects.bulk_create([Row(key=key, n=n) for key, n in sorted(sums.items())])
    return len(sums)


def compact_if_long():
    if _model("StatsTallyRow").objects.count() >= COMPACT_AT:
        compact()


def rebuild_site(apps=global_apps):
    """Make the site's sums the counted articles' tallies again (manage.py refresh_facets)."""
    Row = _model("StatsTallyRow", apps)
    with transaction.atomic():
        Row.objects.all().delete()
        _write_site(Counter(_counted_sum(apps)), apps)


def stale(articles):
    """Ids of the articles in `articles` whose stored tally, or its columns, differ from the definition."""
    Article = articles.model
    found = []
    for batch in batched(articles.order_by("pk").values_list("pk", flat=True).iterator(), BATCH):
        computed = compute(batch, Article._meta.apps)
        stored = Article.objects.filter(pk__in=batch).values_list(
            "pk", "stats_tally", "tally_counted", "published_at", *_columns({})
        )
        for pk, tally, counted, published_at, *columns in stored:
            want = computed[pk]
            columns = dict(zip(_columns({}), columns, strict=True))
            published = published_at is not None  # policy.published_articles_q
            if tally != want or counted != published or columns != _columns(want):
                found.append(pk)
    return found


def site_is_stale(apps=global_apps):
    """True when the site's sums differ from the counted articles' tallies added up."""
    return site_sums(apps) != _counted_sum(apps)


def site_totals():
    """
    The home page's figures, from the site's sums (one query; a second names the
    substances): published articles, their reviewable claims, finalized claims and
    confirmed flags, and ``substances``, [{slug, name, n}]: the claims about each
    substance, a form's counted under its parent (Substance.counts_by_root()), most first.
    """
    sums = site_sums()
    by_substance = {}
    totals = {"articles": sums.get("articles", 0), "claims": 0, "finalized": sums.get("fin", 0), "flags": 0}
    for key, n in sums.items():
        kind, _, rest = key.partition("|")
        if kind == "s":
            totals["claims"] += n
        elif kind == "f":
            totals["flags"] += n
        elif kind == "sub":
            by_substance[int(rest)] = n
    totals["substances"] = _model("Substance").counts_by_root(by_substance) if by_substance else []
    return totals


class Figures:
    """
    The statistics page's figures: the site's sums (one query) and the articles its
    rankings name (three queries of MAX_SHOWN rows each; the articles are ordered by
    columns kept beside their tallies).

    - ``strength``: {shown strength: claims};
    - ``by_topic`` and ``by_wording`` (claims the automatic reading has read):
      {topic or wording: {shown strength: claims}};
    - ``by_article``: [(title, slug, {shown strength: claims})] of the MAX_SHOWN
      articles with the most public claims, and ``articles_with_claims``;
    - ``overclaims``: [(title, slug, claims, overclaims)] of the MAX_SHOWN articles
      with the highest share of claims that overclaim;
    - ``flags``: {category: confirmed flags};
    - ``rated``: [(id, title, slug, tally)] of the MAX_SHOWN articles with rated claims
      that have the most claims rated by two or more reviewers, ``articles_rated``, and
      ``agreement``: the site's agreement keys (agreement.stats_from_tally()).
    """

    def __init__(self, shown):
        sums = site_sums()
        self.strength = Counter()
        self.by_topic = defaultdict(Counter)
        self.by_wording = defaultdict(Counter)
        self.flags = Counter()
        self.agreement = {}
        for key, n in sums.items():
            kind, _, rest = key.partition("|")
            if kind == "s":
                topic, wording, strength = rest.split("|")
                self.strength[strength] += n
                self.by_topic[topic][strength] += n
                if wording:
                    self.by_wording[wording][strength] += n
            elif kind == "f":
                self.flags[rest] += n
            elif kind in ("r", "u", "rated"):
                self.agreement[key] = n
        self.articles_with_claims = sums.get("articles_with_claims", 0)
        self.articles_rated = sums.get("articles_rated", 0)
        by_claims, by_overclaims, by_paired = rankings(shown)
        self.by_article = [(title, slug, _strengths(tally)) for title, slug, tally in by_claims]
        self.overclaims = list(by_overclaims)
        self.rated = list(by_paired)


def rankings(shown):
    """
    The page's three rankings of the published articles, each read from its index
    (claims.models.Article): most public claims, highest share of claims that
    overclaim, most claims rated by two or more reviewers.
    """
    published = _model("Article").objects.public().order_by()
    with_claims = published.filter(reviewable_claim_count__gt=0)
    return (
        with_claims.order_by("-reviewable_claim_count", "title", "pk").values_list("title", "slug", "stats_tally")[
            :shown
        ],
        with_claims.order_by(OVERCLAIM_SHARE.desc(), "-reviewable_claim_count", "title", "pk").values_list(
            "title", "slug", "reviewable_claim_count", "overclaim_claim_count"
        )[:shown],
        published.filter(rated_claim_count__gt=0)
        .order_by("-paired_claim_count", "title", "pk")
        .values_list("pk", "title", "slug", "stats_tally")[:shown],
    )


def _strengths(tally):
    counts = Counter()
    for key, n in tally.items():
        if key.startswith("s|"):
            counts[key.rsplit("|", 1)[1]] += n
    return counts
