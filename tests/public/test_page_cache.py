"""
Conditional GETs and the server cache of public pages (public/caching.py).

These tests commit (transaction=True) so that the data version advances as it
does in production, after each commit: a 304 or a stored page must never
outlive a change the public can see.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from claims.choices import FlagState
from claims.models import Article, Claim, DataVersion, ReviewerPseudonym
from public.caching import etag_for, public_page
from tests import factories
from tests.public_pages import VERSION_QUERY, reviewed_claim

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Zentora Calm is a fictional product. Magnesium cures anxiety in rats. "
    "Our drops are the purest on earth. Magnesium glycinate helps sleep."
)


@pytest.fixture
def article(cast):
    return factories.make_article(TEXT, title="Zentora Calm drops", slug="zentora-calm")


@pytest.fixture
def claim(article, cast):
    alice, bob, carol = cast
    claim = reviewed_claim(article, "Magnesium cures anxiety in rats.", [alice, bob], carol, strength="very_low")
    # As the first page showing a rating would (a write, so a new version): done before the tests read.
    ReviewerPseudonym.objects.assign_missing()
    return claim


def revalidate(client, url, response):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])


# --------------------------------------------------------------------------
# Headers and 304s


def test_an_anonymous_page_carries_an_etag_and_asks_caches_to_revalidate(client, claim):
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"] == etag_for(DataVersion.current())
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "no-cache"}
    assert "Cookie" in response["Vary"]
    assert not response.has_header("Last-Modified")


def test_a_conditional_get_is_a_304_with_one_query_while_nothing_changed(client, claim, django_assert_num_queries):
    first = client.get(claim.get_absolute_url())
    with django_assert_num_queries(VERSION_QUERY):
        again = revalidate(client, claim.get_absolute_url(), first)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", ["export_claims", "export_ratings"])
def test_both_exports_answer_conditional_gets(client, claim, name):
    url = reverse(name)
    first = client.get(url)
    assert first.status_code == 200
    b"".join(first.streaming_content)
    assert revalidate(client, url, first).status_code == 304
    factories.make_claim(claim.article, "Our drops are the purest on earth.")
    changed = revalidate(client, url, first)
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_wrong_etag_gets_the_page(client, claim):
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert b"Magnesium cures anxiety in rats." in response.content


# --------------------------------------------------------------------------
# Every kind of change the public can see makes the next revalidation a 200 with the new content


def _change_consensus(claim, cast):
    claim.reopen(cast[2])
    Claim.objects.get(pk=claim.pk).record_consensus(cast[2], "low", "partially", "One small fictional human trial.")
    return "One small fictional human trial."


def _reopen(claim, cast):
    claim.reopen(cast[2])
    return "Under review"


def _confirm_flag(claim, cast):
    flag = factories.make_flag(claim.article, "Magnesium cures anxiety", category="disease-claim")
    flag.set_state(FlagState.CONFIRMED, cast[2])
    return "Disease claim"


def _link_study(claim, cast):
    study = factories.make_study(citation="A fictional trial of Zentora drops")
    Claim.objects.get(pk=claim.pk).link_study(study, cast[0])
    return "A fictional trial of Zentora drops"


CHANGES = {
    "consensus": _change_consensus,
    "reopen": _reopen,
    "confirmed flag": _confirm_flag,
    "linked study": _link_study,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_each_change_makes_the_claim_page_new_again(client, page_cache, claim, cast, change):
    url = claim.get_absolute_url()
    first = client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    shows = CHANGES[change](Claim.objects.get(pk=claim.pk), cast)
    assert shows.encode() not in first.content
    after = revalidate(client, url, first)
    assert after.status_code == 200
    assert after["X-Page-Cache"] == "miss"
    assert shows.encode() in after.content


def test_publishing_an_article_makes_the_article_list_new_again(client, page_cache, claim, cast):
    draft = factories.make_article(TEXT.replace("Zentora", "Quillbrook"), title="Quillbrook tonic", published_at=None)
    url = reverse("article_list")
    first = client.get(url)
    assert b"Quillbrook tonic" not in first.content
    draft.publish(by=cast[2])
    after = revalidate(client, url, first)
    assert after.status_code == 200
    assert b"Quillbrook tonic" in after.content


def test_an_admin_edit_makes_the_article_page_new_again(client, page_cache, claim, cast):
    url = claim.article.get_absolute_url()
    first = client.get(url)
    admin = factories.make_user("root", is_staff=True, is_superuser=True)
    editor = type(client)()
    editor.force_login(admin)
    change = reverse("admin:claims_article_change", args=[claim.article.pk])
    form = editor.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title="Zentora Calm drops, renamed", text=claim.article.text)
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False and v is not None}
    response = editor.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    after = revalidate(client, url, first)
    assert after.status_code == 200
    assert b"Zentora Calm drops, renamed" in after.content


def test_an_import_advances_the_version(client, claim, tmp_path):
    before = DataVersion.current().token
    page = tmp_path / "fictional.txt"
    page.write_text("Brightwell Vitals sells a fictional tonic.\n\nMagnesium cures migraines in everyone.\n")
    call_command("import_article", str(page), stdout=None)
    assert Article.objects.filter(source_file__endswith="fictional.txt").exists()
    assert DataVersion.current().token != before


def test_a_published_import_makes_the_article_list_new_again(client, page_cache, claim, cast, tmp_path):
    url = reverse("article_list")
    first = client.get(url)
    page = tmp_path / "brightwell.txt"
    page.write_text("Brightwell Vitals Tonic\n\nBrightwell Vitals sells a fictional tonic that cures migraines.\n")
    call_command("import_article", str(page), "--publish", "--by", cast[2].username, stdout=None)
    after = revalidate(client, url, first)
    assert after.status_code == 200
    assert b"Brightwell Vitals Tonic" in after.content


# --------------------------------------------------------------------------
# The data version itself


def test_a_write_advances_the_version_after_its_commit_and_a_rollback_advances_nothing(claim):
    before = DataVersion.current().number
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(statement="Changed by raw update")
        assert DataVersion.current().number == before  # not before the commit
    assert DataVersion.current().number == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(statement="Rolled back")
        raise RuntimeError
    assert DataVersion.current().number == before + 1


def test_the_current_version_is_the_row_as_the_orm_reads_it(claim):
    DataVersion.advance()
    stored = DataVersion.objects.get(pk=1)
    current = DataVersion.current()
    assert (current.pk, current.number, current.changed_at) == (stored.pk, stored.number, stored.changed_at)
    assert current.changed_at.tzinfo is not None  # an aware datetime on both engines, as the ORM gives
    assert current.token == stored.token
    assert DataVersion.upcoming().number == stored.number + 1


def test_the_current_version_is_created_when_the_row_is_gone(db):
    DataVersion.objects.all().delete()
    version = DataVersion.current()
    assert version.pk == 1
    assert DataVersion.objects.filter(pk=1).exists()
    assert DataVersion.current().token == version.token


def test_the_version_read_is_the_health_check_of_a_kept_connection(claim, monkeypatch):
    connection.ensure_connection()
    connection.health_check_done = False  # as at the start of a request on a kept connection
    monkeypatch.setattr(connection, "is_usable", lambda: pytest.fail("a second round trip to check the connection"))
    assert DataVersion.current().pk == 1
    assert connection.health_check_done


def test_the_version_is_read_again_after_the_database_dropped_the_connection(claim):
    if connection.vendor != "postgresql":
        pytest.skip("only a server can drop a connection; SQLite's is a file")
    expected = DataVersion.current().token
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    connection.health_check_done = False
    assert DataVersion.current().token == expected
    assert connection.connection.info.backend_pid != pid


def test_raw_sql_on_a_domain_table_advances_the_version(claim):
    before = DataVersion.current().number
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET statement = %s WHERE id = %s", ["Raw", claim.pk])
    assert DataVersion.current().number == before + 1


def test_a_login_does_not_advance_the_version(client, cast):
    before = DataVersion.current().number
    client.force_login(cast[0])  # sessions and last_login: nothing the public sees
    assert DataVersion.current().number == before


def test_many_writes_in_one_transaction_advance_it_once(article):
    before = DataVersion.current().number
    with transaction.atomic():
        for quote in ("Magnesium cures anxiety in rats.", "Our drops are the purest on earth."):
            factories.make_claim(article, quote)
    assert DataVersion.current().number == before + 1


# --------------------------------------------------------------------------
# The server cache


def test_a_repeat_anonymous_reader_is_served_from_the_cache_with_one_query(
    client, page_cache, claim, django_assert_num_queries
):
    url = reverse("claim_list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(VERSION_QUERY):
        again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert b"Magnesium cures anxiety in rats." in again.content
    assert again["Content-Type"].startswith("text/html")


def test_a_reviewer_is_never_served_the_cached_page_nor_fills_the_cache(client, page_cache, claim, cast):
    url = reverse("claim_list")
    client.get(url)  # an anonymous reader stores the page
    reviewer = type(client)()
    reviewer.force_login(cast[0])
    response = reviewer.get(url)
    assert not response.has_header("X-Page-Cache")
    assert not response.has_header("ETag")
    assert {part.strip() for part in response["Cache-Control"].split(",")} == {"private", "no-store"}
    assert b"Log out alice" in response.content
    page_cache.clear()
    reviewer.get(url)
    anonymous = client.get(url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert b"Log out" not in anonymous.content


def test_a_reviewers_if_none_match_gets_the_page_not_a_304(client, claim, cast):
    first = client.get(claim.get_absolute_url())
    client.force_login(cast[0])
    assert revalidate(client, claim.get_absolute_url(), first).status_code == 200


def test_the_exports_are_revalidated_but_never_stored(client, page_cache, claim):
    response = client.get(reverse("export_claims"))
    b"".join(response.streaming_content)
    assert not response.has_header("X-Page-Cache")
    assert client.get(reverse("export_claims")).streaming


def test_a_page_that_used_a_csrf_token_is_not_stored(page_cache, db):
    @public_page
    def view(request):
        return HttpResponse(f"token {get_token(request)}")

    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/fictional/")
    request.user = AnonymousUser()
    assert view(request)["X-Page-Cache"] == "miss"
    request = RequestFactory().get("/fictional/")
    request.user = AnonymousUser()
    assert view(request)["X-Page-Cache"] == "miss"


def test_errors_are_not_stored(client, page_cache, db):
    url = reverse("claim_detail", args=[987654])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert not client.get(url).has_header("X-Page-Cache")


def test_review_pages_tell_proxies_not_to_keep_them(client, cast):
    client.force_login(cast[0])
    response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_blinded_rating_leaves_the_version_and_the_cache_alone(client, page_cache, article, cast):
    under_review = factories.make_claim(article, "Our drops are the purest on earth.")
    url = reverse("claim_list")
    client.get(url)
    before = DataVersion.current().number
    factories.make_rating(under_review, cast[0])
    assert DataVersion.current().number == before
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_rating_of_a_finalized_claim_advances_the_version(claim, cast):
    before = DataVersion.current().number
    rating = claim.ratings.get(reviewer=cast[0])
    rating.notes = "Revised after the fictional panel met."
    rating.save()
    assert DataVersion.current().number == before + 1


def test_a_stored_page_keeps_the_security_headers_of_every_page(client, page_cache, claim):
    url = reverse("claim_list")
    first = client.get(url)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert hit[header] == first[header], header


def test_a_reader_waits_for_a_page_another_worker_is_building_instead_of_building_it(
    client, page_cache, claim, monkeypatch, django_assert_num_queries
):
    from public import caching

    url = reverse("claim_list")
    client.get(url)  # learn the key's content by building it once
    [key] = [k for k in page_cache._cache if ":page:" in k and not k.endswith(":building")]
    entry = page_cache.get(key.split(":", 2)[2])
    page_cache.clear()
    page_cache.add(key.split(":", 2)[2] + ":building", 1)
    # The other worker stores the page while this reader waits.
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: page_cache.set(key.split(":", 2)[2], entry))
    with django_assert_num_queries(VERSION_QUERY):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"


def test_a_build_that_ends_without_storing_frees_its_marker(client, page_cache, db):
    url = reverse("claim_detail", args=[987654])
    assert client.get(url).status_code == 404
    assert not [k for k in page_cache._cache if k.endswith(":building")]


PAGES_WITHOUT_PARAMETERS = ["home", "stats"]


@pytest.mark.parametrize("name", PAGES_WITHOUT_PARAMETERS)
def test_junk_query_strings_do_not_build_a_page_again(client, page_cache, claim, name):
    url = reverse(name)
    assert client.get(url, {"x": "1"})["X-Page-Cache"] == "miss"
    assert client.get(url, {"x": "2"})["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_pages_keyed_without_their_query_string_never_show_it(client, claim):
    # Were one to show it, the first reader's query string would be served to the next.
    from public import urls

    factories.cite(claim, factories.make_study(citation="A fictional cited study"))
    for pattern in urls.urlpatterns:
        if getattr(pattern.callback, "public_page_query", True):
            continue
        kwargs = {}
        if "pk" in pattern.pattern.converters:
            kwargs = {"pk": claim.pk if pattern.name == "claim_detail" else claim.studies.first().pk}
        if "slug" in pattern.pattern.converters:
            kwargs = {"slug": claim.article.slug}
        response = client.get(reverse(pattern.name, kwargs=kwargs), {"marker": "zqxjmarker"})
        assert response.status_code == 200, pattern.name
        assert b"zqxjmarker" not in response.content, pattern.name


def test_listing_pages_keep_their_query_string_in_the_key(client, page_cache, claim):
    url = reverse("claim_list")
    client.get(url, {"topic": "sleep"})
    assert client.get(url, {"topic": "migraine"})["X-Page-Cache"] == "miss"


# --------------------------------------------------------------------------
# Each process's copies of the pages it served, in front of the shared cache


@pytest.fixture
def local_copies(settings, page_cache):
    from public.caching import recent_pages

    settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES = 1024 * 1024
    recent_pages.clear()
    yield recent_pages
    recent_pages.clear()


def test_a_page_served_once_is_served_again_from_the_process_copy(client, local_copies, page_cache, claim):
    url = claim.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    page_cache.clear()  # the shared cache forgets it (evicted, or Redis restarted): the copy is as good
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert b"Magnesium cures anxiety in rats." in again.content


def test_a_process_copy_is_never_served_after_a_change(client, local_copies, claim, cast):
    url = claim.get_absolute_url()
    first = client.get(url)
    shows = _change_consensus(Claim.objects.get(pk=claim.pk), cast)
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert shows.encode() in after.content
    assert after["ETag"] != first["ETag"]


def test_without_process_copies_a_page_the_shared_cache_forgot_is_built_again(client, settings, page_cache, claim):
    settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES = 0
    url = claim.get_absolute_url()
    client.get(url)
    page_cache.clear()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_process_copies_keep_to_their_bytes_dropping_the_least_recently_used(settings, local_copies):
    settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES = 250
    page = {"content": b"x" * 100, "headers": []}
    local_copies.put("a", page)
    local_copies.put("b", page)
    assert local_copies.get("a") is page  # a is now the most recently used
    local_copies.put("c", page)
    assert local_copies.get("b") is None
    assert local_copies.get("a") is page and local_copies.get("c") is page
    local_copies.put("big", {"content": b"x" * 251, "headers": []})
    assert local_copies.get("big") is None
    assert local_copies.get("a") is page
