from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import facets, tallies
from claims.models import Article, Claim


def _stale(ids, noun, what):
    shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
    return f"{len(ids)} {noun}{'s' if len(ids) != 1 else ''} with stale {what} (ids {shown})"


class Command(BaseCommand):
    help = (
        "Recompute every claim's filter facets (evidence strength and verdict once finalized, linked, "
        "study designs, marketing flags; see claims/facets.py) and every article's /stats/ tally and the "
        "counts kept beside it (claims/tallies.py) from the rows they are derived from. "
        "The app keeps them true on every save; run this after changing the database behind its back "
        "(raw SQL, a restore). --check only reports the claims and articles that are stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if any claim or article is stale."
        )

    def handle(self, *args, check, verbosity, **options):
        if check:
            claims = facets.stale(Claim.objects.all())
            tallied = tallies.stale(Article.objects.all())
            problems = []
            if claims:
                problems.append(_stale(claims, "claim", "facets"))
            if tallied:
                problems.append(_stale(tallied, "article", "/stats/ tallies"))
            if tallies.site_is_stale():
                problems.append("the site's /stats/ sums differ from the articles' tallies")
            if problems:
                raise CommandError("; ".join(problems) + "; run manage.py refresh_facets.")
            self.stdout.write("Every claim's facets and every article's tally are up to date.")
            return
        with transaction.atomic():
            count = Claim.objects.all().refresh_facets()
            facets.refresh_articles(Article.objects.all())
            tallies.rebuild_site()
        articles = Article.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Refreshed the facets of {count} claims and the tallies of {articles} articles.")
        )
