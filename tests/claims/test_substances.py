"""
Substances: seeded by migration 0025, suggested by the importer, edited in the
admin by lead reviewers only (policy.may_edit_vocabulary), never deleted while
in use. The text is fictional.
"""

import json

import pytest
from django.urls import reverse

from analysis.importer import analyse, guess_substance, save
from claims.models import Claim, Substance
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabularies(db):
    # Seeded by migration 0025; put back if a transactional test flushed them.
    f.ensure_vocabularies()


ADD = reverse("admin:claims_substance_add")
ASHWAGANDHA_ARTICLE = (
    "Brightleaf Ashwagandha Gummies\n\n"
    "Brightleaf ashwagandha gummies reduce stress in just two weeks (Okafor 2021).\n\n"
    "Each gummy also has magnesium glycinate, which improves sleep (Lund 2019).\n"
)


def change_url(substance):
    return reverse("admin:claims_substance_change", args=[substance.pk])


def substance_data(substance, **values):
    data = {
        "name": substance.name,
        "slug": substance.slug,
        "parent": substance.parent_id or "",
        "aliases": substance.aliases,
    }
    return {**data, **values}


def test_the_migration_seeds_substances_with_forms_and_aliases():
    magnesium = Substance.objects.get(slug="magnesium")
    assert magnesium.parent is None
    forms = set(magnesium.forms.values_list("slug", flat=True))
    assert {"magnesium-glycinate", "magnesium-citrate", "magnesium-oxide", "magnesium-threonate"} <= forms
    assert {"magnesium-chloride", "magnesium-sulfate", "magnesium-malate", "magnesium-taurate"} <= forms
    assert "curcumin" in Substance.objects.get(slug="turmeric").alias_list
    assert "fish oil" in Substance.objects.get(slug="omega-3").alias_list
    assert {"ashwagandha", "zinc", "vitamin-d", "melatonin"} <= set(Substance.objects.values_list("slug", flat=True))


def test_an_ashwagandha_sentence_is_about_ashwagandha():
    sentence = "Brightleaf ashwagandha gummies reduce stress in just two weeks."
    assert guess_substance(sentence, article_default=None).slug == "ashwagandha"


def test_a_named_form_wins_over_its_parent():
    sentence = "Brightleaf magnesium glycinate calms the mind, unlike plain magnesium."
    assert guess_substance(sentence, article_default=None).slug == "magnesium-glycinate"


def test_aliases_match_whole_words_in_any_case():
    assert guess_substance("Brightleaf CURCUMIN shots ease aches.", None).slug == "turmeric"
    # "zincite" is not zinc: no substance named, so the article's stands.
    magnesium = Substance.objects.get(slug="magnesium")
    assert guess_substance("Brightleaf zincite crystals hum softly.", magnesium) == magnesium


def test_a_sentence_naming_none_takes_the_articles_substance():
    ashwagandha = Substance.objects.get(slug="ashwagandha")
    assert guess_substance("These gummies reduce stress in two weeks.", ashwagandha) == ashwagandha
    assert guess_substance("These gummies reduce stress in two weeks.", None) is None


def test_the_importer_suggests_and_saves_each_claims_substance():
    draft = analyse("brightleaf.txt", ASHWAGANDHA_ARTICLE.encode())
    report = draft.as_dict()
    assert report["substance"] == "ashwagandha"
    assert [c["substance"] for c in report["claims"]] == ["ashwagandha", "magnesium-glycinate"]
    json.dumps(report)  # the --json output stays JSON
    article = save(draft)
    saved = Claim.objects.filter(article=article).order_by("start")
    assert [c.substance.slug for c in saved] == ["ashwagandha", "magnesium-glycinate"]


def test_the_importer_reads_the_substances_once_per_import():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = "Brightleaf Zinc\n\n" + "".join(f"Brightleaf zinc lozenge {i} cures colds (Ito 2020).\n" for i in range(12))
    with CaptureQueriesContext(connection) as queries:
        analyse("zinc.txt", text.encode())
    assert sum('"claims_substance"' in q["sql"] for q in queries.captured_queries) == 1


def test_a_lead_adds_a_substance_in_the_admin(client, carol):
    client.force_login(carol)
    response = client.post(ADD, {"name": "Brightleaf root", "slug": "brightleaf-root", "parent": "", "aliases": ""})
    assert response.status_code == 302
    assert Substance.objects.filter(slug="brightleaf-root").exists()


def test_a_reviewer_may_view_but_not_change_a_substance(client, alice):
    zinc = Substance.objects.get(slug="zinc")
    client.force_login(alice)
    assert client.get(change_url(zinc)).status_code == 200  # the view-only page
    response = client.post(change_url(zinc), substance_data(zinc, name="Zinc (renamed)"))
    assert response.status_code == 403
    assert client.post(ADD, {"name": "Brightleaf root", "slug": "brightleaf-root"}).status_code == 403
    zinc.refresh_from_db()
    assert zinc.name == "Zinc"
    assert not Substance.objects.filter(slug="brightleaf-root").exists()


def test_an_outsider_cannot_even_see_substances(client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("admin:claims_substance_changelist"))
    assert response.status_code in (302, 403)


def test_a_substance_in_use_is_not_deleted(client, carol):
    zinc = Substance.objects.get(slug="zinc")
    f.make_claim(substance=zinc)
    client.force_login(carol)
    response = client.post(reverse("admin:claims_substance_delete", args=[zinc.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Substance.objects.filter(pk=zinc.pk).exists()


def test_an_unused_substance_is_deleted_by_a_lead(client, carol):
    unused = Substance.objects.create(name="Brightleaf root", slug="brightleaf-root")
    client.force_login(carol)
    response = client.post(reverse("admin:claims_substance_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Substance.objects.filter(pk=unused.pk).exists()


def test_the_corpus_claims_are_about_magnesium_or_a_form_of_it():
    from django.core.management import call_command

    call_command("load_corpus", verbosity=0)
    claims = Claim.objects.select_related("substance__parent")
    assert claims.exists() and not claims.filter(substance__isnull=True).exists()
    outside = [
        c.quote for c in claims if "magnesium" not in (c.substance.slug, c.substance.parent and c.substance.parent.slug)
    ]
    # "As well as controlling the stimulation of calcium in the firing neurons" names calcium
    # alone; its statement ("Magnesium controls calcium stimulation ...") says what it is about.
    assert outside == []
    calcium_quote = claims.get(quote="As well as controlling the stimulation of calcium in the firing neurons")
    assert calcium_quote.substance.slug == "magnesium"
    assert claims.filter(substance__slug="magnesium-glycinate").exists()
