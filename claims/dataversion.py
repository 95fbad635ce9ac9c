"""
Advance DataVersion after every committed write to the domain's tables.

Public pages and exports are cached by data version (public/caching.py), so
the version must move on after *every* change the public could see: a
consensus, a reopen, a published article, a confirmed flag, a linked study, an
admin edit, an import, a bulk refresh, raw SQL in a command. Rather than trust
each write path to remember, this watches the SQL itself: a database execute
wrapper (Django's documented instrumentation hook) on every connection notes
each INSERT, UPDATE or DELETE on a ``claims_`` table and, once the transaction
commits, advances the version in a statement of its own.

Why after the commit, not inside the transaction: an UPDATE of the one version
row inside every writing transaction would make them all queue on that row,
and two transactions that lock domain rows in different orders would deadlock
on it. After the commit, a reader that read the old version while the write
committed may cache or revalidate what it read under the old version; nobody
asks for that version once the writer's request has finished, because the
version moves on before the writer's response is sent. A rolled-back write
advances nothing (its callback is discarded with it).

Ratings are the exception. Reviewers rate all day, blinded: a rating of a
claim under review is in no public page, and advancing the version for each
one would empty the page cache every few seconds during a review session. So
writes to the ratings tables are not watched as SQL; a rating saved or deleted
through the ORM advances the version, after its commit, only when its claim is
finalized (its ratings are then published). A claim's finalizing or reopening
is a write to the claims table, watched like any other. A raw-SQL change to the
ratings of a finalized claim would not be noticed: there is none in the code.

Migrations are not watched while they run (the version table may not exist
yet); post_migrate advances the version once instead, since a migration may
change what the public sees.

Preparing the next version. Whoever serves the pages may set ``preparing`` to a
callable for the length of a request (public/caching.py does, to build the
pages readers are reading before they ask for them). An advance then first
calls it with the version about to become current (unsaved: the next number
and a new ``changed_at``, so its token is new), then makes exactly that
version current, but only if nobody advanced in the meantime (a
compare-and-set on the number); otherwise it advances as usual, to a token
nothing was prepared under. Whatever the preparer does or raises, the version
advances: a write is never left without its advance.
"""

import contextvars
import logging
import re

from django.db import connections, transaction

from . import policy

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.IGNORECASE)
WATCHED_PREFIX = "claims_"
VERSION_TABLE = "claims_dataversion"
# Written all day by blinded reviewers; see the module docstring and _rating_written.
RATING_TABLES = {"claims_rating", "claims_historicalrating"}

_migrating = set()
logger = logging.getLogger(__name__)

# Called with the upcoming version before each advance; None (the default, and in
# commands) advances at once.
preparing = contextvars.ContextVar("mgreview_dataversion_preparing", default=None)


def writes_public_data(sql):
    """True for an INSERT, UPDATE or DELETE on a domain table other than the version's own."""
    match = WRITE.match(sql)
    if match is None:
        return False
    table = match.group(1).lower()
    return table.startswith(WATCHED_PREFIX) and table != VERSION_TABLE and table not in RATING_TABLES


def _advance(using):
    from .models import DataVersion

    prepare = preparing.get()
    if prepare is None:
        DataVersion.advance(using=using)
        return
    upcoming = DataVersion.upcoming(using=using)
    # The preparer's own reads and writes must not prepare again.
    token = preparing.set(None)
    try:
        prepare(upcoming)
    except Exception:
        logger.exception("preparing data version %s failed; advancing anyway", upcoming.number)
    finally:
        preparing.reset(token)
        DataVersion.advance(using=using, to=upcoming)


class Watcher:
    """The execute wrapper of one connection: queues one advance per transaction that writes."""

    def __init__(self, alias):
        self.alias = alias

    def advance(self):
        _advance(self.alias)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.alias not in _migrating and isinstance(sql, str) and writes_public_data(sql):
            connection = connections[self.alias]
            if not connection.in_atomic_block:
                self.advance()
            elif not any(func == self.advance for _sids, func, _robust in connection.run_on_commit):
                transaction.on_commit(self.advance, using=self.alias)
        return result


def watch(connection):
    """Install the watcher on `connection` once (connection_created may fire again after a reconnect)."""
    if not any(isinstance(wrapper, Watcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(Watcher(connection.alias))


def _rating_written(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        return
    Claim = sender._meta.apps.get_model("claims", "Claim")

    def advance_if_published():
        if Claim.objects.using(using).filter(pk=instance.claim_id).filter(policy.finalized_claims_q()).exists():
            _advance(using)

    transaction.on_commit(advance_if_published, using=using)


def _connection_created(sender, connection, **kwargs):
    watch(connection)


def _pre_migrate(using, **kwargs):
    _migrating.add(using)


def _post_migrate(using, **kwargs):
    _migrating.discard(using)
    _advance(using)


def connect(app_config):
    """Called by the app's ready(): watch every connection, and advance once after migrations."""
    from django.db.backends.signals import connection_created
    from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate

    connection_created.connect(_connection_created, dispatch_uid="claims-dataversion-watch")
    # A connection opened before ready() (none in practice) is watched too.
    for connection in connections.all(initialized_only=True):
        watch(connection)
    rating = app_config.get_model("Rating")
    post_save.connect(_rating_written, sender=rating, dispatch_uid="claims-dataversion-rating-saved")
    post_delete.connect(_rating_written, sender=rating, dispatch_uid="claims-dataversion-rating-deleted")
    pre_migrate.connect(_pre_migrate, sender=app_config, dispatch_uid="claims-dataversion-pre-migrate")
    post_migrate.connect(_post_migrate, sender=app_config, dispatch_uid="claims-dataversion-post-migrate")
