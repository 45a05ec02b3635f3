"""Curation in the Django admin. Changes that move faces go through the services, like the API, so
counts, centroids, rejections and search documents follow."""

from django.contrib import admin, messages

from apps.core.errors import ServiceError

from .models import Face, FaceJob, FaceRejection, FaceSettings, Person
from .services import people as people_services


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "face_count", "hidden", "created")
    list_filter = ("hidden",)
    search_fields = ("name",)
    raw_id_fields = ("cover_face",)
    readonly_fields = ("face_count", "created")
    exclude = ("centroid", "centroid_512")  # 128/512 numbers nobody edits by hand
    actions = ["merge_into_biggest"]

    @admin.action(description="Merge the selected people into one (a named one, else the biggest)")
    def merge_into_biggest(self, request, queryset):
        people = people_services.merge_order(queryset.as_seen_by(request.user))
        if len(people) < 2:
            self.message_user(request, "select at least two people", messages.WARNING)
            return
        try:
            target = people_services.merge_people(request.user, people[1:], people[0])
        except ServiceError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"merged {len(people) - 1} into {target}")

    def delete_model(self, request, obj):
        self.delete_queryset(request, [obj])

    def delete_queryset(self, request, queryset):
        for person in queryset:
            try:
                people_services.delete_person(request.user, person)  # faces stay, unassigned
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(Face)
class FaceAdmin(admin.ModelAdmin):
    list_display = ("id", "asset", "person", "assigned_by", "score", "backend", "created")
    list_filter = ("assigned_by", "backend")
    search_fields = ("person__name", "asset__filename")
    raw_id_fields = ("asset", "person")
    list_select_related = ("asset", "person")
    exclude = ("embedding", "embedding_512")
    show_full_result_count = False


@admin.register(FaceRejection)
class FaceRejectionAdmin(admin.ModelAdmin):
    list_display = ("face", "person", "created_by", "created")
    raw_id_fields = ("face", "person")


@admin.register(FaceSettings)
class FaceSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "updated", "updated_by")
    readonly_fields = ("updated", "updated_by")


@admin.register(FaceJob)
class FaceJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "batches_done", "batches_total", "created", "finished")
    list_filter = ("kind", "state")
    readonly_fields = [f.name for f in FaceJob._meta.fields]
