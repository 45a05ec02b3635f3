import django_filters
from django.db.models import Q

from .models import Album, AlbumItem, AlbumMember


class AlbumFilter(django_filters.FilterSet):
    """Shared by the API and the Albums page; the queryset is already what the caller sees."""

    shared = django_filters.BooleanFilter(
        method="filter_shared", help_text="true: albums shared with you; false: your own"
    )
    asset = django_filters.UUIDFilter(method="filter_asset", help_text="Albums holding this asset")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", help_text="Words in the title")

    class Meta:
        model = Album
        fields = ["kind", "sort"]

    def filter_shared(self, queryset, name, value):
        user = self.request.user
        mine = Q(owner=user)
        return (
            queryset.filter(~mine & Q(pk__in=AlbumMember.objects.filter(user=user).values("album_id")))
            if value
            else queryset.filter(mine)
        )

    def filter_asset(self, queryset, name, value):
        return queryset.filter(
            pk__in=AlbumItem.objects.filter(asset_id=value, trashed=False).values("album_id")
        )
