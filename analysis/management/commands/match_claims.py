import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from analysis import matching
from claims.models import Article, Claim, ClaimMatch


def _score(value):
    try:
        score = float(value)
    except ValueError:
        raise CommandError(f"--min-score must be a number from 0 to 1, not {value!r}.", returncode=2) from None
    if not 0 <= score <= 1:
        raise CommandError(f"--min-score must be from 0 to 1, not {value}.", returncode=2)
    return score


class Command(BaseCommand):
    help = (
        "Find, for each claim of the given articles (or all), the claims in any article that make the same "
        "assertion, and store them as suggested matches for a lead reviewer (decided matches are kept as "
        "decided). See docs/matching.md."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--article", action="append", metavar="SLUG", help="An article's slug (repeatable).")
        which.add_argument("--all", action="store_true", help="Every claim.")
        parser.add_argument(
            "--min-score",
            default=str(matching.DEFAULT_MIN_SCORE),
            help=f"Lowest score kept, 0-1 (default {matching.DEFAULT_MIN_SCORE}).",
        )
        parser.add_argument("--json", action="store_true", help="Print the matches as JSON.")

    def handle(self, *args, **options):
        min_score = _score(options["min_score"])
        claims = Claim.objects.order_by("id")
        if options["article"]:
            slugs = list(dict.fromkeys(options["article"]))
            known = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                raise CommandError(f"No article with slug {', '.join(map(repr, unknown))}.", returncode=2)
            claims = claims.filter(article__slug__in=slugs)
        report, stored = [], 0
        with transaction.atomic():
            for claim in claims.only("id", "statement", "population"):
                found = matching.matches_for(claim, min_score=min_score)
                for other_id, result in found:
                    ClaimMatch.objects.suggest(claim.pk, other_id, result.score, result.words)
                    stored += 1
                if found:
                    report.append(
                        {
                            "claim": claim.pk,
                            "matches": [{"claim": other_id, "score": result.score} for other_id, result in found],
                        }
                    )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=1))
        else:
            self.stdout.write(f"{len(report)} claim(s) with matches; {stored} match(es) at score ≥ {min_score}.")
