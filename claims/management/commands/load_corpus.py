from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from claims import facets
from claims.models import Article, Citation, Claim, MarketingFlag, Study

CORPUS_FIXTURES = ["corpus", "marketing_annotations"]


class Command(BaseCommand):
    help = (
        "Load the magnesium corpus (five articles, their curated claims and cited studies, and the "
        "hand-annotated marketing phrases) from fixtures/. Does nothing if the corpus is already "
        "loaded, so reviewers' work is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if the corpus is already there.")

    def handle(self, force, verbosity, **options):
        if Article.objects.filter(source_file__in=self._corpus_files()).exists() and not force:
            self.stdout.write("The corpus is already loaded; nothing changed.")
            return
        loaded = Claim.objects.filter(article__source_file__in=self._corpus_files())
        # Fixtures load raw, without signals: refreshing() derives the loaded claims' filter facets.
        with transaction.atomic(), facets.refreshing(loaded):
            call_command("loaddata", *CORPUS_FIXTURES, verbosity=verbosity)
            # The corpus is public as it loads: it was curated, not imported for review.
            Article.objects.filter(source_file__in=self._corpus_files(), published_at__isnull=True).update(
                published_at=timezone.now()
            )
            # The substance each claim is about, as migration 0025 gives claims loaded before it.
            loaded.assign_substances()
            self._record_initial_history()
        self.stdout.write(self.style.SUCCESS("Corpus loaded."))

    @staticmethod
    def _record_initial_history():
        """
        Fixtures load raw, without history rows: give every loaded object its
        'created' row, so that the first real change shows as old → new
        rather than as a creation.
        """
        for model in (Article, Claim, Study, Citation, MarketingFlag):
            recorded = model.history.values("id")
            missing = list(model.objects.exclude(pk__in=recorded))
            model.history.bulk_history_create(missing, default_change_reason="Loaded with the corpus")

    @staticmethod
    def _corpus_files():
        import json

        from django.conf import settings

        path = settings.BASE_DIR / "fixtures" / "curation" / "articles.json"
        return [a["file"] for a in json.loads(path.read_text(encoding="utf-8"))]
