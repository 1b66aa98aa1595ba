from django.apps import AppConfig


class ShortscienceConfig(AppConfig):
    """Project-wide pieces with no models: the cache table, seed_demo, error pages."""

    name = "shortscience"
