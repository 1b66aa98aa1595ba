from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "summaries"

    def ready(self):
        # Registers what makes a member established (accounts.permissions.is_established)
        # and what a paper merge moves (papers.merging.moves_on_merge).
        from . import permissions, services  # noqa: F401
