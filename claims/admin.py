"""
The admin is the reviewers' bulk tool. Reviewers are staff so they can use it;
what they may see and change is decided here from the same rules as the
review pages (Rating.objects.visible_to, is_lead).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import exports
from .importer import MAX_BYTES, AlreadyImported, ImportRefused, analyse, save
from .models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    Consensus,
    Extrapolation,
    FlagSource,
    MarketingFlag,
    MarketingPattern,
    Rating,
    Study,
    is_lead,
)


def is_owner_or_superuser(user, obj):
    return obj is None or user.is_superuser or obj.reviewer_id == user.pk


class RatingForm(forms.ModelForm):
    extrapolation_concerns = forms.TypedMultipleChoiceField(
        choices=Extrapolation.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Rating
        fields = ["claim", "evidence_strength", "verdict", "extrapolation_concerns", "notes"]


class ArticleImportForm(forms.Form):
    file = forms.FileField(help_text="A .txt or .html file in UTF-8, at most 20 MB.")
    title = forms.CharField(max_length=300, required=False, help_text="Leave blank to take it from the file.")
    url = forms.URLField(
        label="URL",
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text="Where it was published, if known.",
    )
    publisher = forms.CharField(max_length=200, required=False, help_text="Site or brand that published it.")


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "promotes_product", "source_file", "retrieved_on", "created_at"]
    list_filter = ["promotes_product", "publisher"]
    search_fields = ["title", "slug", "publisher", "source_file"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["content_hash", "created_at", "updated_at"]
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
                    f"{article.marketing_flags.count()} suggested marketing flag(s). Accept or reject them below.",
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
            draft = analyse(upload.name, upload.read(), title=data["title"] or None)
            return save(draft, url=data["url"], publisher=data["publisher"])
        except AlreadyImported as exc:
            link = reverse("admin:claims_article_change", args=[exc.article.pk])
            form.add_error(
                "file",
                format_html(
                    'This text is already imported as <a href="{}">{}</a>; nothing changed.', link, exc.article.title
                ),
            )
        except ImportRefused as exc:
            form.add_error("file", f"Not imported: {exc}")
        return None


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["study"]
    readonly_fields = ["added_by"]


class RatingInline(admin.TabularInline):
    """Ratings on a claim, blinded: a reviewer sees only the ones visible_to them."""

    model = Rating
    form = RatingForm
    extra = 0
    fields = ["reviewer", "evidence_strength", "verdict", "extrapolation_concerns", "notes", "updated_at"]
    readonly_fields = ["reviewer", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer").visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        # Inline rows are edited in the Rating admin, where ownership is checked per row.
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MarketingFlagInline(admin.TabularInline):
    model = MarketingFlag
    extra = 0
    fields = ["text", "category", "state", "source", "start", "end"]
    readonly_fields = ["text", "source", "start", "end"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["id", "short_statement", "article", "topic", "population", "status"]
    list_filter = ["status", "topic", "population", "article"]
    search_fields = ["quote", "statement", "studies__citation"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    readonly_fields = ["quote_in_context", "created_at", "updated_at"]
    fields = [
        "article",
        "quote_in_context",
        "quote",
        "start",
        "end",
        "statement",
        "topic",
        "population",
        "status",
        "created_at",
        "updated_at",
    ]
    inlines = [CitationInline, RatingInline, MarketingFlagInline]
    actions = ["accept_suggestions", "reject_suggestions", "export_csv"]

    @admin.display(description="statement")
    def short_statement(self, obj):
        return obj.statement[:100]

    @admin.display(description="in context")
    def quote_in_context(self, obj):
        if not obj.pk:
            return "—"
        before, quote, after = obj.context()
        return format_html('<p class="claim-context">{}<mark>{}</mark>{}</p>', before, quote, after)

    @admin.action(description="Accept selected suggestions for review")
    def accept_suggestions(self, request, queryset):
        updated = queryset.filter(status="suggested").update(status="under_review")
        self.message_user(request, f"{updated} suggestion(s) accepted for review.")

    @admin.action(description="Reject selected suggestions")
    def reject_suggestions(self, request, queryset):
        updated = queryset.filter(status="suggested").update(status="rejected")
        self.message_user(request, f"{updated} suggestion(s) rejected.")

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset):
        # The /export/claims.csv columns; rating_count counts what the user may export.
        return exports.CLAIMS.response(queryset.order_by(*Claim._meta.ordering), request.user)


@admin.register(Study)
class StudyAdmin(SimpleHistoryAdmin):
    list_display = ["citation", "design", "year", "journal", "doi", "pmid"]
    list_filter = ["design"]
    search_fields = ["citation", "title", "authors", "journal", "doi", "pmid"]


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    """A reviewer's ratings are theirs: saved under their own user, changed only by them."""

    form = RatingForm
    list_display = ["id", "claim", "reviewer", "evidence_strength", "verdict", "updated_at"]
    list_filter = ["evidence_strength", "verdict"]
    search_fields = ["claim__quote", "claim__statement", "notes"]
    list_select_related = ["claim", "reviewer"]
    autocomplete_fields = ["claim"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset):
        # The /export/ratings.csv columns and rule: exportable_to is narrower than visible_to.
        ratings = queryset.exportable_to(request.user).order_by(*Rating._meta.ordering)
        return exports.RATINGS.response(ratings, request.user)

    def get_list_filter(self, request):
        # Filtering by reviewer would reveal who rated what: leads only.
        return [*self.list_filter, "reviewer"] if is_lead(request.user) else self.list_filter

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_owner_or_superuser(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_owner_or_superuser(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        # A rating stays on the claim it was made for.
        return ["claim"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reviewer = request.user
        super().save_model(request, obj, form, change)


@admin.register(Consensus)
class ConsensusAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "evidence_strength", "verdict", "decided_by", "updated_at"]
    list_filter = ["evidence_strength", "verdict"]
    search_fields = ["claim__quote", "claim__statement", "rationale"]
    list_select_related = ["claim", "decided_by"]
    autocomplete_fields = ["claim"]
    readonly_fields = ["decided_by"]

    def save_model(self, request, obj, form, change):
        obj.decided_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MarketingPattern)
class MarketingPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "is_regex", "category", "enabled", "explanation"]
    list_filter = ["category", "enabled", "is_regex"]
    list_editable = ["enabled"]
    search_fields = ["pattern", "explanation"]


@admin.register(MarketingFlag)
class MarketingFlagAdmin(SimpleHistoryAdmin):
    list_display = ["text", "category", "state", "source", "article", "claim", "raised_by"]
    list_filter = ["state", "category", "source", "article"]
    search_fields = ["text"]
    list_select_related = ["article", "claim", "raised_by"]
    autocomplete_fields = ["article", "claim"]
    readonly_fields = ["source", "pattern", "raised_by"]
    actions = ["confirm_flags", "dismiss_flags"]

    def _may_change(self, request, obj):
        # Reviewers change their own flags and the detector's suggestions; leads change all.
        return obj is None or obj.may_be_changed_by(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.raised_by = request.user
            obj.source = FlagSource.REVIEWER
        super().save_model(request, obj, form, change)

    @admin.action(description="Confirm selected flags")
    def confirm_flags(self, request, queryset):
        self._set_state(request, queryset, "confirmed")

    @admin.action(description="Dismiss selected flags")
    def dismiss_flags(self, request, queryset):
        self._set_state(request, queryset, "dismissed")

    def _set_state(self, request, queryset, state):
        count = 0
        for flag in queryset:  # one save per flag so each change is kept in history
            if self._may_change(request, flag):
                flag.state = state
                flag.save(update_fields=["state", "updated_at"])
                count += 1
        self.message_user(request, f"{count} flag(s) marked {state}.")
