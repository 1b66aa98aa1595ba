from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "summaries"

    def ready(self):
        # Registers what makes a member established (accounts.permissions.is_established).
        from . import permissions  # noqa: F401
