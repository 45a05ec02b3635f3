"""One base for every API viewset: the queryset is restricted to what the caller may see, and the
object a request acts on is checked for the action its HTTP method needs (NetBox's
`BaseViewSet.initial` + `RestrictedQuerySet.restrict`).

    class AssetViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
        queryset = Asset.objects.all()
        action_permissions = {"rotate": Action.CHANGE}   # extra actions that are not plain GET/DELETE

An object the caller cannot see answers 404; one they see but may not act on answers 403 with the
queryset's refusal. Views never filter visibility or ask "may change?" themselves.
"""

from rest_framework import viewsets
from rest_framework.generics import get_object_or_404

from apps.core.querysets import Action, check_action

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.CHANGE,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class RestrictedViewSetMixin:
    """Mix into any GenericAPIView / GenericViewSet whose `queryset` answers `visible_to`."""

    # View action name (e.g. "rotate", "scan") -> the Action it needs, where the method's default
    # is not right.
    action_permissions: dict[str, Action] = {}

    def required_action(self) -> Action:
        name = getattr(self, "action", None)
        if name in self.action_permissions:
            return Action(self.action_permissions[name])
        return METHOD_ACTIONS.get(self.request.method, Action.VIEW)

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return queryset.none()
        return queryset.visible_to(self.request.user)

    def get_object(self):
        # Unlike DRF's get_object, FilterSets are not applied: they narrow lists, and a URL names
        # its object (a hidden person's PATCH that shows it again must not answer 404).
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return check_action(obj, self.request.user, self.required_action())


class RestrictedViewSet(RestrictedViewSetMixin, viewsets.GenericViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
