from django.contrib import admin

from .models import AssetStage, Library, ScanRun


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ("name", "root_path", "owner", "read_only", "paused", "created")
    list_filter = ("read_only", "paused", "shared_with_all", "owner")
    filter_horizontal = ("shared_with",)
    search_fields = ("name", "root_path")
    autocomplete_fields = ("owner",)


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "library",
        "state",
        "started",
        "finished",
        "files_seen",
        "new",
        "changed",
        "moved",
        "missing",
        "errors",
        "covers",
    )
    list_filter = ("state", "library")
    search_fields = ("library__name",)
    list_select_related = ("library",)
    # Written by the scan itself; editing them by hand would only confuse the stale-scan check.
    readonly_fields = ("hostname", "pid", "heartbeat", "created")

    @admin.display(description="covers")
    def covers(self, run):
        """The whole library, or the folders the watcher asked for."""
        folders = run.scope.get("folders", []) if run.scope else []
        if not folders:
            return "whole library"
        return ", ".join(f["path"] or "/" for f in folders[:3]) + (f" (+{len(folders) - 3})" if len(folders) > 3 else "")


@admin.register(AssetStage)
class AssetStageAdmin(admin.ModelAdmin):
    list_display = ("asset", "stage", "done_at", "attempts", "updated")
    list_filter = ("stage",)
    search_fields = ("asset__filename", "error")
    raw_id_fields = ("asset",)
