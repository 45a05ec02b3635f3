from rest_framework import viewsets

from apps.scanning.models import Library

from .serializers import LibrarySerializer


class LibraryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LibrarySerializer
    queryset = Library.objects.none()  # for the schema; real rows come from visible_to
    filterset_fields = ["paused", "read_only"]

    def get_queryset(self):
        return Library.objects.visible_to(self.request.user).select_related("owner")
