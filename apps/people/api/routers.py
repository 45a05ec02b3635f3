"""The router of the faces and people API, shaped like the URLs clients already use."""

from rest_framework.routers import DynamicRoute, Route, SimpleRouter


class Router(SimpleRouter):
    """A SimpleRouter whose collections and objects end in a slash (`faces/`, `faces/{pk}/`) while
    their actions do not (`faces/status`, `faces/{pk}/thumbnail`): the shape these routes had
    before the router, which clients and pages rely on."""

    routes = [
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "list", "post": "create"},
            name="{basename}-list",
            detail=False,
            initkwargs={"suffix": "List"},
        ),
        DynamicRoute(url=r"^{prefix}/{url_path}$", name="{basename}-{url_name}", detail=False, initkwargs={}),
        Route(
            url=r"^{prefix}/{lookup}{trailing_slash}$",
            mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
            name="{basename}-detail",
            detail=True,
            initkwargs={"suffix": "Instance"},
        ),
        DynamicRoute(
            url=r"^{prefix}/{lookup}/{url_path}$", name="{basename}-{url_name}", detail=True, initkwargs={}
        ),
    ]
