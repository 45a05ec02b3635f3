from django.db import models

from apps.core.querysets import VisibleQuerySet  # noqa: F401 - models import it from here too


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Pause(models.Model):
    """Work an admin paused from the Jobs page, by key: a pipeline stage's name ("thumbnail",
    "faces") or a kind of job ("scan", "duplicates", "upload"). Queued work of a paused key is not
    started (apps/core/pauses.py); a row's absence means running."""

    key = models.CharField(max_length=32, primary_key=True)
    paused_at = models.DateTimeField(auto_now_add=True)
    paused_by = models.CharField(max_length=150, blank=True, help_text="Username of who paused it")
    skipped = models.BooleanField(default=False, help_text="Work was left undone while paused")

    def __str__(self):
        return f"{self.key} paused"
