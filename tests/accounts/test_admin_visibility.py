"""The Django admin is no way around visible_to: an admin sees there only what they see everywhere."""

import pytest

from apps.accounts import services
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, user):
    services.set_role(user, "admin")
    client.force_login(user)
    return client


def test_admin_role_lists_only_visible_assets_and_libraries(admin_client, user, other_user):
    mine = AssetFactory(library=LibraryFactory(owner=user, name="Mine"), filename="mine-visible.jpg")
    hidden = AssetFactory(library=LibraryFactory(owner=other_user, name="Hidden"), filename="bob-private.jpg")
    page = admin_client.get("/admin/assets/asset/").content
    assert b"mine-visible.jpg" in page and b"bob-private.jpg" not in page
    assert b"Hidden" not in page  # not even as a choice of the library filter
    libraries = admin_client.get("/admin/scanning/library/").content
    assert b">Mine<" in libraries and b">Hidden<" not in libraries
    # The change page of an invisible asset answers as if it did not exist.
    response = admin_client.get(f"/admin/assets/asset/{hidden.pk}/change/")
    assert response.status_code == 302 and str(hidden.pk) not in response.get("Location", "")
    assert admin_client.get(f"/admin/assets/asset/{mine.pk}/change/").status_code == 200


def test_plain_users_do_not_enter_the_admin(client, user):
    client.force_login(user)
    assert client.get("/admin/assets/asset/").status_code == 302


def test_superadmin_still_sees_everything_in_the_admin(client, superuser, other_user):
    AssetFactory(library=LibraryFactory(owner=other_user), filename="bob-private.jpg")
    client.force_login(superuser)
    assert b"bob-private.jpg" in client.get("/admin/assets/asset/").content
