"""Webhooks API, admins only (a hook hears what its owner sees: README "Webhooks"). Each admin sees
and changes their own hooks; a superadmin sees every hook.

    GET/POST         /api/webhooks/                   hooks; POST answers the secret, once
    GET/PATCH/DELETE /api/webhooks/{id}/
    GET              /api/webhooks/{id}/deliveries/   the latest 50 deliveries with their attempts
    POST             /api/webhooks/{id}/ping/         a test delivery (event "ping")
    POST             /api/webhooks/{id}/redeliver/    one of its deliveries again
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.accounts.roles import Role
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.errors import NotFound
from apps.core.querysets import Action

from .. import services
from ..models import Delivery, Webhook
from .serializers import (
    DeliverySerializer,
    QueuedSerializer,
    RedeliverSerializer,
    WebhookCreatedSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)

RECENT_DELIVERIES = 50


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class WebhookViewSet(RestrictedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Webhook.objects.all()
    serializer_class = WebhookSerializer
    permission_classes = [HasRole(Role.ADMIN)]
    pagination_class = None  # a few hooks per admin
    action_permissions = {"deliveries": Action.VIEW, "ping": Action.CHANGE, "redeliver": Action.CHANGE}

    def get_queryset(self):
        return super().get_queryset().select_related("owner")

    @extend_schema(request=WebhookCreatedSerializer, responses={201: WebhookCreatedSerializer})
    def create(self, request):
        body = _valid(WebhookSerializer, request)
        hook = services.create_hook(request.user, **body)
        return Response(WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookUpdateSerializer, responses=WebhookSerializer)
    def partial_update(self, request, pk=None):
        body = _valid(WebhookUpdateSerializer, request)
        hook = services.update_hook(request.user, self.get_object(), **body)
        return Response(WebhookSerializer(hook).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_hook(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        hook = self.get_object()
        recent = hook.deliveries.prefetch_related("attempt_log")[:RECENT_DELIVERIES]
        return Response(DeliverySerializer(recent, many=True).data)

    @extend_schema(request=None, responses={202: QueuedSerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = services.ping(request.user, self.get_object())
        return Response({"delivery": delivery.pk}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=RedeliverSerializer, responses={202: QueuedSerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        hook = self.get_object()
        body = _valid(RedeliverSerializer, request)
        delivery = Delivery.objects.filter(hook=hook, pk=body["delivery"]).first()
        if delivery is None:
            raise NotFound("no such delivery of this webhook")
        again = services.redeliver(delivery)
        return Response({"delivery": again.pk}, status=status.HTTP_202_ACCEPTED)
