from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import facets
from claims.models import Claim


class Command(BaseCommand):
    help = (
        "Recompute every claim's filter facets (evidence strength and verdict once finalized, linked, "
        "study designs, marketing flags; see claims/facets.py) from the rows they are derived from. "
        "The app keeps them true on every save; run this after changing the database behind its back "
        "(raw SQL, a restore). --check only reports the claims whose facets are stale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if any claim is stale.")

    def handle(self, *args, check, verbosity, **options):
        if check:
            stale = facets.stale(Claim.objects.all())
            if stale:
                shown = ", ".join(map(str, stale[:20])) + (" …" if len(stale) > 20 else "")
                raise CommandError(
                    f"{len(stale)} claim{'s' if len(stale) != 1 else ''} with stale facets (ids {shown}); "
                    "run manage.py refresh_facets."
                )
            self.stdout.write("Every claim's facets are up to date.")
            return
        with transaction.atomic():
            count = Claim.objects.all().refresh_facets()
        self.stdout.write(self.style.SUCCESS(f"Refreshed the facets of {count} claims."))
