"""Passkeys over the API: the caller's own (list, rename, remove), the two halves of registering one,
and the two halves of signing in with one (password-less, or as the second factor after the
password on the login page). The ceremonies' challenges live in the session (apps/accounts/passkeys.py)."""

import json

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.accounts import passkeys, pending_login, throttling
from apps.accounts.models import Passkey
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.errors import BadInput

from .serializers import (
    NewPasskeySerializer,
    PasskeyLoginOptionsSerializer,
    PasskeyLoginResultSerializer,
    PasskeyLoginSerializer,
    PasskeyRegistrationSerializer,
    PasskeySerializer,
)


def _safe_next(request, url) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _valid_or_forget(serializer, request) -> None:
    if not serializer.is_valid():
        passkeys.forget_challenge(request.session)
        raise ValidationError(serializer.errors)


class PasskeyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
    RestrictedViewSet,
):
    """The caller's own passkeys. Registering the first one turns the second factor on (with new
    recovery codes, shown once); removing the last one, with no authenticator app, turns it off."""

    queryset = Passkey.objects.all()
    serializer_class = PasskeySerializer
    pagination_class = None  # a handful per user
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_update(self, serializer):
        passkeys.rename(serializer.instance, serializer.validated_data.get("name", serializer.instance.name))

    def perform_destroy(self, instance):
        passkeys.remove(instance)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="register/options")
    def register_options(self, request):
        """PublicKeyCredentialCreationOptions for navigator.credentials.create()."""
        rp = passkeys.relying_party(request)
        options = passkeys.registration_options(request.user, request.session, rp)
        return Response(json.loads(options))

    @extend_schema(request=PasskeyRegistrationSerializer, responses={201: NewPasskeySerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = PasskeyRegistrationSerializer(data=request.data)
        _valid_or_forget(data, request)
        passkey, codes = passkeys.register(
            request.user, request.session, passkeys.relying_party(request),
            data.validated_data["credential"], data.validated_data["name"],
        )
        passkey.recovery_codes = codes
        return Response(NewPasskeySerializer(passkey).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PasskeyLoginOptionsSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="login/options", permission_classes=[AllowAny])
    def login_options(self, request):
        """PublicKeyCredentialRequestOptions for navigator.credentials.get(): password-less, or for
        the account whose password was just given on the login page (`second_factor`)."""
        data = PasskeyLoginOptionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = None
        if data.validated_data["second_factor"]:
            user = pending_login.pending_user(request)
            if user is None:
                raise BadInput(_("log in with your password first"), field="second_factor")
        options = passkeys.authentication_options(request.session, passkeys.relying_party(request), user)
        return Response(json.loads(options))

    @extend_schema(request=PasskeyLoginSerializer, responses={200: PasskeyLoginResultSerializer})
    @action(detail=False, methods=["post"], permission_classes=[AllowAny])
    def login(self, request):
        """Answer the challenge: signs in (a session) and says where to go next."""
        data = PasskeyLoginSerializer(data=request.data)
        _valid_or_forget(data, request)
        pending = pending_login.pending_user(request)
        passkey, second_factor = passkeys.authenticate(
            request.session, passkeys.relying_party(request), data.validated_data["credential"],
            throttling.client_ip(request), pending_user=pending,
        )
        if second_factor:
            next_url = pending_login.finish(request._request, passkey.user)
        else:
            login(request._request, passkey.user, backend=pending_login.BACKEND)
            next_url = _safe_next(request, data.validated_data.get("next"))
        return Response({"next": next_url})
