from django.db import models


class HiddenMemory(models.Model):
    """A user's "don't show me this again" on one memory: the photos of `year` around the calendar
    day `month`/`day`. Alice hiding a year hides it for Alice only."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="hidden_memories")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "month", "day"], name="hiddenmemory_unique"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.year}-{self.month:02}-{self.day:02}"


class TimelineMonthDelta(models.Model):
    """How many assets (alive, with a capture time) a library holds per month, as deltas that
    PostgreSQL triggers append on every INSERT, DELETE and UPDATE of assets (migration 0006), so the
    scrubber of a whole library sums a few hundred rows instead of grouping a million. Reads compact
    them (apps/assets/explore/timeline.py). Months are UTC months."""

    library = models.ForeignKey("scanning.Library", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    month = models.DateField()
    delta = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["library", "month"], name="timeline_delta_library_month")]

    def __str__(self):
        return f"{self.library_id}:{self.month:%Y-%m}:{self.delta:+}"
