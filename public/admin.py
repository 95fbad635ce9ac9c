"""
The CSV exports in the admin: "Export selected as CSV" on claims and ratings,
the same files as /export/claims.csv and /export/ratings.csv, added to the
domain's admin (claims/admin.py) here, beside the exports themselves.
"""

from django.contrib import admin

from claims.admin import ClaimAdmin, RatingAdmin
from claims.models import Claim, Rating

from . import exports


class ClaimExportAdmin(ClaimAdmin):
    actions = [*ClaimAdmin.actions, "export_csv"]

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset):
        # The /export/claims.csv columns; rating_count counts what the user may export.
        return exports.CLAIMS.response(queryset.order_by(*Claim._meta.ordering), request.user)


class RatingExportAdmin(RatingAdmin):
    actions = [*RatingAdmin.actions, "export_csv"]

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset):
        # The /export/ratings.csv columns and rule: exportable_to is narrower than visible_to.
        ratings = queryset.exportable_to(request.user).order_by(*Rating._meta.ordering)
        return exports.RATINGS.response(ratings, request.user)


for model, model_admin in ((Claim, ClaimExportAdmin), (Rating, RatingExportAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
