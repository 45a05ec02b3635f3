from django.contrib import admin

from .models import Asset, AssetGeneration, AssetMetadata, AssetUserState


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("filename", "library", "kind", "taken_at", "camera_model", "size", "status")
    list_filter = ("kind", "status", "library", "camera_make")
    search_fields = ("filename", "path", "camera_model", "lens", "content_hash")
    date_hierarchy = "taken_at"
    list_select_related = ("library",)
    readonly_fields = ("id", "created", "updated")
    show_full_result_count = False  # COUNT(*) over a big library is slow and rarely needed


@admin.register(AssetMetadata)
class AssetMetadataAdmin(admin.ModelAdmin):
    list_display = ("asset",)
    search_fields = ("asset__filename",)
    raw_id_fields = ("asset",)


@admin.register(AssetUserState)
class AssetUserStateAdmin(admin.ModelAdmin):
    list_display = ("user", "asset", "favorite", "rating", "rejected", "updated")
    list_filter = ("favorite", "rejected", "rating")
    search_fields = ("user__username", "asset__filename")
    raw_id_fields = ("asset",)


@admin.register(AssetGeneration)
class AssetGenerationAdmin(admin.ModelAdmin):
    """AI images' prompts and parameters, as the metadata stage read them from the files."""

    list_display = ("asset", "generator", "model_name", "sampler", "steps")
    list_filter = ("generator",)
    search_fields = ("asset__filename", "model_name", "prompt")
    raw_id_fields = ("asset",)
    show_full_result_count = False
