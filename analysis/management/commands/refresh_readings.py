import json

from django.core.management.base import BaseCommand, CommandError

from analysis.readings import read_claims, stale_claims
from claims.models import Article, Claim


class Command(BaseCommand):
    help = (
        "Read every claim (or those of the articles named) afresh: its wording strength and the evidence its "
        "paragraph mentions, each with its cues; store what changed, and the overclaim facet with it. Run it "
        "after the rules in analysis/language*.py or analysis/evidence.py change. With --check, change nothing "
        "and exit with status 1 if any stored reading is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article", action="append", default=[], metavar="SLUG", help="Only this article's claims."
        )
        parser.add_argument("--check", action="store_true", help="Report stale readings; change nothing.")
        parser.add_argument("--json", action="store_true", help='Write {"read": N, "changed": N} (or "stale": [ids]).')

    def handle(self, *args, **options):
        claims = Claim.objects.all()
        if options["article"]:
            slugs = options["article"]
            known = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            missing = [slug for slug in slugs if slug not in known]
            if missing:
                raise CommandError(f"No article with the slug {', '.join(missing)}.", returncode=2)
            claims = claims.filter(article__slug__in=slugs)
        if options["check"]:
            stale = stale_claims(claims)
            if options["json"]:
                self.stdout.write(json.dumps({"stale": stale}))
            else:
                self.stdout.write(
                    f"{len(stale)} claim(s) with an out-of-date reading" + (f": {stale[:20]}" if stale else ".")
                )
            if stale:
                raise SystemExit(1)
            return
        read, changed = read_claims(claims)
        if options["json"]:
            self.stdout.write(json.dumps({"read": read, "changed": changed}))
        else:
            self.stdout.write(f"Read {read} claim(s); {changed} reading(s) changed.")
