"""What a web process does once, after Django is set up and before its first request."""

import gc

from django.urls import get_resolver


def freeze_long_lived_objects() -> None:
    """Keep Python's full garbage collections off the objects a process keeps for its whole life.

    A web worker holds about 250,000 objects the collector tracks from its imports (Django, DRF,
    numpy, the URLconf's views and serializers), none of them ever garbage, and every full
    collection walks them all. Requests leave cyclic garbage (querysets, serializers: about 5,000
    objects for a page of 100 search results), so a full collection comes every ten requests or so
    and took 140-170 ms of one of them (bench_hybrid at 1M assets: p95 about 200 ms against a p50
    of 55). Frozen (gc.freeze: a generation that is never collected) they are skipped, and a full
    collection takes 23-50 ms.
    """
    get_resolver().url_patterns  # imports every view, serializer and filter now, so they are frozen too
    gc.freeze()
