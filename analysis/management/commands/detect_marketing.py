import json

from django.core.management.base import BaseCommand, CommandError

from analysis.detector import Detector
from analysis.suggestions import record_flag_suggestions
from claims.models import Article


class Command(BaseCommand):
    help = (
        "Run the marketing-language detector over articles and record what it finds as suggested "
        "marketing flags. Idempotent: never duplicates a flag or brings back a dismissed one. "
        "With --json, prints a JSON list of {article, start, end, text, category} for every hit found."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Articles to scan, by slug.")
        parser.add_argument("--all", action="store_true", help="Scan every article.")
        parser.add_argument("--json", action="store_true", help="Print the hits as JSON on stdout, and nothing else.")

    def handle(self, *args, **options):
        as_json = options["json"]
        articles = self._articles(options["slugs"], options["all"])
        detector = Detector.from_lexicon()
        for pattern in detector.invalid:
            self.stderr.write(f"Skipped lexicon pattern {pattern.pk} (“{pattern.pattern}”): not a valid regex.")
        found = []
        for article in articles:
            hits = detector.find(article.text)
            recorded = record_flag_suggestions(article, hits)
            found.extend({"article": article.slug, **hit.as_dict()} for hit in hits)
            message = (
                f"{article.slug}: {len(hits)} hit(s), {len(recorded)} new suggestion(s); "
                f"{len(hits) - len(recorded)} already flagged or dismissed."
            )
            (self.stderr if as_json else self.stdout).write(message)
        if as_json:
            self.stdout.write(_dumps(found))

    def _articles(self, slugs, all_articles):
        if all_articles and slugs:
            raise CommandError("Give article slugs or --all, not both.")
        if all_articles:
            return list(Article.objects.order_by("pk"))
        if not slugs:
            raise CommandError("Give one or more article slugs, or --all.")
        articles = {a.slug: a for a in Article.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in articles]
        if unknown:
            raise CommandError(f"No article with slug {', '.join(map(repr, unknown))}; nothing was recorded.")
        return [articles[slug] for slug in dict.fromkeys(slugs)]


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=1)
