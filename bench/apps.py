from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Synthetic data for the benchmarks (seed_synthetic); the site itself never needs it."""

    name = "bench"
