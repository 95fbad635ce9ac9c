"""Two transactions changing one claim at once both reach its facets (PostgreSQL: concurrent writers)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from claims import facets
from claims.models import Claim
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time"),
]


def test_a_flag_confirmed_while_another_is_uncommitted_does_not_hide_it():
    claim = f.make_claim()  # "Magnesium cures everything."
    article = claim.article
    first_wrote, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                f.make_flag(article, "cures", category="disease-claim", state="confirmed")  # refreshes the claim
                first_wrote.set()
                time.sleep(0.5)  # the second writer reaches the claim meanwhile
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            first_wrote.wait(5)
            with transaction.atomic():
                f.make_flag(article, "everything", category="absolute", state="confirmed")  # and again
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    both = facets.FLAG_BITS["disease-claim"] | facets.FLAG_BITS["absolute"]
    assert Claim.objects.get(pk=claim.pk).flag_bits == both
