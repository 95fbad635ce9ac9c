from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public site: read-only pages, charts, the CSV exports, ClaimReview JSON-LD."""

    name = "public"
