"""
A page that changed after it was reviewed is imported as a new version of its
article (import_article --new-version-of SLUG, or the admin's "New version of"):
only its new sentences are suggested, and publishing it carries over the old
version's claims whose quote it still holds, with their ratings, consensus,
citations and flags; claims whose quote is gone stay on the old version.
"""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Article, Claim, ClaimStatus, MarketingFlag, Rating
from tests import factories
from tests.public_pages import reviewed_claim

pytestmark = pytest.mark.django_db

# A plainly fictional page (a made-up brand), and the same page changed: a paragraph
# added near the top (so every later offset moves), one removed, the rest kept.
CURES = "Magnesium glycinate in the tonic cures insomnia in adults within a week (Varn 2018)."
CALMS = "Our customers say the tonic calms racing thoughts and eases muscle cramps at night."
BOTTLE = "Each bottle holds thirty servings of three hundred milligrams of magnesium, taken with water at bedtime."
NEW_SENTENCE = "New this season: the tonic also reduces anxiety in adults within three days."
OLD = (
    "Orlith Sleep Tonic\n\n"
    "Orlith Sleep Tonic is a fictional drink sold by a made-up brand for this test.\n\n"
    f"{CURES}\n\n{CALMS}\n\n{BOTTLE}\n"
)
NEW = (
    "Orlith Sleep Tonic\n\n"
    "Orlith Sleep Tonic is a fictional drink sold by a made-up brand for this test.\n\n"
    f"{NEW_SENTENCE}\n\n{CURES}\n\n{BOTTLE}\n"
)


@pytest.fixture
def old(alice, bob, carol):
    """The reviewed, published first version: two finalized claims, a cited study, a confirmed flag."""
    article = factories.make_article(OLD, title="Orlith Sleep Tonic", slug="orlith")
    cures = reviewed_claim(article, CURES, [alice, bob], carol, strength="very_low", verdict="does_not_support")
    factories.cite(cures, factories.make_study("(Varn 2018)"))
    reviewed_claim(article, CALMS, [alice, bob], carol)
    factories.make_flag(article, "cures insomnia", category="disease-claim", state="confirmed")
    return article


def run(tmp_path, text, *options, name="orlith-2.txt"):
    page = tmp_path / name
    page.write_text(text)
    out, err = StringIO(), StringIO()
    call_command("import_article", str(page), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def new_version(tmp_path, *options):
    run(tmp_path, NEW, "--new-version-of", "orlith", *options)
    return Article.objects.get(previous_version__slug="orlith")


def test_without_the_option_the_changed_page_is_refused_with_exit_status_2(tmp_path, old):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, NEW)
    assert refused.value.returncode == 2
    assert Article.objects.count() == 1


def test_the_refusal_names_the_option_for_a_new_version(tmp_path, old):
    page = tmp_path / "orlith-2.txt"
    page.write_text(NEW)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(page), stdout=StringIO(), stderr=err)
    assert "--new-version-of orlith" in err.getvalue()


def test_a_new_version_is_a_draft_linked_to_the_old_one(tmp_path, old):
    article = new_version(tmp_path)
    assert article.previous_version == old
    assert not article.is_published
    assert old.next_version == article


def test_only_new_sentences_are_suggested(tmp_path, old):
    article = new_version(tmp_path)
    assert list(article.claims.values_list("quote", flat=True)) == [NEW_SENTENCE]


def test_marketing_hits_in_unchanged_paragraphs_are_not_suggested_again(tmp_path, old):
    article = new_version(tmp_path)
    assert not article.marketing_flags.filter(text__iexact="cures insomnia").exists()


def test_claims_stay_on_the_old_version_until_the_new_one_is_published(tmp_path, old):
    new_version(tmp_path)
    assert set(old.claims.values_list("quote", flat=True)) == {CURES, CALMS}


def test_publishing_carries_over_claims_still_quoted_with_their_reviews(tmp_path, old, carol):
    article = new_version(tmp_path)
    cures = Claim.objects.get(quote=CURES)
    article.publish(by=carol)
    cures.refresh_from_db()
    assert cures.article == article
    assert article.text[cures.start : cures.end] == CURES
    assert cures.start == NEW.index(CURES) != OLD.index(CURES)
    assert cures.status == ClaimStatus.FINALIZED
    assert cures.consensus.evidence_strength == "very_low"
    assert Rating.objects.filter(claim=cures).count() == 2
    assert list(cures.studies.values_list("citation", flat=True)) == ["(Varn 2018)"]


def test_a_claim_whose_quote_is_gone_stays_on_the_old_version(tmp_path, old, carol):
    new_version(tmp_path).publish(by=carol)
    calms = Claim.objects.get(quote=CALMS)
    assert calms.article == old
    assert calms.status == ClaimStatus.FINALIZED


def test_flags_on_text_still_there_move_with_offsets_recomputed(tmp_path, old, carol):
    article = new_version(tmp_path)
    article.publish(by=carol)
    flag = MarketingFlag.objects.get(text="cures insomnia", state="confirmed")
    assert flag.article == article
    assert article.text[flag.start : flag.end] == "cures insomnia"
    assert article.marketing_flags.filter(text="cures insomnia").count() == 1


def test_the_move_is_kept_in_each_claims_history_under_the_lead(tmp_path, old, carol):
    article = new_version(tmp_path)
    article.publish(by=carol)
    record = Claim.objects.get(quote=CURES).history.first()
    assert record.history_user == carol
    assert record.article_id == article.pk
    assert "Carried over" in record.history_change_reason


def test_a_reviewer_cannot_publish_a_version_and_nothing_moves(tmp_path, old, alice):
    article = new_version(tmp_path)
    with pytest.raises(Exception):  # noqa: B017 - the policy's PermissionDenied
        article.publish(by=alice)
    assert set(old.claims.values_list("quote", flat=True)) == {CURES, CALMS}
    assert not Article.objects.get(pk=article.pk).is_published


def test_publish_at_import_carries_over_at_once(tmp_path, old, carol):
    article = new_version(tmp_path, "--publish", "--by", "carol")
    assert article.is_published
    assert set(article.claims.values_list("quote", flat=True)) == {NEW_SENTENCE, CURES}


def test_a_reordered_page_gives_each_claim_its_own_sentence(carol, alice, bob):
    first, second = "Zinc in the lozenge cures colds in adults.", "Zinc in the lozenge cures colds in adults. Twice."
    text = f"Velmora Lozenges\n\n{first}\n\n{second}\n"
    old = factories.make_article(text, slug="velmora")
    a = reviewed_claim(old, first, [alice, bob], carol)
    b = reviewed_claim(old, second, [alice, bob], carol)
    reordered = f"Velmora Lozenges\n\n{second}\n\n{first}\n"
    new = Article.objects.create(title="Velmora", slug="velmora-2", text=reordered, previous_version=old)
    new.publish(by=carol)
    for claim in (a, b):
        claim.refresh_from_db()
        assert claim.article == new
        assert new.text[claim.start : claim.end] == claim.quote
    assert a.start == reordered.rindex(first)


def test_json_reports_which_claims_would_carry_over(tmp_path, old):
    out, _err = run(tmp_path, NEW, "--new-version-of", "orlith", "--json")
    report = json.loads(out)
    assert report["version_of"]["article"] == "orlith"
    assert report["version_of"]["carried_claims"] == [Claim.objects.get(quote=CURES).pk]
    assert report["version_of"]["left_claims"] == [Claim.objects.get(quote=CALMS).pk]


def test_an_unknown_article_is_refused_and_nothing_is_imported(tmp_path, old):
    with pytest.raises(CommandError, match="no article “nope”"):
        run(tmp_path, NEW, "--new-version-of", "nope")
    assert Article.objects.count() == 1


def test_an_article_that_already_has_a_newer_version_is_refused(tmp_path, old):
    new = new_version(tmp_path)
    with pytest.raises(CommandError, match=f"already has a newer version, {new.slug}"):
        run(tmp_path, NEW.replace("three days", "two days"), "--new-version-of", "orlith", name="orlith-3.txt")
    assert Article.objects.count() == 2


def test_force_and_new_version_together_are_refused(tmp_path, old):
    with pytest.raises(CommandError, match="give one of them"):
        run(tmp_path, NEW, "--new-version-of", "orlith", "--force")
    assert Article.objects.count() == 1


def test_the_admin_imports_a_new_version(client, old, carol):
    client.force_login(carol)
    upload = SimpleUploadedFile("orlith-2.txt", NEW.encode())
    response = client.post(
        reverse("admin:claims_article_import"),
        {"file": upload, "new_version_of": "orlith", "promotes_product": "unknown"},
    )
    assert response.status_code == 302
    article = Article.objects.get(previous_version=old)
    assert list(article.claims.values_list("quote", flat=True)) == [NEW_SENTENCE]


def test_the_admin_refuses_a_version_of_an_article_with_a_newer_one(client, tmp_path, old, carol):
    new_version(tmp_path)
    client.force_login(carol)
    upload = SimpleUploadedFile("orlith-3.txt", NEW.replace("three days", "two days").encode())
    response = client.post(
        reverse("admin:claims_article_import"),
        {"file": upload, "new_version_of": "orlith", "promotes_product": "unknown"},
    )
    assert response.status_code == 200
    assert "new_version_of" in response.context["form"].errors
    assert Article.objects.count() == 2


# ---------------------------------------------------------------------------
# The public pages


def test_the_new_version_page_shows_the_history_and_what_changed(client, tmp_path, old, carol):
    article = new_version(tmp_path)
    article.publish(by=carol)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "Versions of this page" in html
    assert response.context["change_counts"] == {"added": 1, "changed": 0, "removed": 1}
    assert NEW_SENTENCE in html.split('class="change-list"')[1]
    assert CALMS in html.split('class="change-list"')[1]
    assert f'href="{old.get_absolute_url()}"' in html


def test_the_old_version_page_points_to_the_newer_one(client, tmp_path, old, carol):
    article = new_version(tmp_path)
    article.publish(by=carol)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "This is an earlier version of the page" in html
    assert f'href="{article.get_absolute_url()}"' in html


def test_a_draft_version_is_not_mentioned_on_the_public_page(client, tmp_path, old):
    article = new_version(tmp_path)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "earlier version" not in html
    assert "Versions of this page" not in html
    assert article.slug not in html


# ---------------------------------------------------------------------------
# The review area


def test_the_drafts_page_says_which_article_a_version_replaces(client, tmp_path, old, carol):
    new_version(tmp_path)
    client.force_login(carol)
    html = client.get(reverse("review:drafts")).content.decode()
    assert "New version of" in html and "(orlith)" in html


def test_the_publish_confirmation_says_what_carries_over(client, tmp_path, old, carol):
    article = new_version(tmp_path)
    client.force_login(carol)
    response = client.post(reverse("review:publish_article", args=[article.slug]))
    html = " ".join(response.content.decode().split())
    assert "carries over 1 claim whose quote it still holds" in html
    assert "1 claim whose quote is gone stays on the earlier version" in html
    assert not Article.objects.get(pk=article.pk).is_published


def test_publishing_from_the_review_area_carries_over(client, tmp_path, old, carol):
    article = new_version(tmp_path)
    client.force_login(carol)
    client.post(reverse("review:publish_article", args=[article.slug]), {"confirmed": "yes"})
    assert Claim.objects.get(quote=CURES).article_id == article.pk
