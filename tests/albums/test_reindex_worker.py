"""Adding many photos to an album answers at once; a real worker then puts the album's name into
their search documents."""

import pytest
from django.http import QueryDict

from apps.albums import services
from apps.albums.search import INLINE_REINDEX_LIMIT
from apps.search import services as search
from tests.factories import AssetFactory
from tests.scanning.subprocess_env import child_env, qcluster
from tests.scanning.test_crash import wait_for


@pytest.mark.django_db(transaction=True)
def test_many_added_photos_are_reindexed_by_the_worker(user, library, tmp_path):
    many = INLINE_REINDEX_LIMIT + 50
    photos = [AssetFactory(library=library) for _ in range(many)]
    search.index_assets(photos)
    album = services.create_album(user, "Zanzibar")
    with qcluster(child_env(tmp_path / "worker-data")) as cluster:
        results = services.add_items(user, album, [p.pk for p in photos])  # queued on commit (autocommit)
        assert all(r.status == 201 for r in results)
        found = lambda: search.search(user, QueryDict("q=zanzibar")).count()  # noqa: E731
        wait_for(lambda: found() == many, cluster, "the album name in the search documents")
