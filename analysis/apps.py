from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """Text analysis: article import, the citation parser, the marketing detector and their measurement."""

    name = "analysis"
