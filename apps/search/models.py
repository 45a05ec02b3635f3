from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from apps.assets.models import Asset


class AssetSearch(models.Model):
    """An asset's full-text document and place names, kept out of the asset row so scans stay narrow."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="search")
    document = SearchVectorField(null=True)
    city = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["document"], name="assetsearch_document"),
            models.Index(fields=["city"], name="assetsearch_city", condition=~models.Q(city="")),
        ]

    def __str__(self):
        return f"search document of {self.asset_id}"
