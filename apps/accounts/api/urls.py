from django.urls import path
from rest_framework.routers import SimpleRouter

from .passkeys import PasskeyViewSet
from .signup import InvitationViewSet, SignupRequestViewSet
from .views import ApiTokenViewSet, MeView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")
router.register("auth/passkeys", PasskeyViewSet, basename="api-passkey")
router.register("auth/invitations", InvitationViewSet, basename="api-invitation")
router.register("auth/signups", SignupRequestViewSet, basename="api-signup")

urlpatterns = [path("auth/me", MeView.as_view(), name="auth-me"), *router.urls]
