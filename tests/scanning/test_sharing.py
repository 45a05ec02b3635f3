"""Sharing a library with users: the Libraries page, the Users page, the API and the command all
give the same view-only access, and taking it back takes the photos away again."""

import pytest
from django.core.management import CommandError, call_command

from apps.assets.models import Asset
from apps.scanning.models import Library
from tests.factories import AssetFactory, LibraryFactory, UserFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def root_web(client, superuser):
    client.force_login(superuser)
    return client


def sees(user, library) -> bool:
    return Library.objects.visible_to(user).filter(pk=library.pk).exists()


def test_the_api_shares_and_unshares_a_library_and_bob_then_sees_its_photos_or_not(
    superuser_client, library, other_user
):
    photo = AssetFactory(library=library)
    url = f"/api/libraries/{library.pk}"
    body = superuser_client.post(f"{url}/share/", {"users": [other_user.pk]}, format="json").json()
    assert [u["username"] for u in body["shared_with"]] == ["bob"]
    assert Asset.objects.visible_to(other_user).filter(pk=photo.pk).exists()
    again = superuser_client.post(f"{url}/share/", {"users": [other_user.pk]}, format="json")
    assert again.status_code == 200 and len(again.json()["shared_with"]) == 1  # twice is once
    assert superuser_client.get(f"{url}/shares/").json()["shared_with"][0]["id"] == other_user.pk
    body = superuser_client.post(f"{url}/unshare/", {"users": [other_user.pk]}, format="json").json()
    assert body["shared_with"] == []
    assert not Asset.objects.visible_to(other_user).filter(pk=photo.pk).exists()


def test_sharing_with_an_unknown_or_deactivated_user_is_a_400_naming_the_field(superuser_client, library):
    url = f"/api/libraries/{library.pk}/share/"
    assert superuser_client.post(url, {"users": [987654]}, format="json").status_code == 400
    gone = UserFactory(username="gone", is_active=False)
    response = superuser_client.post(url, {"users": [gone.pk]}, format="json")
    assert response.status_code == 400 and "deactivated" in str(response.json())
    assert superuser_client.post(url, {"users": []}, format="json").status_code == 400


def test_the_libraries_page_shares_and_unshares_with_a_chosen_user(root_web, library, other_user):
    page = root_web.get("/libraries/").content.decode()
    assert "Shared with" in page and f'<option value="{other_user.pk}">bob</option>' in page
    fragment = root_web.post(f"/libraries/{library.pk}/share/", {"user": other_user.pk}, **HX).content.decode()
    assert sees(other_user, library) and "is shared with bob" in fragment
    assert "Stop sharing Alice&#x27;s photos with bob" in fragment
    root_web.post(f"/libraries/{library.pk}/unshare/", {"user": other_user.pk}, **HX)
    assert not sees(other_user, library)


def test_only_the_superadmin_shares_from_the_pages(client, user, other_user, library):
    client.force_login(user)  # the owner, a plain user
    assert client.post(f"/libraries/{library.pk}/share/", {"user": other_user.pk}).status_code == 403
    assert client.post(f"/accounts/users/{other_user.pk}/libraries/", {"library": library.pk}).status_code == 403
    assert not sees(other_user, library)


def test_the_users_page_shares_a_library_with_that_user_and_takes_it_back(root_web, library, other_user):
    page = root_web.get("/accounts/users/").content.decode()
    assert "Library to share with bob" in page
    response = root_web.post(f"/accounts/users/{other_user.pk}/libraries/", {"action": "share", "library": library.pk})
    assert response.status_code == 302 and sees(other_user, library)
    assert "Stop sharing Alice&#x27;s photos with bob" in root_web.get("/accounts/users/").content.decode()
    root_web.post(f"/accounts/users/{other_user.pk}/libraries/", {"action": "unshare", "library": library.pk})
    assert not sees(other_user, library)


def test_the_share_library_command_shares_by_name_and_removes(library, other_user, capsys):
    carol = UserFactory(username="carol")
    call_command("share_library", "Alice's photos", "bob", "carol")
    assert sees(other_user, library) and sees(carol, library)
    assert "shared with: bob, carol" in capsys.readouterr().out
    call_command("share_library", str(library.pk), "bob", "--remove")
    assert not sees(other_user, library) and sees(carol, library)
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("share_library", str(library.pk), "nobody")
    with pytest.raises(CommandError, match="no library"):
        call_command("share_library", "No such library", "bob")


def test_a_new_user_with_nothing_shared_is_told_what_will_happen(client, other_user, superuser):
    client.force_login(other_user)
    page = client.get("/").content.decode()
    assert "nothing has been shared with you" in page and "Add a folder" not in page
    client.force_login(superuser)
    assert "Add a folder on the" in client.get("/").content.decode()
    LibraryFactory(owner=superuser)  # an empty library shared with nobody changes nothing for bob
    client.force_login(other_user)
    assert "nothing has been shared with you" in client.get("/").content.decode()
