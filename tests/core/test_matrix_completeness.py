"""Every route under /api/, and every HTTP method it answers, has a permission-matrix declaration."""

import importlib
import pkgutil
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, resolve

import tests
from tests.permission_matrix import PLACEHOLDER_PK, PermissionMatrix

IGNORED_METHODS = {"head", "options"}  # answered by the framework for every view alike


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def declared_matrices():
    """Import every test module so each PermissionMatrix subclass is known, wherever it lives."""
    root = Path(tests.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="tests."):
        if info.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(info.name)
    return list(_all_subclasses(PermissionMatrix))


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, _join(prefix, str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            yield _join(prefix, str(pattern.pattern)), pattern.callback


def _join(prefix: str, part: str) -> str:
    # As ResolverMatch.route joins them, so declared URLs resolve to the same strings.
    return prefix + part.removeprefix("^") if prefix else part


def _methods(callback) -> set[str]:
    """The HTTP methods a view answers: a viewset's action map, else the handlers its class defines."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    allowed = set(view_class.http_method_names) - IGNORED_METHODS
    if getattr(callback, "actions", None):
        return set(callback.actions) & allowed
    return {m for m in allowed if hasattr(view_class, m)}


def api_routes() -> dict[str, set[str]]:
    return {route: _methods(callback) for route, callback in _walk(get_resolver().url_patterns)
            if route.startswith("api/")}


class _Placeholders(dict):
    """`{pk}` is PLACEHOLDER_PK; any other name in a declared URL (a member's id...) stands as 1."""

    def __missing__(self, key):
        return "1"


def declared_routes() -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {}
    for matrix in declared_matrices():
        for endpoint in matrix.endpoints:
            route = resolve(endpoint.url.format_map(_Placeholders(pk=PLACEHOLDER_PK))).route
            declared.setdefault(route, set()).add(endpoint.method.lower())
    return declared


def test_every_api_route_and_method_has_a_permission_matrix():
    declared = declared_routes()
    missing = {
        route: sorted(methods - declared.get(route, set()))
        for route, methods in api_routes().items()
        if methods - declared.get(route, set())
    }
    assert not missing, (
        "API routes without a permission matrix (declare them with tests/permission_matrix.py): "
        + "; ".join(f"{route} {methods}" for route, methods in sorted(missing.items()))
    )


def test_the_completeness_check_sees_the_routes_it_must():
    routes = api_routes()
    assert {"api/auth/me", "api/assets/$", "api/assets/batch/"} <= set(routes)
    assert routes["api/auth/tokens/$"] == {"get", "post"}
