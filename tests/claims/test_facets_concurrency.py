"""Two transactions changing one claim at once both reach its facets (PostgreSQL: concurrent writers)."""

import threading
import time

import pytest
from django.db import connection, transaction

from claims import facets
from claims.models import Claim
from tests import factories as f
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time"),
]


def test_a_flag_confirmed_while_another_is_uncommitted_does_not_hide_it():
    claim = f.make_claim()  # "Magnesium cures everything."
    article = claim.article
    first_wrote = threading.Event()

    def first():
        with transaction.atomic():
            f.make_flag(article, "cures", category="disease-claim", state="confirmed")  # refreshes the claim
            first_wrote.set()
            time.sleep(0.5)  # the second writer reaches the claim meanwhile

    def second():
        first_wrote.wait(5)
        with transaction.atomic():
            f.make_flag(article, "everything", category="absolute", state="confirmed")  # and again

    assert run_together(first, second) == {}
    both = facets.FLAG_BITS["disease-claim"] | facets.FLAG_BITS["absolute"]
    assert Claim.objects.get(pk=claim.pk).flag_bits == both
