"""Fixtures every test may use: one user per role, a library on disk, and API clients for each.

    def test_owner_can_rotate(library, user_client): ...
    def test_others_get_404(library, other_client): ...

`user` (alice) owns `library`, a real folder under tmp_path; `other_user` (bob) is a plain user who
sees nothing of it; `admin_user` holds the admin role; `superuser` is the superadmin. Put an app's
own fixtures in its tests folder's conftest.py, building on these.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.accounts import services as accounts
from apps.core import side_queries
from tests.factories import PASSWORD, LibraryFactory, UserFactory


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob")


@pytest.fixture
def admin_user(db):
    """The admin role (people, curation), not a superadmin; nothing is shared with them."""
    admin = UserFactory(username="carol")
    accounts.set_role(admin, "admin")
    return admin


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def library_root(tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    return root


@pytest.fixture
def library(library_root, user):
    """Alice's library: a real, empty folder on disk."""
    return LibraryFactory(owner=user, root_path=str(library_root.resolve()), name="Alice's photos")


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user_client(user):
    return client_for(user)


@pytest.fixture
def other_client(other_user):
    return client_for(other_user)


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


@pytest.fixture
def superuser_client(superuser):
    return client_for(superuser)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test's data left there (the oldest photo's
    year that memories keep for an hour) is not another's."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _close_side_connections():
    """Search reads on connections of their own in tests that commit (apps.core.side_queries); closed
    after each test, so none is left open on the test database when it is dropped."""
    yield
    side_queries.close_connections()
