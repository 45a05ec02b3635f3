"""Shapes of the webhooks API. Types are checked here; URLs and names are the services' to judge."""

from rest_framework import serializers

from apps.core.events import EVENTS

from ..models import Attempt, Delivery, Webhook

EVENT_NAMES = list(EVENTS)


class WebhookSerializer(serializers.ModelSerializer):
    url = serializers.CharField(max_length=2000, help_text="http:// or https://; receives a POST per event")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_NAMES), min_length=1, max_length=len(EVENT_NAMES),
        help_text="The events it hears: " + "; ".join(f"{name}: {what}" for name, what in EVENTS.items()),
    )
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "active", "owner", "created"]
        read_only_fields = ["created"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Key of the MediaHub-Signature HMAC; shown only now (and to its owner in the admin)",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    url = serializers.CharField(required=False, max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_NAMES), required=False,
        min_length=1, max_length=len(EVENT_NAMES),
    )
    active = serializers.BooleanField(required=False)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started", "duration_ms", "status_code", "response", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "event", "event_id", "state", "attempts", "next_attempt_at", "created", "finished",
                  "payload", "attempt_log"]


class RedeliverSerializer(serializers.Serializer):
    delivery = serializers.UUIDField(help_text="A delivery of this webhook")


class QueuedSerializer(serializers.Serializer):
    delivery = serializers.UUIDField(help_text="The new delivery: follow it in deliveries/")
