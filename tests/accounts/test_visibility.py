"""Library.visible_to is the one visibility filter; everything else (assets, scans, state) derives from it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from apps.assets.models import Asset
from apps.scanning.models import Library
from tests.factories import AssetFactory, LibraryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def libraries(user, other_user):
    carol = UserFactory(username="carol")
    return {
        "alice": LibraryFactory(owner=user, name="alice"),
        "bob": LibraryFactory(owner=other_user, name="bob"),
        "everyone": LibraryFactory(owner=carol, name="everyone", shared_with_all=True),
        "with-alice": LibraryFactory(owner=carol, name="with-alice"),
        "carol": LibraryFactory(owner=carol, name="carol"),
    }


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_each_user_sees_owned_shared_with_all_and_shared_with_them(libraries, user, other_user, superuser):
    libraries["with-alice"].shared_with.add(user, other_user)
    libraries["with-alice"].shared_with.remove(other_user)
    assert names(Library.objects.visible_to(user)) == ["alice", "everyone", "with-alice"]
    assert names(Library.objects.visible_to(other_user)) == ["bob", "everyone"]
    assert len(names(Library.objects.visible_to(superuser))) == 5
    assert names(Library.objects.visible_to(AnonymousUser())) == []


def test_counts_over_visible_libraries_are_not_multiplied_by_shares(libraries, user, other_user):
    shared = libraries["alice"]
    shared.shared_with.add(other_user, UserFactory(username="dave"), UserFactory(username="erin"))
    AssetFactory.create_batch(3, library=shared)
    row = Library.objects.visible_to(user).annotate(n=Count("assets")).get(pk=shared.pk)
    assert row.n == 3
    assert Library.objects.visible_to(user).count() == 2  # alice + everyone: no duplicate rows


def test_assets_follow_their_library(libraries, user, other_user):
    AssetFactory(library=libraries["bob"])
    mine = AssetFactory(library=libraries["alice"])
    public = AssetFactory(library=libraries["everyone"])
    assert set(Asset.objects.visible_to(user)) == {mine, public}
