from django.db import models


class StatDelta(models.Model):
    """Counts of a library's alive assets per statistic, as deltas that PostgreSQL statement
    triggers append on every INSERT, DELETE and UPDATE of assets (migration stats/0001), so the
    Stats page sums a few thousand rows instead of grouping a million assets. Reads fold them
    (apps/stats/services/counts.py), as the timeline's month deltas are (apps/assets/explore).

    `dim` names the statistic and `key` its value:
      total    ''                               every asset (bytes: originals, derivative_bytes)
      type     the MIME type                    bytes of the originals
      day      'YYYY-MM-DD' of the capture, UTC  years and months are sums of days
      clock    'D-HH': ISO weekday and hour on the camera's clock (its offset, else UTC)
      gear     make, model, lens joined by \\x1f
      iso, aperture, shutter, focal   the bucket index of apps/stats/buckets.py
    """

    library = models.ForeignKey("scanning.Library", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind = models.CharField(max_length=8)
    dim = models.CharField(max_length=16)
    key = models.TextField()
    count = models.BigIntegerField()
    bytes = models.BigIntegerField(default=0)
    derivative_bytes = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["dim", "library", "key"], name="statdelta_dim_library_key")]

    def __str__(self):
        return f"{self.library_id}:{self.kind}:{self.dim}:{self.key}:{self.count:+}"
