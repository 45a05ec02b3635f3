"""Albums in the Django admin, with their items, members and links inline. Items are added and
removed through the services (positions, search documents), like the API."""

from django.contrib import admin, messages

from apps.core.errors import ServiceError

from . import services
from .models import Album, AlbumItem, AlbumMember, ShareLink


class ItemInline(admin.TabularInline):
    model = AlbumItem
    fields = ("asset", "position", "added_by", "added_at", "trashed")
    readonly_fields = ("asset", "added_by", "added_at", "trashed")
    ordering = ("position", "id")
    extra = 0
    show_change_link = False
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # add photos from the app or the API: they check who may add what


class MemberInline(admin.TabularInline):
    model = AlbumMember
    fields = ("user", "role", "added_at")
    readonly_fields = ("added_at",)
    raw_id_fields = ("user",)
    extra = 0


class LinkInline(admin.TabularInline):
    model = ShareLink
    fk_name = "album"
    fields = ("token", "owner", "expires_at", "allow_download", "show_metadata", "revoked_at", "last_opened")
    readonly_fields = ("token", "owner", "last_opened")
    extra = 0


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "kind", "item_count", "start_at", "end_at", "updated")
    list_filter = ("kind", "sort")
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner", "cover")
    readonly_fields = ("item_count", "start_at", "end_at", "created", "updated")
    inlines = [MemberInline, LinkInline, ItemInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not AlbumItem:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        removed = [item.asset_id for item in formset.deleted_objects]
        if removed:
            try:
                services.remove_items(request.user, form.instance, removed)
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "album", "expires_at", "revoked_at", "last_opened", "created")
    list_filter = ("allow_download", "show_metadata")
    search_fields = ("album__title", "title", "owner__username")
    raw_id_fields = ("owner", "album", "assets")
    readonly_fields = ("token", "last_opened", "created")
    exclude = ("password",)  # a hash: set it from the app or the API
