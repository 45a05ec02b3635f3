from django.contrib import admin

from .models import AssetTag, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["path", "owner", "source", "colour", "created"]
    list_filter = ["source"]
    search_fields = ["path", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["key", "created"]


@admin.register(AssetTag)
class AssetTagAdmin(admin.ModelAdmin):
    list_display = ["tag", "asset", "created"]
    raw_id_fields = ["asset", "tag"]
    list_select_related = ["tag"]
