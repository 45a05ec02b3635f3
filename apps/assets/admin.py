from django.contrib import admin

from .models import Asset


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("filename", "library", "kind", "taken_at", "camera_model", "size", "status")
    list_filter = ("kind", "status", "library", "camera_make")
    search_fields = ("filename", "path", "camera_model", "lens", "content_hash")
    date_hierarchy = "taken_at"
    list_select_related = ("library",)
    readonly_fields = ("id", "created", "updated")
    show_full_result_count = False  # COUNT(*) over a big library is slow and rarely needed
