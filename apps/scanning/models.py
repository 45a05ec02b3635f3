from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import VisibleQuerySet


class LibraryQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(owner=user))


class Library(models.Model):
    """A folder of originals indexed in place."""

    name = models.CharField(max_length=200)
    root_path = models.CharField(max_length=4096, unique=True, help_text="Absolute path of the folder")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="libraries")
    read_only = models.BooleanField(default=True, help_text="MediaHub never writes into this folder")
    paused = models.BooleanField(default=False, help_text="Scans and the watcher skip a paused library")
    created = models.DateTimeField(auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "libraries"

    def __str__(self):
        return self.name
