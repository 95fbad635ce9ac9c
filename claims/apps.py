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
        _connect_topic_cache(self)


def _connect_topic_cache(app_config):
    """A saved or deleted topic clears the process's cached topic table (ClaimTopic.lookup)."""
    from django.db.models.signals import post_delete, post_save

    from .models import topics_changed

    topic = app_config.get_model("ClaimTopic")
    post_save.connect(topics_changed, sender=topic, dispatch_uid="claims-topics-saved")
    post_delete.connect(topics_changed, sender=topic, dispatch_uid="claims-topics-deleted")
