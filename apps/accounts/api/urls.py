from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, MeView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [path("auth/me", MeView.as_view(), name="auth-me"), *router.urls]
