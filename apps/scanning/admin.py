from django.contrib import admin

from .models import Library


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ("name", "root_path", "owner", "read_only", "paused", "created")
    list_filter = ("read_only", "paused", "owner")
    search_fields = ("name", "root_path")
    autocomplete_fields = ("owner",)
