"""Stacks: read one (its visible members), make one by hand, choose its cover, take it apart.

Reading needs a member the caller sees; everything else needs the right to change every member
(StackQuerySet), so a shared album's viewer reads stacks and never changes them."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assets.models import Stack
from apps.assets.stacks import services
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.querysets import Action

from .serializers.stacks import (
    CoverSerializer,
    StackCreateSerializer,
    StackSerializer,
    UnstackedSerializer,
    UnstackSerializer,
)


class StackViewSet(RestrictedViewSet):
    queryset = Stack.objects.all()
    serializer_class = StackSerializer
    pagination_class = None
    filter_backends = ()
    # Making a stack and unstacking a selection check every asset in the service.
    action_permissions = {"create": Action.VIEW, "unstack": Action.VIEW, "cover": Action.CHANGE}

    def _answer(self, stack, code=status.HTTP_200_OK):
        members = services.members_visible(stack, self.request.user)
        return Response(StackSerializer(stack, context={"members": members}).data, status=code)

    def retrieve(self, request, pk=None):
        """The stack with the members the caller sees, cover first."""
        return self._answer(self.get_object())

    @extend_schema(request=StackCreateSerializer, responses={201: StackSerializer})
    def create(self, request):
        """Stack these photos (and the stacks they are in) with `cover` on top; every one must be
        the caller's to change. They are no longer left out of automatic stacking."""
        body = StackCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stack = services.stack_by_hand(request.user, body.validated_data["assets"], body.validated_data.get("cover"))
        return self._answer(stack, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Take the stack apart: its members show as single photos and stay so (automatic stacking
        leaves photos unstacked by hand alone)."""
        services.unstack(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CoverSerializer, responses=StackSerializer)
    @action(detail=True, methods=["post"])
    def cover(self, request, pk=None):
        """Choose the member that stands for the stack."""
        stack = self.get_object()
        body = CoverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.set_cover(stack, body.validated_data["cover"]))

    @extend_schema(request=UnstackSerializer, responses=UnstackedSerializer)
    @action(detail=False, methods=["post"])
    def unstack(self, request):
        """Take apart the stacks of these photos (what a selection bar sends)."""
        body = UnstackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.unstack_assets(request.user, body.validated_data["assets"])
        return Response(UnstackedSerializer({"unstacked": count}).data)
