"""Shapes of the albums API. Writes are checked here for types only; what they mean (who may, which
asset, which user) is the services' to say."""

from django.urls import reverse
from rest_framework import serializers

from apps.albums.models import Album, AlbumItem, AlbumMember, Role, ShareLink
from apps.albums.services import MAX_BATCH
from apps.assets.models import Asset


class AlbumSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    cover = serializers.UUIDField(
        allow_null=True,
        required=False,
        help_text="An asset in the album; null: the first in the album's order",
    )
    shown_cover = serializers.UUIDField(
        read_only=True, allow_null=True, help_text="The cover shown: `cover`, else the first item"
    )
    role = serializers.SerializerMethodField(help_text="owner, viewer or contributor: the caller's")
    query = serializers.JSONField(required=False, help_text="Smart albums: the /api/search/ parameters")
    # Plain text, not a choice: the schema already has an enum named Kind (assets).
    kind = serializers.CharField(read_only=True, help_text="regular, or smart (made by giving `query`)")
    item_count = serializers.SerializerMethodField(
        help_text="Items not in the trash; a smart album's live count"
    )

    class Meta:
        model = Album
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "query",
            "sort",
            "allow_download",
            "cover",
            "shown_cover",
            "owner",
            "role",
            "item_count",
            "start_at",
            "end_at",
            "created",
            "updated",
        ]
        read_only_fields = ["kind", "start_at", "end_at", "created", "updated"]

    def get_role(self, album) -> str:
        user = self.context["request"].user
        if album.owner_id == user.pk:
            return "owner"
        return getattr(album, "my_role", None) or ""

    def get_item_count(self, album) -> int:
        live = self.context.get("live_counts", {})
        return live.get(album.pk, album.item_count)

    def to_representation(self, album):
        data = super().to_representation(album)
        data["cover"] = album.cover_id
        return data


class AlbumAssetSerializer(serializers.ModelSerializer):
    """What a grid needs of an asset; the full record is /api/assets/{id}/."""

    class Meta:
        model = Asset
        fields = [
            "id",
            "filename",
            "kind",
            "mime",
            "taken_at",
            "taken_at_offset",
            "width",
            "height",
            "duration",
            "status",
        ]
        read_only_fields = fields


_WHEN = serializers.DateTimeField()  # formats times as every DRF answer does


class AlbumItemSerializer(serializers.Serializer):
    """An item (or, in a smart album, an asset) with what a grid needs of its asset. Written by hand
    rather than through nested serializers: a page of 500 cost 0.8 s that way, and a few ms so."""

    asset = AlbumAssetSerializer()
    position = serializers.IntegerField(allow_null=True, help_text="Manual order (null in a smart album)")
    added_by = serializers.CharField(allow_null=True, help_text="User name of whoever added it")
    added_at = serializers.DateTimeField(allow_null=True)

    ASSET_FIELDS = AlbumAssetSerializer.Meta.fields

    def to_representation(self, row):
        item = row if isinstance(row, AlbumItem) else None
        asset = item.asset if item else row
        fields = {name: getattr(asset, name) for name in self.ASSET_FIELDS}
        fields["id"] = str(asset.pk)
        fields["taken_at"] = _WHEN.to_representation(asset.taken_at) if asset.taken_at else None
        return {
            "asset": fields,
            "position": item.position if item else None,
            "added_by": item.added_by.username if item and item.added_by_id else None,
            "added_at": _WHEN.to_representation(item.added_at) if item else None,
        }


class MovedSerializer(serializers.Serializer):
    asset = serializers.UUIDField(source="asset_id")
    position = serializers.IntegerField()


class AssetIdsSerializer(serializers.Serializer):
    assets = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=MAX_BATCH)


class ItemResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.IntegerField(
        help_text="This asset's own answer: 201 added, 200 already there, "
        "204 removed, 403 not yours to remove, 404"
    )
    detail = serializers.CharField(allow_blank=True)


class MoveSerializer(serializers.Serializer):
    asset = serializers.UUIDField(help_text="The asset to move")
    after = serializers.UUIDField(
        allow_null=True,
        required=False,
        default=None,
        help_text="Put it right after this asset; null or absent: first",
    )


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = AlbumMember
        fields = ["user", "username", "name", "role", "added_at"]
        read_only_fields = fields


class MemberAddSerializer(serializers.Serializer):
    user = serializers.CharField(help_text="User name or id of a user of this MediaHub")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The public address to hand out")
    album = serializers.IntegerField(source="album_id", allow_null=True, required=False)
    assets = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        write_only=True,
        max_length=MAX_BATCH,
        help_text="Hand-picked assets (instead of an album)",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Empty: no password. Stored hashed",
    )
    has_password = serializers.BooleanField(read_only=True)
    revoked = serializers.BooleanField(required=False, write_only=True, help_text="Revoking is for good")
    asset_count = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "url",
            "token",
            "album",
            "assets",
            "asset_count",
            "title",
            "expires_at",
            "password",
            "has_password",
            "allow_download",
            "show_metadata",
            "revoked",
            "revoked_at",
            "last_opened",
            "created",
        ]
        read_only_fields = ["token", "revoked_at", "last_opened", "created"]

    def get_url(self, link) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("shared-link", kwargs={"token": link.token})
        )

    def get_asset_count(self, link) -> int:
        return link.album.item_count if link.album_id else link.assets.alive().count()  # the trash left out

    def to_representation(self, link):
        data = super().to_representation(link)
        data["revoked"] = link.revoked_at is not None
        return data


class LinkOptionsSerializer(serializers.Serializer):
    """The options of a link made on an album (the album is in the URL)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    allow_download = serializers.BooleanField(required=False)
    show_metadata = serializers.BooleanField(required=False)
