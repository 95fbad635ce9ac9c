"""The admin's "Import article" page: lead reviewers upload a file through the same importer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article, Claim, ClaimStatus

pytestmark = pytest.mark.django_db
URL = reverse("admin:claims_article_import")
ARTICLE = b"Magnesium and Nerves\n\nStudies show magnesium relieves nerve pain (Shin 2020).\n"


def upload(client, content=ARTICLE, name="nerves.txt", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **fields})


def test_the_article_list_offers_import_to_leads_only(client, carol, alice):
    changelist = reverse("admin:claims_article_changelist")
    client.force_login(carol)
    assert URL in client.get(changelist).content.decode()
    client.force_login(alice)
    assert URL not in client.get(changelist).content.decode()


def test_a_lead_imports_a_file_and_lands_on_its_suggested_claims(client, carol):
    client.force_login(carol)
    response = upload(client, title="Nerves", url="https://example.org/a", publisher="Example")
    article = Article.objects.get()
    assert (article.title, article.source_url, article.publisher) == ("Nerves", "https://example.org/a", "Example")
    assert response.status_code == 302
    assert response.url == (
        reverse("admin:claims_claim_changelist") + f"?article__id__exact={article.pk}&status__exact=suggested"
    )
    assert list(Claim.objects.values_list("status", flat=True)) == [ClaimStatus.SUGGESTED]
    page = client.get(response.url)
    assert "Studies show magnesium relieves nerve pain" in page.content.decode()


def test_an_upload_is_a_draft_until_a_lead_publishes_it(client, carol):
    client.force_login(carol)
    response = upload(client, title="Nerves")
    assert Article.objects.get().published_at is None
    assert "is a draft" in client.get(response.url).content.decode()
    client.logout()
    assert client.get(reverse("article_detail", args=[Article.objects.get().slug])).status_code == 404


def test_the_form_is_labelled(client, carol):
    client.force_login(carol)
    html = client.get(URL).content.decode()
    assert '<label for="id_file">' in html and 'enctype="multipart/form-data"' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "empty.txt", "The submitted file is empty."),
        (b"\x00\x01\x02binary", "x.txt", "binary file"),
        ("Gr\xfc\xdfe".encode("latin-1"), "x.txt", "not UTF-8"),
        (b"text", "x.docx", "only .txt and .html"),
    ],
)
def test_a_bad_file_shows_an_error_and_writes_nothing(client, carol, content, name, message):
    client.force_login(carol)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == 0


def test_a_duplicate_upload_points_to_the_existing_article(client, carol):
    client.force_login(carol)
    upload(client)
    response = upload(client, name="again.txt")
    assert response.status_code == 200
    assert "already imported as" in response.content.decode()
    assert Article.objects.count() == 1


def test_reviewers_and_outsiders_cannot_import(client, alice, charlie):
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert upload(client).status_code == 403
    client.force_login(charlie)  # not staff: sent to the admin login
    assert upload(client).status_code == 302
    assert Article.objects.count() == 0
