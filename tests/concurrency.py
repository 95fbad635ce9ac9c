"""Run test code in threads, each on its own database connection (PostgreSQL concurrency tests)."""

import threading

from django.db import connections


def run_together(*targets, timeout=10):
    """Start every target in its own thread, wait for all; return {target name: exception} for those that raised."""
    errors = {}

    def run(target):
        try:
            target()
        except Exception as exc:  # noqa: BLE001 -- handed back to the test
            errors[target.__name__] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=[target]) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors
