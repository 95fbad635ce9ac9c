import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.policy import LEAD_REVIEWERS_GROUP, REVIEWERS_GROUP


class Command(BaseCommand):
    help = (
        "Create a reviewer (or, with --lead, a lead reviewer) who can log in to /review/ and the admin. "
        "The password is asked for, or read from the MGREVIEW_PASSWORD environment variable."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--lead", action="store_true", help="Make a lead reviewer (can finalize claims).")

    def handle(self, username, email, lead, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = os.environ.get("MGREVIEW_PASSWORD") or self._ask_password()
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        group = Group.objects.get(name=LEAD_REVIEWERS_GROUP if lead else REVIEWERS_GROUP)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created {group.name[:-1].lower()} {username!r}."))

    def _ask_password(self):
        if not os.isatty(0):
            raise CommandError("No terminal to ask for a password: set MGREVIEW_PASSWORD.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
