"""Duplicate groups (list, detail, summary, keep one / keep all / stack) and "similar" for one asset."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.duplicates import services, similar
from apps.assets.duplicates.models import DuplicateGroup
from apps.assets.models import Asset
from apps.core.pagination import KeysetPagination

from .serializers import AssetSerializer


class MemberSerializer(serializers.Serializer):
    asset = AssetSerializer()
    distance = serializers.IntegerField(allow_null=True, help_text="pHash bits differing from the reference")
    hash_match = serializers.BooleanField(help_text="Byte-identical to the reference")
    is_reference = serializers.BooleanField(help_text="The suggested one to keep")


class GroupSerializer(serializers.ModelSerializer):
    # Plain text in the schema: an enum named "kind" would collide with the asset kind's enum.
    kind = serializers.CharField(read_only=True, help_text="exact (same content hash) or near (pHash within the threshold)")
    member_count = serializers.IntegerField(read_only=True)
    recoverable_bytes = serializers.SerializerMethodField(help_text="Bytes of all members but the largest")

    class Meta:
        model = DuplicateGroup
        fields = ["id", "kind", "created", "resolved_at", "resolution", "kept", "member_count", "recoverable_bytes"]
        read_only_fields = fields

    def get_recoverable_bytes(self, group) -> int:
        return services.recoverable(group)


class GroupDetailSerializer(GroupSerializer):
    members = serializers.SerializerMethodField()

    class Meta(GroupSerializer.Meta):
        fields = GroupSerializer.Meta.fields + ["members"]
        read_only_fields = fields

    def get_members(self, group) -> list:
        return MemberSerializer(services.members_of(group), many=True, context=self.context).data


class ChoiceSerializer(serializers.Serializer):
    asset = serializers.UUIDField(required=False, help_text="The member to keep or put on top; default: the suggested one")


class SummarySerializer(serializers.Serializer):
    groups = serializers.IntegerField()
    exact_groups = serializers.IntegerField()
    near_groups = serializers.IntegerField()
    assets = serializers.IntegerField()
    recoverable_bytes = serializers.IntegerField()


class GroupPagination(KeysetPagination):
    ordering_fields = ("created",)
    default_ordering = "-created"


RESOLVED = OpenApiParameter("resolved", OpenApiTypes.BOOL, description="List resolved groups instead of open ones")


class DuplicateGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Duplicate groups the caller can see every member of; a group with one hidden member is not there."""

    queryset = DuplicateGroup.objects.none()  # for the schema; real rows come from services.groups_for
    pagination_class = GroupPagination

    def get_queryset(self):
        resolved = self.request.query_params.get("resolved", "").lower() in ("1", "true", "yes")
        # Lists show open (or resolved) groups; a group's own URL answers whatever its state.
        groups = services.groups_for(self.request.user, resolved=resolved if self.action == "list" else None)
        kind = self.request.query_params.get("kind")
        return groups.filter(kind=kind) if kind else groups

    def get_serializer_class(self):
        return GroupSerializer if self.action == "list" else GroupDetailSerializer

    @extend_schema(parameters=[RESOLVED, OpenApiParameter("kind", OpenApiTypes.STR, enum=["exact", "near"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=SummarySerializer)
    @action(detail=False)
    def summary(self, request):
        """Open groups, the assets in them and the bytes keeping one of each would free."""
        return Response(SummarySerializer(services.summary(request.user)).data)

    def _act(self, request, act):
        group = self.get_object()
        choice = ChoiceSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        try:
            act(group, choice.validated_data.get("asset"))
        except services.ActionRefused as refused:
            return Response({"detail": refused.detail}, status=refused.status)
        return Response(GroupDetailSerializer(self.get_queryset().get(pk=group.pk), context={"request": request}).data)

    @extend_schema(request=ChoiceSerializer, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"])
    def keep(self, request, pk=None):
        """Keep one member; the others go to the trash and their favourites, ratings and location join it."""
        return self._act(request, lambda group, asset: services.keep_one(request.user, group, asset))

    @extend_schema(request=None, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"], url_path="keep-all")
    def keep_all(self, request, pk=None):
        """Dismiss the group: all stay, and the same set is not proposed again."""
        return self._act(request, lambda group, _asset: services.keep_all(request.user, group))

    @extend_schema(request=ChoiceSerializer, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"])
    def stack(self, request, pk=None):
        """Keep all, shown as one stack with the chosen member on top."""
        return self._act(request, lambda group, asset: services.stack(request.user, group, asset))


class SimilarItemSerializer(serializers.Serializer):
    asset = AssetSerializer()
    score = serializers.FloatField(help_text="0-1, higher is more alike")
    distance = serializers.FloatField(
        allow_null=True, help_text="pHash bits (visual; null when only CLIP found it) or histogram L1 (colour)"
    )


class SimilarView(APIView):
    """Assets like this one: visual (pHash, with CLIP where embedded), colour (histogram intersection) or person (shared people)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(similar.KINDS), description="default visual"),
            OpenApiParameter("threshold", OpenApiTypes.NUMBER, description=(
                "visual: max pHash bits apart (default 12); colour: min intersection 0-1 (default 0.6); "
                "person: min shared people (default 1)")),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{similar.MAX_LIMIT}, default 24"),
        ],
        responses=SimilarItemSerializer(many=True),
    )
    def get(self, request, pk):
        asset = get_object_or_404(Asset.objects.visible_to(request.user).alive(), pk=pk)
        query = request.query_params
        try:
            found = similar.similar(
                request.user, asset, query.get("kind", "visual"), query.get("threshold"), query.get("limit", 24)
            )
        except similar.SimilarityUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(SimilarItemSerializer(found, many=True, context={"request": request}).data)
