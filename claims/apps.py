from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_search_index(using, **kwargs):
    from django.db import connections

    from . import search

    # SQLite drops triggers when a migration rebuilds a table: put them back.
    search.install(connections[using], create=False)


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self):
        from . import dataversion, facets

        facets.connect(self.apps)
        dataversion.connect(self)
        post_migrate.connect(_install_search_index, sender=self, dispatch_uid="claims_search_index")
