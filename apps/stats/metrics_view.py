"""GET /metrics: Prometheus text, for a scraper holding MEDIAHUB_METRICS_TOKEN (Authorization: Bearer)
or calling from an address of MEDIAHUB_METRICS_ALLOW; everyone else gets 401 (a token is configured)
or 403.

A request that came through a proxy (X-Forwarded-For) is never let in by address unless
MEDIAHUB_TRUSTED_PROXIES says which address to believe: behind nginx on the same host every request
comes from 127.0.0.1, and the metrics must not be public because of it.
"""

import hmac
import ipaddress
import os

import prometheus_client
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, multiprocess

from apps.accounts.throttling import client_ip

from .metrics import ScrapeCollector

_scrape_registry = CollectorRegistry(auto_describe=False)
_scrape_registry.register(ScrapeCollector())


@never_cache
@require_GET
def metrics(request):
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    body = prometheus_client.generate_latest(_process_registry()) + prometheus_client.generate_latest(
        _scrape_registry
    )
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)


def _process_registry():
    # Several gunicorn workers: each writes its counters to PROMETHEUS_MULTIPROC_DIR, read here together.
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def _refusal(request) -> HttpResponse | None:
    token = settings.MEDIAHUB_METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header:
        scheme, _, given = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return None
        return _unauthorized()
    if _address_allowed(request):
        return None
    if token:
        return _unauthorized()
    refused = "metrics are served to MEDIAHUB_METRICS_ALLOW addresses only\n"
    return HttpResponse(refused, status=403, content_type="text/plain")


def _unauthorized() -> HttpResponse:
    response = HttpResponse("a valid Bearer token is needed\n", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def _address_allowed(request) -> bool:
    if request.META.get("HTTP_X_FORWARDED_FOR") and not settings.MEDIAHUB_TRUSTED_PROXIES:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())


def allowed_networks() -> list:
    networks = []
    for entry in settings.MEDIAHUB_METRICS_ALLOW:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # a typo allows nobody rather than everybody
    return networks
