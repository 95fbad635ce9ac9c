"""
Seed the substances and topics, and give existing claims their substance.

Substances: a starting list of common supplements by name (and the forms of
magnesium the corpus discusses), with the other words the importer matches;
no health data. Lead reviewers edit the list in the admin.

Topics: the list that was fixed in choices.Topic, with the same slugs and
labels (so URLs, the CSV and stored claims keep their values), and the
importer's keyword patterns as they were in analysis/importer.py
(TOPIC_KEYWORDS), in the same order: most specific first.

Claims: the substance named in the statement and the quote (the longest name or alias found, so
a form before its parent), else the one the article's text names most (a form
counting for its parent); none when neither names one.

Frozen here: this migration imports no application module. On reverse the
claims lose their substance; seeded rows are removed only if unused.
"""

import re

from django.db import migrations

# (name, slug, parent slug, aliases)
SUBSTANCES = [
    ("Magnesium", "magnesium", None, []),
    ("Magnesium glycinate", "magnesium-glycinate", "magnesium", ["magnesium bisglycinate"]),
    ("Magnesium citrate", "magnesium-citrate", "magnesium", []),
    ("Magnesium oxide", "magnesium-oxide", "magnesium", []),
    ("Magnesium threonate", "magnesium-threonate", "magnesium", ["magnesium l-threonate"]),
    ("Magnesium chloride", "magnesium-chloride", "magnesium", []),
    ("Magnesium sulfate", "magnesium-sulfate", "magnesium", ["magnesium sulphate", "epsom salt", "epsom salts"]),
    ("Magnesium malate", "magnesium-malate", "magnesium", []),
    ("Magnesium taurate", "magnesium-taurate", "magnesium", []),
    ("Ashwagandha", "ashwagandha", None, ["withania somnifera"]),
    ("Turmeric", "turmeric", None, ["curcumin"]),
    ("Zinc", "zinc", None, []),
    ("Vitamin D", "vitamin-d", None, ["vitamin d3", "cholecalciferol"]),
    ("Melatonin", "melatonin", None, []),
    ("Omega-3", "omega-3", None, ["fish oil", "omega-3 fatty acids", "omega 3"]),
    ("Vitamin B12", "vitamin-b12", None, ["cobalamin", "methylcobalamin"]),
    ("Vitamin C", "vitamin-c", None, ["ascorbic acid"]),
    ("Iron", "iron", None, []),
    ("Calcium", "calcium", None, []),
    ("Creatine", "creatine", None, []),
    ("Coenzyme Q10", "coenzyme-q10", None, ["coq10"]),
    ("Probiotics", "probiotics", None, ["probiotic"]),
    ("Collagen", "collagen", None, []),
]

# (slug, label, keywords one per line): choices.Topic and importer.TOPIC_KEYWORDS as of 0022.
TOPICS = [
    ("migraine", "Migraine", r"migraine\w*|headache\w*|aura"),
    ("fibromyalgia", "Fibromyalgia", r"fibromyalgia"),
    ("postoperative_pain", "Post-operative pain", r"post-?operative|surger\w*|anaesthe\w*|anesthe\w*|opioid\w*"),
    ("muscle_cramps", "Muscle cramps", r"cramp\w*|spasm\w*|twitch\w*|restless\s+legs?"),
    ("sleep", "Sleep", r"sleep\w*|insomnia|melatonin|circadian"),
    ("anxiety_stress", "Anxiety & stress", r"anxi\w*|stress\w*|mood|depress\w*|cortisol|calm\w*|relax\w*"),
    (
        "cognition",
        "Cognition",
        r"cogniti\w*|memory|brain|alzheimer\S*|dementia|learning|plasticity|excitotoxic\w*",
    ),
    ("inflammation", "Inflammation", r"inflamm\w*|cytokine\w*|oxidative|c-reactive|crp|ros"),
    ("nerve_regeneration", "Nerve regeneration", r"regenerat\w*|nerve\s+repair|recovery"),
    (
        "neuropathic_pain",
        "Neuropathic pain",
        r"neuropath\w*|neuralgia|nerve\s+pain|sciatica|chronic\s+pain|back\s+pain|pain",
    ),
    (
        "nerve_signalling",
        "Nerve signalling",
        r"nmda|neurotransmit\w*|glutamate|gaba|receptor\w*|synap\w*|ion\s+channel\w*|signal\w*|impulse\w*|electrical",
    ),
    (
        "deficiency",
        "Deficiency",
        r"deficien\w*|hypomagnes\w*|inadequate|insufficient|low\s+(?:\w+\s+)?levels?|depletion",
    ),
    ("dosage", "Dosage", r"\d+\s?mg|dos(?:e|es|age)|per\s+day|a\s+day|daily\s+intake|rda|recommended\s+daily"),
    ("safety", "Safety", r"side[\s-]effects?|safe\w*|adverse|risk\w*|toxic\w*|diarrh\w*|nausea"),
    (
        "absorption",
        "Absorption",
        r"absor\w*|bioavailab\w*|transdermal|skin|oral|citrate|glycinate|oxide|threonate|chloride|soluble|form\s+of",
    ),
    ("general", "General", ""),
]


def matcher(substances):
    """(pattern, {lowercased word: substance}): every name and alias, longest first, as whole words."""
    by_word = {}
    for substance in substances:
        for word in [substance.name, *substance.aliases.splitlines()]:
            if word.strip():
                by_word.setdefault(word.strip().lower(), substance)
    words = sorted(by_word, key=len, reverse=True)
    if not words:
        return None, by_word
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), by_word


def found_in(pattern, by_word, text):
    """[(substance, length of the words found)] in the order the text names them."""
    return [(by_word[" ".join(m.group(0).lower().split())], len(m.group(0))) for m in pattern.finditer(text)]


def seed(apps, schema_editor):
    Substance = apps.get_model("claims", "Substance")
    ClaimTopic = apps.get_model("claims", "ClaimTopic")
    Claim = apps.get_model("claims", "Claim")
    Article = apps.get_model("claims", "Article")

    for position, (slug, label, keywords) in enumerate(TOPICS, start=1):
        ClaimTopic.objects.get_or_create(
            slug=slug, defaults={"label": label, "keywords": keywords, "position": position * 10}
        )
    by_slug = {}
    for name, slug, parent, aliases in SUBSTANCES:
        by_slug[slug], _ = Substance.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": by_slug.get(parent), "aliases": "\n".join(aliases)}
        )

    substances = list(Substance.objects.all())
    pattern, by_word = matcher(substances)
    if pattern is None:
        return
    parents = {s.pk: s.parent_id for s in substances}

    def root(pk):
        while parents.get(pk):
            pk = parents[pk]
        return pk

    for article in Article.objects.filter(claims__isnull=False).distinct().only("pk", "text"):
        counts = {}
        for substance, _length in found_in(pattern, by_word, article.text):
            counts[root(substance.pk)] = counts.get(root(substance.pk), 0) + 1
        default = max(counts, key=lambda pk: (counts[pk], -pk)) if counts else None
        changed = []
        for claim in Claim.objects.filter(article=article, substance__isnull=True).only("pk", "quote", "statement"):
            # The statement too: a quote often leaves its subject unsaid.
            named = found_in(pattern, by_word, f"{claim.statement}\n{claim.quote}")
            # The article's main substance (or a form of it) first, when the quote names it.
            named = [found for found in named if root(found[0].pk) == default] or named
            # The longest name wins; a form (it has a parent) before its parent at the same length.
            best = max(named, key=lambda found: (found[1], found[0].parent_id is not None), default=None)
            substance_id = best[0].pk if best else default
            if substance_id:
                claim.substance_id = substance_id
                changed.append(claim)
        Claim.objects.bulk_update(changed, ["substance"], batch_size=500)


def unseed(apps, schema_editor):
    Substance = apps.get_model("claims", "Substance")
    ClaimTopic = apps.get_model("claims", "ClaimTopic")
    apps.get_model("claims", "Claim").objects.update(substance=None)
    ClaimTopic.objects.filter(slug__in=[t[0] for t in TOPICS]).delete()
    for _name, slug, _parent, _aliases in reversed(SUBSTANCES):
        Substance.objects.filter(slug=slug, forms__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0024_substances_and_topics")]

    operations = [migrations.RunPython(seed, unseed)]
