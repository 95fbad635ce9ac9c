"""Create the Reviewers and Lead reviewers groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_PERMS = [
    "view_article",
    "view_claim",
    "view_study",
    "add_study",
    "change_study",
    "view_citation",
    "add_citation",
    "delete_citation",
    "view_rating",
    "add_rating",
    "change_rating",
    "delete_rating",
    "view_consensus",
    "view_marketingflag",
    "add_marketingflag",
    "change_marketingflag",
    "delete_marketingflag",
    "view_marketingpattern",
]
LEAD_EXTRA_PERMS = [
    "add_article",
    "change_article",
    "delete_article",
    "add_claim",
    "change_claim",
    "delete_claim",
    "delete_study",
    "change_citation",
    "add_consensus",
    "change_consensus",
    "delete_consensus",
    "add_marketingpattern",
    "change_marketingpattern",
    "delete_marketingpattern",
    "finalize_claim",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="claims")}
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set([perms[c] for c in REVIEWER_PERMS])
    leads, _ = Group.objects.get_or_create(name="Lead reviewers")
    leads.permissions.set([perms[c] for c in REVIEWER_PERMS + LEAD_EXTRA_PERMS])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reviewers", "Lead reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
