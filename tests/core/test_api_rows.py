"""PlainFieldsMixin gives exactly what DRF's own to_representation gives, field by field."""

from datetime import datetime, timezone

import pytest
from rest_framework import serializers

from apps.assets.api.serializers.assets import AssetDetailSerializer, AssetSerializer
from apps.assets.models import Asset, Stack
from apps.assets.user_state import with_user_state
from apps.search.api.serializers import SearchResultSerializer
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assets(user):
    library = LibraryFactory(owner=user)
    full = AssetFactory(
        library=library, taken_at=datetime(2021, 5, 4, 3, 2, 1, 123456, tzinfo=timezone.utc), camera_make="Canon",
        f_number=2.8, exposure_time=0.004, iso=400, latitude=48.85, longitude=2.35, width=4000, height=3000,
        title="Été à Paris", quality=87, user_rotation=90, has_audio=False, content_hash="ab" * 32,
    )
    bare = AssetFactory(library=library, taken_at=None, mime="video/mp4", kind=Asset.Kind.VIDEO, duration=None)
    stacked = AssetFactory(library=library, stack=Stack.objects.create(), last_error="truncated file")
    return list(with_user_state(Asset.objects.filter(pk__in=[full.pk, bare.pk, stacked.pk]), user).order_by("pk"))


@pytest.mark.parametrize("serializer_class", [AssetSerializer, AssetDetailSerializer, SearchResultSerializer])
def test_rows_are_what_drf_makes_of_them(assets, serializer_class):
    for asset in assets:
        asset.score = 0.25  # as the search annotates it
        ours = serializer_class(asset).data
        drf = serializers.ModelSerializer.to_representation(serializer_class(), asset)
        assert dict(ours) == dict(drf) and list(ours) == list(drf)  # values and key order
    many = serializer_class(assets, many=True).data
    assert [row["id"] for row in many] == [str(a.pk) for a in assets]


def test_a_missing_annotation_is_left_out_as_drf_leaves_it(assets):
    bare = Asset.objects.get(pk=assets[1].pk)  # no score annotated
    ours = SearchResultSerializer(bare).data
    assert "score" not in ours and ours == serializers.ModelSerializer.to_representation(SearchResultSerializer(), bare)
