from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"

    def ready(self):
        # Tells the renderer which papers \cite{key} names (shortscience.rendering).
        from . import citations  # noqa: F401
