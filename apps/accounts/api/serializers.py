from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.accounts.models import ApiToken


class MeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True, help_text="May be empty")  # "" is no valid `format: email`

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "display_name", "email", "role", "avatar", "is_staff", "is_superuser"]
        read_only_fields = fields


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used"]
        read_only_fields = ["id", "prefix", "created", "last_used"]


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once: it is not stored")

    class Meta(ApiTokenSerializer.Meta):
        fields = ApiTokenSerializer.Meta.fields + ["key"]
