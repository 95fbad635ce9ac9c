from collections import Counter

from django.db import migrations
from django.db.models import Count

# The keys this migration adds (with "fin"): computed afresh, never added twice.
NEW_PREFIXES = ("sub|", "fb|", "db|")


def add_home_keys(apps, schema_editor):
    """
    The home page and the flag and design filters' counts read the site's sums too: each
    article's tally gains its finalized claims ("fin") and its reviewable claims by substance
    ("sub|<id>") and by bit of their flag and design facets ("fb|<bit>", "fb|any",
    "db|<bit>"), every published article is counted (an empty one adds "articles": 1), and the site's sums
    are added up again. As claims/tallies.py defines them (frozen here: migrations do not
    import the app; a test checks they agree).
    """
    Article = apps.get_model("claims", "Article")
    Claim = apps.get_model("claims", "Claim")
    Row = apps.get_model("claims", "StatsTallyRow")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    site = Counter()
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        added = {pk: Counter() for pk in batch}
        finalized = (
            Claim.objects.filter(status="finalized", article_id__in=batch)
            .order_by()
            .values_list("article_id")
            .annotate(n=Count("id"))
        )
        for article_id, n in finalized:
            added[article_id]["fin"] += n
        reviewable = (
            Claim.objects.filter(status__in=["under_review", "finalized"], article_id__in=batch)
            .order_by()
            .values_list("article_id", "substance_id", "flag_bits", "design_bits")
            .annotate(n=Count("id"))
        )
        for article_id, substance_id, flag_bits, design_bits, n in reviewable:
            tally = added[article_id]
            if substance_id is not None:
                tally[f"sub|{substance_id}"] += n
            if flag_bits:
                tally["fb|any"] += n
            for prefix, bits in (("fb", flag_bits), ("db", design_bits)):
                for bit in (1 << i for i in range(bits.bit_length()) if bits >> i & 1):
                    tally[f"{prefix}|{bit}"] += n
        updates = []
        for article in Article.objects.filter(pk__in=batch).only("pk", "stats_tally", "published_at"):
            tally = {key: n for key, n in article.stats_tally.items() if key != "fin" and not key.startswith(NEW_PREFIXES)}
            tally.update(added[article.pk])
            article.stats_tally = {key: n for key, n in sorted(tally.items()) if n}
            article.tally_counted = article.published_at is not None
            updates.append(article)
            if article.tally_counted:
                site.update(article.stats_tally)
                site["articles"] += 1
                site["articles_with_claims"] += any(key.startswith("s|") for key in article.stats_tally)
                site["articles_rated"] += bool(article.stats_tally.get("rated"))
        Article.objects.bulk_update(updates, ["stats_tally", "tally_counted"])
    Row.objects.all().delete()
    Row.objects.bulk_create([Row(key=key, n=n) for key, n in sorted(site.items()) if n])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0029_article_stats_tally"),
    ]

    operations = [
        migrations.RunPython(add_home_keys, migrations.RunPython.noop, elidable=True),
    ]
