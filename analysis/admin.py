"""
The article importer in the admin: the domain's Article admin (claims/admin.py)
gains an "Import article" page, so that the domain app need not know the importer.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from claims.admin import ArticleAdmin
from claims.models import Article, ClaimStatus

from .importer import (
    MAX_BYTES,
    AlreadyImported,
    ImportRefused,
    ResemblesExisting,
    analyse,
    as_version_of,
    check_resemblance,
    save,
    version_target,
    workload,
)

# The upload page imports the file within the request, so it takes only files it can finish well
# within gunicorn's 30 s worker timeout on a loaded 2-core machine. The time goes with the text
# (about 14 s per MB of dense article text, analysed and saved; real articles hold 5-50 KB) and
# with the page's markup (tags, comments: tens of microseconds each to read), not with the
# file's bytes: a 20 MB page that is mostly an inline image and scripts around a short article
# imports in about 2 s (bench/import_sizes.py, docs/import.md). Both are counted in one pass of
# the extraction's own tokenizer before anything is built (htmltext.workload). The command takes
# any file up to MAX_BYTES.
ADMIN_MAX_TEXT_CHARS = 512 * 1024
ADMIN_MAX_MARKUP = 50_000


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        help_text=f"A .txt or .html file in UTF-8, up to {MAX_BYTES // (1024 * 1024)} MB, with at most "
        f"{ADMIN_MAX_TEXT_CHARS // 1024:,} KB of text and {ADMIN_MAX_MARKUP:,} HTML tags and attributes here "
        "(a saved page's inline images, styles and scripts do not count); larger ones with manage.py "
        "import_article."
    )
    title = forms.CharField(max_length=300, required=False, help_text="Leave blank to take it from the file.")
    url = forms.URLField(
        label="URL",
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text="Where it was published, if known.",
    )
    publisher = forms.CharField(max_length=200, required=False, help_text="Site or brand that published it.")
    retrieved_on = forms.DateField(required=False, help_text="When the page was captured (YYYY-MM-DD), if known.")
    force = forms.BooleanField(
        label="Import as a separate article",
        required=False,
        help_text="Only if the page resembles an article already imported and is nonetheless a different one.",
    )
    new_version_of = forms.ModelChoiceField(
        label="New version of",
        queryset=Article.objects.filter(next_version__isnull=True, is_synthetic=False),
        to_field_name="slug",
        required=False,
        help_text="If the page changed since it was imported: the article it is a new version of. Only its new "
        "sentences are suggested; publishing it carries over that article's claims still quoted, with their reviews.",
    )
    promotes_product = forms.NullBooleanField(
        required=False,
        widget=forms.Select(choices=[("unknown", "Not known"), ("true", "Yes"), ("false", "No")]),
        help_text="Does the page promote a product its publisher sells? Left “Not known”, the article says nothing.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("force") and cleaned.get("new_version_of"):
            raise forms.ValidationError(
                "Choose one: a separate article, or a new version of an article already imported."
            )
        return cleaned


class ArticleImportAdmin(ArticleAdmin):
    """The domain's article admin plus an upload page running the importer."""

    change_list_template = "admin/claims/article/change_list.html"

    def get_urls(self):
        import_url = path("import/", self.admin_site.admin_view(self.import_view), name="claims_article_import")
        return [import_url, *super().get_urls()]

    def import_view(self, request):
        """Upload one article file; the same importer as `manage.py import_article`. Lead reviewers only."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            article = self._import(form)
            if article:
                claims = reverse("admin:claims_claim_changelist")
                query = urlencode({"article__id__exact": article.pk, "status__exact": ClaimStatus.SUGGESTED})
                self.message_user(
                    request,
                    f"Imported “{article.title}” with {article.claims.count()} suggested claim(s) and "
                    f"{article.marketing_flags.count()} suggested marketing flag(s). Accept or reject them below. "
                    "The article is a draft, seen by reviewers alone, until a lead publishes it "
                    "(Review → Drafts, or the Articles action).",
                )
                return redirect(f"{claims}?{query}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/claims/article/import.html", context)

    def _import(self, form):
        upload, data = form.cleaned_data["file"], form.cleaned_data
        try:
            if upload.size > MAX_BYTES:
                raise ImportRefused(f"{upload.name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            content = upload.read()
            markup, text = workload(upload.name, content, limits=(ADMIN_MAX_MARKUP, ADMIN_MAX_TEXT_CHARS))
            if text > ADMIN_MAX_TEXT_CHARS or markup > ADMIN_MAX_MARKUP:
                raise ImportRefused(
                    f"{upload.name}: {_too_much(markup, text)} to import before the server's time limit for a "
                    f"request. Import it with `manage.py import_article FILE` (up to {MAX_BYTES // (1024 * 1024)} MB, "
                    "no time limit). Nothing was imported."
                )
            draft = analyse(upload.name, content, title=data["title"] or None)
            previous = data["new_version_of"]
            if previous is not None:
                as_version_of(draft, version_target(previous.slug))
            if not draft.existing():
                check_resemblance(draft, force=data["force"] or previous is not None)
            return save(
                draft,
                url=data["url"],
                publisher=data["publisher"],
                retrieved_on=data["retrieved_on"],
                promotes_product=data["promotes_product"],
            )
        except AlreadyImported as exc:
            link = reverse("admin:claims_article_change", args=[exc.article.pk])
            form.add_error(
                "file",
                format_html(
                    'This text is already imported as <a href="{}">{}</a>; nothing changed.', link, exc.article.title
                ),
            )
        except ResemblesExisting as exc:
            link = reverse("admin:claims_article_change", args=[exc.article.pk])
            form.add_error(
                "file",
                format_html(
                    'Not imported: this text is {}% the same as <a href="{}">{}</a>. If the page changed since, '
                    "choose it under “New version of”; if it is a different article, tick “Import as a separate "
                    "article”; and upload it again.",
                    round(exc.score * 100),
                    link,
                    exc.article.title,
                ),
            )
        except ImportRefused as exc:
            form.add_error("file", f"Not imported: {exc}")
        return None


def _too_much(markup, text):
    """What is over the limits; both when both are."""
    # Reading stopped soon after a limit was passed: the counts say "more than".
    over = []
    if text > ADMIN_MAX_TEXT_CHARS:
        over.append(f"more than {ADMIN_MAX_TEXT_CHARS // 1024:,} KB of text")
    if markup > ADMIN_MAX_MARKUP:
        over.append(f"more than {ADMIN_MAX_MARKUP:,} HTML tags and attributes")
    return f"the file holds {' and '.join(over)}, too much"


admin.site.unregister(Article)
admin.site.register(Article, ArticleImportAdmin)
