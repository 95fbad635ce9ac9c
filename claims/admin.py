"""
The admin is the reviewers' bulk tool. Reviewers are staff so they can use it,
and it is one more way in, not a side door: what a user may see and change here
is what claims/policy.py says, and every change goes through the same domain
methods as the review pages (Rating.objects.record, Rating.withdraw,
Claim.record_consensus, Claim.decide_suggestion, MarketingFlag.set_state and
edit). The history pages list only what the user may see and never write.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import policy
from .forms import StudyIdentifiersForm
from .models import (
    Article,
    Citation,
    Claim,
    ClaimTopic,
    Consensus,
    Extrapolation,
    FlagSource,
    MarketingFlag,
    MarketingPattern,
    Rating,
    Study,
    Substance,
    visible_ratings_q,
)


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """
    django-simple-history's admin, held to the policy. Its history list and
    history form pages show only the history rows visible_history() lets the
    user see (a hidden or unknown object is a 404), and its "revert" form,
    which would save an old row back past every rule, refuses any write
    (policy.may_revert_history). SimpleHistoryAdmin itself checks only view
    permission and saves whatever a POST sends.
    """

    # A function of the user giving the filter on this model's history rows they
    # may see, or None (they see all); None here: every row.
    history_visibility = None

    def visible_history(self, request, records):
        """The history rows of this model `request.user` may see."""
        visible = self.history_visibility(request.user) if self.history_visibility else None
        return records if visible is None else records.filter(visible)

    def _object_id(self, object_id):
        """The primary key in a URL, or None when it is not one (a 404, not a 500)."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return None

    def _history_of(self, request, object_id):
        object_id = self._object_id(object_id)
        if object_id is None:
            raise Http404
        return self.visible_history(request, self.model.history.filter(**{self.model._meta.pk.attname: object_id}))

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return self.visible_history(request, records)

    def history_view(self, request, object_id, extra_context=None):
        # The object must be one the user may see, or (deleted) have history rows they may see.
        if not self._history_of(request, object_id).exists() and not self._visible_object(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def _visible_object(self, request, object_id):
        object_id = self._object_id(object_id)
        return object_id is not None and self.get_queryset(request).filter(pk=object_id).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD") and not policy.may_revert_history(request.user):
            raise PermissionDenied("History is a record: make a new change on the review pages instead.")
        if (
            not str(version_id).isdigit()
            or not self._history_of(request, object_id).filter(history_id=version_id).exists()
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return not policy.may_revert_history(request.user)


class FormForUser:
    """An admin whose form checks the domain's rules for the user who saves it (form.user)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


def _refused(exc):
    """A domain refusal met after the form was valid (a concurrent change): 403, nothing saved."""
    return PermissionDenied(" ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


class RatingForm(forms.ModelForm):
    """The admin's rating form; the rules are Rating.objects.record's, checked here first to show them as errors."""

    extrapolation_concerns = forms.TypedMultipleChoiceField(
        choices=Extrapolation.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Rating
        fields = ["claim", "evidence_strength", "verdict", "extrapolation_concerns", "notes"]

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        claim = self.instance.claim if self.instance.pk else cleaned.get("claim")
        if user is None or claim is None:
            return cleaned
        rating = self.instance if self.instance.pk else None
        if rating is None and Rating.objects.filter(claim=claim, reviewer=user).exists():
            raise ValidationError("You have already rated this claim; change that rating instead.", code="rated")
        refusal = policy.rating_refusal(user, claim, rating)
        if refusal is not None:
            raise ValidationError(refusal.message, code=refusal.code)
        return cleaned


class PublishedFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", "Published"), ("no", "Draft")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.public()
        if self.value() == "no":
            return queryset.drafts()
        return queryset


@admin.register(Article)
class ArticleAdmin(GuardedHistoryAdmin):
    list_display = [
        "title",
        "publisher",
        "published_at",
        "promotes_product",
        "source_file",
        "retrieved_on",
        "created_at",
    ]
    list_filter = [PublishedFilter, "promotes_product", "publisher"]
    search_fields = ["title", "slug", "publisher", "source_file"]
    prepopulated_fields = {"slug": ["title"]}
    # Publication is set only by Article.publish (the action below, the review page, the command).
    readonly_fields = ["content_hash", "published_at", "published_by", "created_at", "updated_at"]
    actions = ["publish_articles"]

    def has_publish_permission(self, request):
        return policy.may_publish(request.user)

    @admin.action(description="Publish selected draft articles", permissions=["publish"])
    def publish_articles(self, request, queryset):
        # The action list already hides this from non-leads; a forged POST is refused here.
        if not policy.may_publish(request.user):
            raise PermissionDenied("Only lead reviewers can publish an article.")
        published = skipped = 0
        for article in queryset.defer("text").order_by("pk"):
            try:
                article.publish(by=request.user)  # one history row each
            except ValidationError:
                skipped += 1
            else:
                published += 1
        self.message_user(request, f"{published} article(s) published.")
        if skipped:
            self.message_user(
                request, f"{skipped} selected article(s) were already published; unchanged.", messages.WARNING
            )


class ReadOnlyInline(admin.TabularInline):
    """
    Inline rows shown, not edited: changes to them go through the review
    pages and the rows' own admin pages, where the rules are checked per row.
    """

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CitationInline(ReadOnlyInline):
    model = Citation
    fields = ["study", "origin", "added_by"]
    readonly_fields = fields


class RatingInline(ReadOnlyInline):
    """Ratings on a claim, blinded: a reviewer sees only the ones visible_to them."""

    model = Rating
    fields = ["reviewer", "evidence_strength", "verdict", "extrapolation_concerns", "notes", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer").visible_to(request.user)


class MarketingFlagInline(ReadOnlyInline):
    model = MarketingFlag
    fields = ["text", "category", "state", "source", "start", "end"]
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(GuardedHistoryAdmin):
    list_display = ["id", "short_statement", "article", "topic", "population", "status"]
    list_filter = ["status", "topic", "population", "article"]
    search_fields = ["quote", "statement", "studies__citation"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    # The status moves only through the review workflow (consensus, reopen, suggestions).
    readonly_fields = ["quote_in_context", "status", "created_at", "updated_at"]
    fields = [
        "article",
        "quote_in_context",
        "quote",
        "start",
        "end",
        "statement",
        "substance",
        "topic",
        "population",
        "status",
        "created_at",
        "updated_at",
    ]
    inlines = [CitationInline, RatingInline, MarketingFlagInline]
    actions = ["accept_suggestions", "reject_suggestions"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            # The topics table (lead reviewers edit it), in its order; the claim stores the slug.
            return forms.ChoiceField(
                choices=ClaimTopic.choices, required=True, label="Topic", help_text=db_field.help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="statement")
    def short_statement(self, obj):
        return obj.statement[:100]

    @admin.display(description="in context")
    def quote_in_context(self, obj):
        if not obj.pk:
            return "—"
        before, quote, after = obj.context()
        return format_html('<p class="claim-context">{}<mark>{}</mark>{}</p>', before, quote, after)

    def has_publish_permission(self, request):
        return policy.may_publish(request.user)

    @admin.action(description="Accept selected suggestions for review", permissions=["publish"])
    def accept_suggestions(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description="Reject selected suggestions", permissions=["publish"])
    def reject_suggestions(self, request, queryset):
        self._decide(request, queryset, accept=False)

    def _decide(self, request, queryset, accept):
        # The action list already hides these from non-leads; a forged POST is refused here.
        if not policy.may_publish(request.user):
            raise PermissionDenied("Only lead reviewers can accept or reject suggested claims.")
        decided = skipped = unwritten = 0
        for claim in queryset.order_by("pk"):
            try:
                claim.decide_suggestion(request.user, accept=accept)  # one history row each
            except ValidationError as exc:
                if any(error.code == "statement_required" for error in exc.error_list):
                    unwritten += 1
                else:
                    skipped += 1
            else:
                decided += 1
        verb = "accepted for review" if accept else "rejected"
        self.message_user(request, f"{decided} suggestion(s) {verb}.")
        if skipped:
            self.message_user(
                request, f"{skipped} selected claim(s) were not suggestions; unchanged.", messages.WARNING
            )
        if unwritten:
            self.message_user(
                request,
                f"{unwritten} suggestion(s) have no neutral statement yet, so were not accepted: write one on "
                "Review → Suggestions, or edit the claim here, then accept it.",
                messages.WARNING,
            )


class StudyAdminForm(StudyIdentifiersForm):
    class Meta(StudyIdentifiersForm.Meta):
        fields = [
            "citation",
            "kind",
            "doi",
            "pmid",
            "url",
            "verified_at",
            "title",
            "authors",
            "year",
            "journal",
            "design",
        ]


@admin.register(Study)
class StudyAdmin(GuardedHistoryAdmin):
    form = StudyAdminForm
    list_display = ["citation", "design", "year", "journal", "doi", "pmid"]
    list_filter = ["design"]
    search_fields = ["citation", "title", "authors", "journal", "doi", "pmid"]

    def get_readonly_fields(self, request, obj=None):
        # How an article writes its citation is the article's text: leads only may correct it.
        if obj is not None and policy.citation_text_refusal(request.user, obj.is_cited_by_article()):
            return ["citation"]
        return []


@admin.register(Rating)
class RatingAdmin(FormForUser, GuardedHistoryAdmin):
    """A reviewer's ratings are theirs: given and changed only through Rating.objects.record."""

    form = RatingForm
    list_display = ["id", "claim", "reviewer", "evidence_strength", "verdict", "updated_at"]
    list_filter = ["evidence_strength", "verdict"]
    search_fields = ["claim__quote", "claim__statement", "notes"]
    list_select_related = ["claim", "reviewer"]
    autocomplete_fields = ["claim"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    history_visibility = staticmethod(visible_ratings_q)

    def get_list_filter(self, request):
        # Filtering by reviewer would reveal who rated what: leads only.
        return [*self.list_filter, "reviewer"] if policy.sees_every_rating(request.user) else self.list_filter

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.may_change_rating(request.user, obj.claim, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policy.may_change_rating(request.user, obj.claim, obj))

    def get_readonly_fields(self, request, obj=None):
        # A rating stays on the claim it was made for.
        return ["claim"] if obj else []

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in form.Meta.fields if field != "claim"}
        try:
            rating, _ = Rating.objects.record(obj.claim, request.user, **values)
        except (ValidationError, PermissionDenied) as exc:
            raise _refused(exc) from exc
        obj.pk, obj.reviewer = rating.pk, rating.reviewer

    def delete_model(self, request, obj):
        obj.withdraw(request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for rating in queryset.select_related("claim"):
                rating.withdraw(request.user)


class ConsensusForm(forms.ModelForm):
    """The admin's consensus form; the rules are Claim.record_consensus's, checked here first as errors."""

    class Meta:
        model = Consensus
        fields = ["claim", "evidence_strength", "verdict", "rationale"]

    def clean(self):
        cleaned = super().clean()
        claim = self.instance.claim if self.instance.pk else cleaned.get("claim")
        user = getattr(self, "user", None)
        if claim is not None and user is not None:
            refusal = policy.consensus_refusal(user, claim, claim.ratings.count())
            if refusal is not None:
                raise ValidationError(refusal.message, code=refusal.code)
        return cleaned

    def validate_unique(self):
        # A reopened claim keeps its row, and record_consensus updates it: not a duplicate.
        pass


@admin.register(Consensus)
class ConsensusAdmin(FormForUser, GuardedHistoryAdmin):
    form = ConsensusForm
    list_display = ["claim", "evidence_strength", "verdict", "decided_by", "updated_at"]
    list_filter = ["evidence_strength", "verdict"]
    search_fields = ["claim__quote", "claim__statement", "rationale"]
    list_select_related = ["claim", "decided_by"]
    autocomplete_fields = ["claim"]
    readonly_fields = ["decided_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    history_visibility = staticmethod(policy.visible_consensus_q)

    def get_readonly_fields(self, request, obj=None):
        return ["claim", "decided_by"] if obj else ["decided_by"]

    def has_change_permission(self, request, obj=None):
        # Read-only unless record_consensus would take it: a finalized claim is reopened on its review page first.
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or policy.may_change_consensus(request.user, obj.claim, obj.claim.ratings.count())
        )

    def has_delete_permission(self, request, obj=None):
        # Never deleted: a reopened claim keeps its consensus, and history keeps every version.
        return False

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in ("evidence_strength", "verdict", "rationale")}
        try:
            saved = obj.claim.record_consensus(request.user, **values)
        except (ValidationError, PermissionDenied) as exc:
            raise _refused(exc) from exc
        obj.pk, obj.decided_by = saved.pk, saved.decided_by


@admin.register(MarketingPattern)
class MarketingPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "is_regex", "category", "enabled", "explanation"]
    list_filter = ["category", "enabled", "is_regex"]
    list_editable = ["enabled"]
    search_fields = ["pattern", "explanation"]


@admin.register(MarketingFlag)
class MarketingFlagAdmin(GuardedHistoryAdmin):
    list_display = ["text", "category", "state", "source", "article", "claim", "raised_by"]
    list_filter = ["state", "category", "source", "article"]
    search_fields = ["text"]
    list_select_related = ["article", "claim", "raised_by"]
    autocomplete_fields = ["article", "claim"]
    actions = ["confirm_flags", "dismiss_flags"]
    # What MarketingFlag.edit changes; the span is fixed once raised.
    editable_on_change = ["category", "claim", "state"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["source", "pattern", "raised_by"]
        return ["article", "start", "end", "text", "source", "pattern", "raised_by"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.may_change_flag(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policy.may_change_flag(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.raised_by = request.user
            obj.source = FlagSource.REVIEWER
            obj._history_user = request.user
            obj.save()
            return
        flag = MarketingFlag.objects.get(pk=obj.pk)
        changes = {field: getattr(obj, field) for field in self.editable_on_change if field in form.changed_data}
        try:
            flag.edit(request.user, **changes)
        except (ValidationError, PermissionDenied) as exc:
            raise _refused(exc) from exc

    def delete_model(self, request, obj):
        obj.withdraw(request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for flag in queryset:
                flag.withdraw(request.user)

    @admin.action(description="Confirm selected flags")
    def confirm_flags(self, request, queryset):
        self._set_state(request, queryset, "confirmed")

    @admin.action(description="Dismiss selected flags")
    def dismiss_flags(self, request, queryset):
        self._set_state(request, queryset, "dismissed")

    def _set_state(self, request, queryset, state):
        flags = list(queryset)
        refused = [flag for flag in flags if not policy.may_change_flag(request.user, flag)]
        if refused:
            # All or nothing, as the bulk delete: a partial change would be easy to miss.
            self.message_user(
                request,
                f"Nothing changed: you may not change {len(refused)} of the selected flags "
                "(reviewers change the detector's suggestions and their own flags).",
                messages.ERROR,
            )
            return
        with transaction.atomic():
            for flag in flags:  # one save per flag so each change is kept in history
                flag.set_state(state, request.user)
        self.message_user(request, f"{len(flags)} flag(s) marked {state}.")


class VocabularyAdmin(GuardedHistoryAdmin):
    """
    Substances and topics: lead reviewers add, change and delete them; other
    reviewers may look (policy.may_edit_vocabulary). The model permissions of
    the groups are not consulted: the policy is the one rule.
    """

    def has_module_permission(self, request):
        return policy.may_view_vocabulary(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_view_vocabulary(request.user)

    def has_add_permission(self, request):
        return policy.may_edit_vocabulary(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.may_edit_vocabulary(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.may_edit_vocabulary(request.user)


@admin.register(Substance)
class SubstanceAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "parent", "claim_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims"))

    @admin.display(description="Claims", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

    # Deleting one still in use (claims, or forms under it) is refused by PROTECT: the admin's
    # delete page lists what holds it and deletes nothing.


@admin.register(ClaimTopic)
class ClaimTopicAdmin(VocabularyAdmin):
    list_display = ["label", "slug", "position"]
    list_editable = ["position"]
    ordering = ["position", "slug"]
    search_fields = ["label", "slug", "keywords"]

    def get_readonly_fields(self, request, obj=None):
        # Claims hold the slug (links, the CSV): it is set when a topic is added, then kept.
        return ["slug"] if obj is not None else []

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for topic in objs:
            used = topic.claims_using().count()
            if used:
                protected.append(
                    f"{used} claim(s) filed under the topic “{topic.label}”: move them to another topic first"
                )
        return deleted, model_count, perms_needed, protected
