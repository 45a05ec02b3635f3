from django.db import models
from django.db.models import Q

from .asset import Asset


class AssetQuality(models.Model):
    """The measures behind an asset's quality score (`Asset.quality`), from its stored preview
    (apps/assets/quality/measure.py). No visibility of its own: read through the asset's."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="quality_detail")
    sharpness = models.FloatField(help_text="Variance of the Laplacian of the whole frame")
    face_sharpness = models.FloatField(null=True, blank=True, help_text="The same inside the largest face")
    highlights = models.FloatField(help_text="Fraction of clipped highlights (0-1)")
    shadows = models.FloatField(help_text="Fraction of clipped shadows (0-1)")
    noise = models.FloatField(help_text="Estimated noise standard deviation, grey levels")
    faces = models.PositiveSmallIntegerField(default=0)
    face_size = models.FloatField(null=True, blank=True, help_text="Largest face height / the frame's short side")
    frontal = models.FloatField(null=True, blank=True, help_text="1 facing the camera, 0 in profile")
    blurry = models.BooleanField(default=False)
    badly_exposed = models.BooleanField(default=False)
    version = models.PositiveSmallIntegerField(default=1, help_text="Formula version (measure.VERSION)")
    measured_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The `blurry` and `badly_exposed` filters probe these by asset (EXISTS); most rows are neither.
            models.Index(fields=["asset"], name="quality_blurry", condition=Q(blurry=True)),
            models.Index(fields=["asset"], name="quality_badly_exposed", condition=Q(badly_exposed=True)),
        ]

    def __str__(self):
        return f"quality of {self.asset_id}"
