"""
Bulk inserts that keep django-simple-history's history, for imports of thousands of rows.

simple_history's bulk_create_with_history builds a historical model instance per row
and inserts it through Django's insert compiler, which prepares each of its values
again: for a large import, most of the time goes there rather than to the database
(docs/import.md). The history row of a row just created is that row's tracked columns
plus four values shared by the whole batch (date, user, change reason, '+'), so
`bulk_create_with_history` here has the database copy them with INSERT ... SELECT.
What is written is what simple_history writes: the same columns, in pk order, with the
user it would record (the request's, through its middleware) and no change reason.
"""

import gc
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Value
from django.utils import timezone


def bulk_create_with_history(objs, model):
    """
    Insert `objs` (unsaved instances of `model`) and their "created" history rows; returns
    the objects. One user, date and (empty) change reason for the whole batch: an instance's
    own `_history_user` or `_change_reason` is not read.
    """
    with transaction.atomic(using=router.db_for_write(model), savepoint=False):
        with collector_paused():
            created = model._default_manager.bulk_create(objs)
        if created and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            copy_to_history(model, [obj.pk for obj in created], created[0])
    return created


def copy_to_history(model, pks, instance):
    """
    One "created" history row per row of `model` whose pk is in `pks`, copied by the
    database in pk order; `instance` stands for the batch when asking simple_history
    whose change it is.
    """
    history = model.history.model
    using = router.db_for_write(model)
    connection = connections[using]
    user = history.get_default_history_user(instance)
    shared = {
        "history_date": timezone.now(),
        "history_user": user.pk if user else None,
        "history_change_reason": None,
        "history_type": "+",
    }
    # Typed as the history model's own fields, so each engine adapts them as it would in an insert.
    shared = {name: Value(value, history._meta.get_field(name)) for name, value in shared.items()}
    tracked = history.tracked_fields
    columns = [history._meta.get_field(f.name).column for f in tracked]
    columns += [history._meta.get_field(name).column for name in shared]
    quote = connection.ops.quote_name
    insert = f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "
    # Within the database's limit on parameters per query: one per pk, and the shared values.
    limit = connection.features.max_query_params
    size = limit - len(shared) if limit else len(pks)
    for start in range(0, len(pks), size):
        rows = (
            model._base_manager.using(using)
            .filter(pk__in=pks[start : start + size])
            .order_by("pk")
            .annotate(**{f"_{name}": value for name, value in shared.items()})
            .values_list(*(f.attname for f in tracked), *(f"_{name}" for name in shared))
        )
        select, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(insert + select, params)


@contextmanager
def collector_paused():
    """
    Python's cycle collector paused for a bulk insert. Django builds every placeholder
    and parameter of a statement before running it: hundreds of thousands of small
    tuples and lists, all alive until it runs, and each few hundred of them set the
    collector off to walk the objects of the whole process again. They hold no cycles
    (reference counting frees them), and the walks were a third of saving the 1 MB
    generated text on SQLite (docs/import.md).
    """
    if not gc.isenabled():  # paused already, by the caller or another thread: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
