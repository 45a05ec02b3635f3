"""Sign-up administration over the API (superadmins, who manage users): invitation links for
MEDIAHUB_SIGNUP=invite, and the accounts waiting for approval in MEDIAHUB_SIGNUP=approval."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts import signup
from apps.accounts.models import Invitation, SignupRequest
from apps.accounts.permissions import HasRole
from apps.accounts.roles import Role
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.errors import Conflict

from .serializers import InvitationSerializer, NewInvitationSerializer, SignupRequestSerializer


class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet
):
    """Single-use, expiring sign-up links; the link is shown once, at creation. Deleting one revokes it."""

    queryset = Invitation.objects.all()
    serializer_class = InvitationSerializer
    permission_classes = [HasRole(Role.SUPERADMIN)]

    @extend_schema(request=InvitationSerializer, responses={201: NewInvitationSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if signup.mode() != signup.INVITE:
            raise Conflict(_("sign-up by invitation is off (MEDIAHUB_SIGNUP)"))
        invitation, token = signup.create_invitation(
            request.user, serializer.validated_data.get("note", ""), serializer.validated_data.get("days")
        )
        invitation.link = request.build_absolute_uri(signup.invitation_path(token))
        return Response(NewInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class SignupRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Accounts that signed up and wait, inactive: approve one (it can log in) or reject it (deleted)."""

    queryset = SignupRequest.objects.select_related("user")
    serializer_class = SignupRequestSerializer
    permission_classes = [HasRole(Role.SUPERADMIN)]

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        signup.approve(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        signup.reject(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
