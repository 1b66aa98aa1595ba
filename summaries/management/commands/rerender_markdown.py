"""Render every stored Markdown text again, after the renderer or its allowlist changed.

Safe to run again: each row's HTML is simply recomputed from its source text. A text
the renderer now refuses as too slow (RenderTooSlow) keeps its stored HTML: the row is
reported and skipped.
"""

from django.core.management.base import BaseCommand

from accounts.models import Profile
from shortscience.pagecache import content_changed
from shortscience.rendering import RenderTooSlow, render_markdown
from summaries.models import Comment, Summary

BATCH_SIZE = 500

# (model, source field, HTML field) for everything users write in Markdown.
RENDERED_FIELDS = [
    (Summary, "body", "body_html"),
    (Comment, "body", "body_html"),
    (Profile, "bio", "bio_html"),
]


class Command(BaseCommand):
    help = "Re-render stored Markdown (summaries, comments, bios) with the current renderer."

    def handle(self, *args, **options):
        for model, source, target in RENDERED_FIELDS:
            total = model.objects.count()
            changed = skipped = 0
            batch = []
            rows = model.objects.only("pk", source, target).order_by("pk")
            for done, row in enumerate(rows.iterator(chunk_size=BATCH_SIZE), start=1):
                try:
                    html = str(render_markdown(getattr(row, source)))
                except RenderTooSlow:
                    skipped += 1
                    self.stderr.write(
                        f"  {model._meta.verbose_name} {row.pk}: too slow to render, skipped."
                    )
                    continue
                if html != getattr(row, target):
                    setattr(row, target, html)
                    batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    changed += len(batch)
                    model.objects.bulk_update(batch, [target])
                    batch = []
                    self.stdout.write(f"  {model._meta.verbose_name_plural}: {done}/{total}")
            if batch:
                changed += len(batch)
                model.objects.bulk_update(batch, [target])
            summary = (
                f"{model._meta.verbose_name_plural.capitalize()}: {total - skipped} rendered, "
                f"{changed} changed"
            )
            self.stdout.write(f"{summary}, {skipped} skipped." if skipped else f"{summary}.")
        content_changed()
