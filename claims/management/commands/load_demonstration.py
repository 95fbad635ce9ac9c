import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.models import Claim, Rating, Study
from claims.policy import DEMONSTRATION_GROUP, LEAD_REVIEWERS_GROUP, REVIEWERS_GROUP

DATA = settings.BASE_DIR / "fixtures" / "demonstration_review.json"


class Command(BaseCommand):
    help = (
        "Load the demonstration review of the magnesium corpus (fixtures/demonstration_review.json): "
        "two blinded rating passes and a lead's consensus for every claim, and the cited studies that "
        "could be identified, applied through the app's own workflow by accounts of the "
        f"'{DEMONSTRATION_GROUP}' group, which cannot log in. Run load_corpus first. Does nothing if "
        "it is already loaded. Public pages and exports say the ratings are a demonstration."
    )

    def handle(self, *args, verbosity, **options):
        data = json.loads(DATA.read_text(encoding="utf-8"))
        if Rating.objects.by_demonstration_reviewers().exists():
            self.stdout.write("The demonstration review is already loaded; nothing changed.")
            return
        claims = self._claims(data)
        with transaction.atomic():
            users = self._accounts(data["reviewers"])
            lead = users[next(r["username"] for r in data["reviewers"] if r["role"] == "lead")]
            self._identify(data["studies"], lead)
            for row in data["ratings"]:
                Rating.objects.record(
                    claims[row["article"], row["quote"]],
                    users[row["reviewer"]],
                    evidence_strength=row["evidence_strength"],
                    verdict=row["verdict"],
                    extrapolation_concerns=row["extrapolation_concerns"],
                    notes=row["notes"],
                )
            for row in data["consensus"]:
                claims[row["article"], row["quote"]].record_consensus(
                    users[row["lead"]], row["evidence_strength"], row["verdict"], row["rationale"]
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demonstration review loaded: {len(data['ratings'])} ratings, {len(data['consensus'])} claims "
                f"finalized, {len(data['studies'])} studies identified."
            )
        )

    def _claims(self, data):
        """(article file, quote) -> the corpus claim; refuses before writing anything if one is missing."""
        wanted = {(row["article"], row["quote"]) for row in data["ratings"] + data["consensus"]}
        found = {
            (claim.article.source_file, claim.quote): claim
            for claim in Claim.objects.filter(article__source_file__in={a for a, _ in wanted}).select_related("article")
        }
        missing = wanted - found.keys()
        if missing:
            raise CommandError(
                f"{len(missing)} claim(s) of the demonstration review are not in the database "
                "(run manage.py load_corpus first); nothing was loaded."
            )
        return found

    def _accounts(self, reviewers):
        demonstration, _ = Group.objects.get_or_create(name=DEMONSTRATION_GROUP)
        roles = {
            "reviewer": Group.objects.get(name=REVIEWERS_GROUP),
            "lead": Group.objects.get(name=LEAD_REVIEWERS_GROUP),
        }
        users = {}
        for reviewer in reviewers:
            user, _ = get_user_model().objects.get_or_create(username=reviewer["username"])
            user.set_unusable_password()  # worked examples, not people: nobody logs in as them
            user.save()
            user.groups.add(roles[reviewer["role"]], demonstration)
            users[user.username] = user
        return users

    def _identify(self, studies, lead):
        for row in studies:
            study = Study.objects.get(citation=row["citation"])
            for field in ("doi", "pmid", "title", "authors", "year", "journal", "design", "verified_at"):
                setattr(study, field, row[field])
            study.full_clean()
            study._history_user = lead
            study._change_reason = "Identified for the demonstration review"
            study.save()
