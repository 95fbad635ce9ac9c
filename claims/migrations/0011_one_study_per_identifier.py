"""One study per DOI and per PMID (0010 first clears duplicates, in a transaction of its own)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_trust_rules"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="study",
            constraint=models.UniqueConstraint(
                condition=models.Q(("doi", ""), _negated=True),
                fields=("doi",),
                name="one_study_per_doi",
                violation_error_message="A study with this DOI is already recorded; link that study instead.",
            ),
        ),
        migrations.AddConstraint(
            model_name="study",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pmid", ""), _negated=True),
                fields=("pmid",),
                name="one_study_per_pmid",
                violation_error_message="A study with this PMID is already recorded; link that study instead.",
            ),
        ),
    ]
