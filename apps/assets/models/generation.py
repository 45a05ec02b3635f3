from django.db import models
from django.db.models import Q

from .asset import Asset


class AssetGeneration(models.Model):
    """What an AI image tool wrote into the file: prompt and parameters, one row per generated image.

    Written by the metadata stage (apps/assets/metadata/generation/), read wherever the asset is
    shown: it has no visibility of its own, so every read goes through the asset's (`visible_to`).
    """

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="generation")
    generator = models.CharField(
        max_length=32, blank=True, help_text="The tool: AUTOMATIC1111, Forge, ComfyUI, InvokeAI, NovelAI, Fooocus"
    )
    prompt = models.TextField(blank=True)
    negative_prompt = models.TextField(blank=True)
    steps = models.PositiveIntegerField(null=True, blank=True)
    sampler = models.CharField(max_length=64, blank=True)
    scheduler = models.CharField(max_length=64, blank=True)
    cfg_scale = models.FloatField(null=True, blank=True)
    seed = models.CharField(
        max_length=24, blank=True, help_text="Digits: seeds reach 2**64 - 1, past a bigint"
    )
    width = models.PositiveIntegerField(
        null=True, blank=True, help_text="Generated size (before any upscale)"
    )
    height = models.PositiveIntegerField(null=True, blank=True)
    model_name = models.CharField(
        max_length=255, blank=True, help_text="Checkpoint name, without folder or extension"
    )
    model_hash = models.CharField(max_length=64, blank=True)
    loras = models.JSONField(default=list, blank=True, help_text='[{"name": ..., "weight": ... or null}]')
    extra = models.JSONField(
        default=dict, blank=True, help_text="Other parameters the tool wrote, as text"
    )

    class Meta:
        indexes = [
            # The ai_model / ai_sampler filters and their filter-options counts.
            models.Index(fields=["model_name"], name="generation_model", condition=~Q(model_name="")),
            models.Index(fields=["sampler"], name="generation_sampler", condition=~Q(sampler="")),
        ]

    def __str__(self):
        return f"generation of {self.asset_id}"
