from django.db import models

from apps.core.querysets import VisibleQuerySet  # noqa: F401 - models import it from here too


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
