"""
Articles get a publication state: null published_at is a draft, seen by
reviewers alone. Every article already here was public before drafts existed
(the corpus, the demonstration, earlier imports), so each is marked published
when it was added; nobody is named as having published it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def publish_existing(apps, schema_editor):
    apps.get_model("claims", "Article").objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_automatic_reading"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When a lead reviewer published it; empty for a draft.", null=True
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The lead reviewer who published it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When a lead reviewer published it; empty for a draft.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The lead reviewer who published it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
