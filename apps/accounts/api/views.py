from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import ApiToken
from apps.accounts.tokens import create_token
from apps.core.api.viewsets import RestrictedViewSet

from .serializers import ApiTokenSerializer, MeSerializer, NewApiTokenSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet
):
    """The caller's own API tokens: create (the key is shown once), list, revoke."""

    queryset = ApiToken.objects.all()
    serializer_class = ApiTokenSerializer
    pagination_class = None  # a handful per user

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = create_token(request.user, serializer.validated_data["name"])
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)
