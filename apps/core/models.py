from django.db import models


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VisibleQuerySet(models.QuerySet):
    """Every model holding user content answers `visible_to(user)`: the one visibility filter."""

    def visible_to(self, user):
        raise NotImplementedError
