from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from apps.assets.models import Asset
from apps.core.querysets import Action, VisibleQuerySet


class AssetSearch(models.Model):
    """An asset's full-text document and place names, kept out of the asset row so scans stay narrow."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="search")
    # The asset's library, copied and kept by triggers (migration 0005), so a search confined to one
    # library drops other libraries' rows here, before joining each one to its asset (bench_hybrid.py).
    library_id = models.BigIntegerField(null=True, editable=False)
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


class AssetEmbedding(models.Model):
    """An asset's CLIP image embedding (unit length, from its stored preview) for semantic search and
    "similar". 512-d fits ViT-B/32 and its multilingual text twin; `model` says which model made it,
    so a model change re-embeds instead of comparing vectors of two spaces."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    # The asset's library, copied and kept by triggers (migration 0005), so a search confined to one
    # library drops other libraries' rows here, before joining each one to its asset (bench_hybrid.py).
    library_id = models.BigIntegerField(null=True, editable=False)
    vector = VectorField(dimensions=512)
    model = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            HnswIndex(
                name="assetembedding_vector_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.model} embedding of {self.asset_id}"


class AssetFilenameGrams(models.Model):
    """Every 1-, 2- and 3-character piece of an asset's upper-cased file name, so a substring search
    finds its candidates in a GIN index instead of scanning every visible row (the embedded server
    has no pg_trgm). services.search then applies the exact ILIKE to those candidates only.

    Written by the database: statement triggers on the asset table keep one row per asset (insert,
    file name change, delete; migration 0003), so every path that writes assets (ORM, raw SQL,
    bulk inserts) keeps it right, and the ORM never deletes it itself (no constraint, DO_NOTHING).
    """

    asset = models.OneToOneField(Asset, on_delete=models.DO_NOTHING, primary_key=True, db_constraint=False,
                                 related_name="filename_grams")
    grams = ArrayField(models.TextField())

    class Meta:
        indexes = [GinIndex(fields=["grams"], name="assetfilenamegrams_grams")]

    def __str__(self):
        return f"file name pieces of {self.asset_id}"


class AssetTextQuerySet(VisibleQuerySet):
    def visible_to(self, user, action=Action.VIEW):
        """The text read in the photos `user` may `action`: words painted in a photo are as visible
        as its pixels (an album share included), never more."""
        return self.filter(asset__in=Asset.objects.visible_to(user, action))


class AssetText(models.Model):
    """Text recognised in an asset's stored preview (the "ocr" stage, apps/search/ocr/).

    `lines` holds what the overlay draws, in reading order: [{"text", "confidence", "box"}], the box
    being the four corners [[x, y], ...] (clockwise from top left) as fractions of the image's width
    and height, so it fits the preview at any size. `text` is the lines joined for the search document
    and the info panel. A row with no lines says the photo was read and holds no text."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="ocr")
    text = models.TextField(blank=True)
    lines = models.JSONField(default=list, blank=True)
    engine = models.CharField(max_length=100)
    read_at = models.DateTimeField(auto_now=True)

    objects = AssetTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo text")
        verbose_name_plural = _("photo texts")

    def __str__(self):
        return f"text of {self.asset_id}"
