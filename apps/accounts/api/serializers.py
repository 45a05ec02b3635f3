from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.accounts.models import ApiToken, Invitation, Passkey, SignupRequest


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


class PasskeySerializer(serializers.ModelSerializer):
    class Meta:
        model = Passkey
        fields = ["id", "name", "created", "last_used", "backed_up", "transports"]
        read_only_fields = ["id", "created", "last_used", "backed_up", "transports"]


class NewPasskeySerializer(PasskeySerializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="Shown once, when the passkey is the account's first second factor; else empty",
    )

    class Meta(PasskeySerializer.Meta):
        fields = PasskeySerializer.Meta.fields + ["recovery_codes"]


class PasskeyRegistrationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    credential = serializers.DictField(help_text="What navigator.credentials.create() gave, as JSON")


class PasskeyLoginOptionsSerializer(serializers.Serializer):
    second_factor = serializers.BooleanField(
        default=False, help_text="For the account whose password was just given, else password-less"
    )


class PasskeyLoginSerializer(serializers.Serializer):
    credential = serializers.DictField(help_text="What navigator.credentials.get() gave, as JSON")
    next = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="Where to go afterwards (a path of this site)")


class PasskeyLoginResultSerializer(serializers.Serializer):
    next = serializers.CharField(read_only=True)


class InvitationSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=90,
        help_text="How long the link stays valid (default MEDIAHUB_INVITATION_DAYS)",
    )

    class Meta:
        model = Invitation
        fields = ["id", "note", "created", "expires_at", "used_at", "days"]
        read_only_fields = ["id", "created", "expires_at", "used_at"]


class NewInvitationSerializer(InvitationSerializer):
    link = serializers.CharField(read_only=True, help_text="Shown once: only a hash of its token is kept")

    class Meta(InvitationSerializer.Meta):
        fields = InvitationSerializer.Meta.fields + ["link"]


class SignupRequestSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True, help_text="May be empty")

    class Meta:
        model = SignupRequest
        fields = ["id", "user", "username", "display_name", "email", "created"]
        read_only_fields = fields
