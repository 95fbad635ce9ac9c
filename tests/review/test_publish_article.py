"""
Publishing a draft article: a lead's decision, wherever it is made (the review
page, the admin action, `import_article --publish --by`), through
Article.publish and policy.publish_refusal; refused to anyone else with
nothing changed, and kept in the article's history.
"""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Article
from tests import factories

pytestmark = pytest.mark.django_db
ARTICLES = reverse("admin:claims_article_changelist")


@pytest.fixture
def draft(db):
    return factories.make_article("Fictional Zanthium page. Zanthium cures headaches.", published_at=None)


def publish_url(article):
    return reverse("review:publish_article", args=[article.slug])


def is_published(article):
    return Article.objects.get(pk=article.pk).published_at is not None


# The domain method


def test_a_lead_publishes_a_draft_and_history_records_who(carol, draft):
    draft.publish(by=carol)
    article = Article.objects.get(pk=draft.pk)
    assert article.published_by == carol and article.published_at is not None
    latest = Article.history.filter(id=draft.pk).latest("history_date")
    assert (latest.published_by_id, latest.history_user) == (carol.pk, carol)


def test_a_reviewer_may_not_publish(alice, draft):
    with pytest.raises(PermissionDenied):
        draft.publish(by=alice)
    assert not is_published(draft)


def test_publishing_twice_is_refused_and_keeps_the_first_publication(carol, draft):
    draft.publish(by=carol)
    first = Article.objects.get(pk=draft.pk).published_at
    lead2 = factories.make_lead("dora")
    with pytest.raises(Exception, match="already published"):
        Article.objects.get(pk=draft.pk).publish(by=lead2)
    assert Article.objects.get(pk=draft.pk).published_at == first


# The review pages


def test_reviewers_see_drafts_listed_and_marked(client, alice, draft):
    client.force_login(alice)
    html = client.get(reverse("review:drafts")).content.decode()
    assert draft.title in html and "Draft — not public" in html
    assert publish_url(draft) not in html  # the button is for leads


def test_reviewers_review_a_draft_claim_marked_not_public(client, alice, draft):
    claim = factories.make_claim(draft, "Zanthium cures headaches.")
    client.force_login(alice)
    response = client.get(claim.get_review_url())
    assert response.status_code == 200
    assert "Draft — not public" in response.content.decode()
    assert client.get(reverse("review:queue")).content.decode().count("Draft — not public") == 1


def test_a_published_article_is_not_marked_draft(client, alice):
    claim = factories.make_claim()
    client.force_login(alice)
    assert "Draft — not public" not in client.get(claim.get_review_url()).content.decode()


def test_the_publish_page_asks_for_confirmation_first(client, carol, draft):
    client.force_login(carol)
    response = client.post(publish_url(draft))
    assert response.status_code == 200 and 'name="confirmed"' in response.content.decode()
    assert not is_published(draft)


def test_a_lead_publishes_from_the_review_area(client, carol, draft):
    client.force_login(carol)
    response = client.post(publish_url(draft), {"confirmed": "yes"})
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).published_by == carol


def test_a_reviewer_is_refused_the_publish_page(client, alice, draft):
    client.force_login(alice)
    assert client.post(publish_url(draft), {"confirmed": "yes"}).status_code == 403
    assert not is_published(draft)


def test_anonymous_publish_goes_to_login(client, draft):
    assert client.post(publish_url(draft), {"confirmed": "yes"}).status_code == 302
    assert not is_published(draft)


def test_publishing_a_published_article_says_so_and_changes_nothing(client, carol, draft):
    draft.publish(by=carol)
    before = Article.history.filter(id=draft.pk).count()
    client.force_login(carol)
    response = client.post(publish_url(draft), {"confirmed": "yes"}, follow=True)
    assert "already published" in response.content.decode()
    assert Article.history.filter(id=draft.pk).count() == before


def test_the_publish_page_needs_post(client, carol, draft):
    client.force_login(carol)
    assert client.get(publish_url(draft)).status_code == 405


# The admin


def admin_publish(client, article):
    return client.post(ARTICLES, {"action": "publish_articles", "_selected_action": [article.pk]})


def test_a_lead_publishes_in_the_admin_with_history(client, carol, draft):
    client.force_login(carol)
    admin_publish(client, draft)
    latest = Article.history.filter(id=draft.pk).latest("history_date")
    assert latest.published_at is not None and latest.history_user == carol


def test_a_reviewer_cannot_publish_in_the_admin(client, alice, draft):
    client.force_login(alice)
    admin_publish(client, draft)
    assert not is_published(draft)


# The command


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "fictional.txt"
    path.write_text("Fictional Zanthium Page\n\nZanthium cures every headache in days.\n", encoding="utf-8")
    return path


def test_an_import_is_a_draft(db, page):
    out = run(page)
    assert "A draft until a lead reviewer publishes it." in out
    assert Article.objects.get().published_at is None


def test_import_publish_by_a_lead(carol, page):
    out = run(page, "--publish", "--by", "carol")
    article = Article.objects.get()
    assert "Published." in out and article.published_by == carol
    assert Article.history.filter(id=article.pk).latest("history_date").history_user == carol


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--publish"], "needs --by"),
        (["--publish", "--by", "alice"], "not a lead reviewer"),
        (["--publish", "--by", "nobody"], "No user"),
        (["--by", "carol"], "give it with --publish"),
    ],
)
def test_import_publish_refused_with_status_2_and_nothing_written(alice, carol, page, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(page, *args)
    assert refused.value.returncode == 2
    assert not Article.objects.exists()


# Queries for /review/drafts/, whatever the number of drafts:
# 1 session, 2 user, 3 user permissions, 4 group permissions, 5 count (paginator),
# 6 the page of drafts with their claim counts.
DRAFTS_QUERIES = 6


@pytest.mark.parametrize("count", [2, 20])
def test_drafts_query_count_is_flat(client, carol, django_assert_num_queries, count):
    for _ in range(count):
        article = factories.make_article(published_at=None)
        factories.make_claim(article)
    client.force_login(carol)
    with django_assert_num_queries(DRAFTS_QUERIES):
        response = client.get(reverse("review:drafts"))
    assert response.content.decode().count("Draft — not public") == count
