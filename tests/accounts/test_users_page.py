import pytest
from django.contrib.auth import get_user_model

from apps.accounts import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,status", [("user", 403), ("admin", 403), ("superadmin", 200)])
def test_users_page_is_for_superadmins(client, user, superuser, role, status):
    if role != "user":
        services.set_role(user, role)
    client.force_login(user)
    for url in ("/accounts/users/", "/accounts/users/new/", f"/accounts/users/{superuser.pk}/"):
        assert client.get(url).status_code == status
    assert client.post(f"/accounts/users/{superuser.pk}/reset-password/").status_code == status


def test_anonymous_is_sent_to_login(client):
    assert client.get("/accounts/users/")["Location"].startswith("/accounts/login/")


def test_create_edit_deactivate_and_reset(client, superuser, user):
    client.force_login(superuser)
    page = client.post("/accounts/users/new/", {"username": "dave", "display_name": "Dave", "role": "admin"})
    dave = get_user_model().objects.get(username="dave")
    temporary = page.content.decode().split('class="temporary-password">')[1].split("<")[0]
    assert dave.check_password(temporary) and dave.role == "admin"
    assert b'data-user="dave"' in client.get("/accounts/users/").content

    client.post(f"/accounts/users/{dave.pk}/", {"display_name": "David", "email": "", "role": "user"})
    dave.refresh_from_db()
    assert (dave.display_name, dave.role, dave.is_active, dave.is_staff) == ("David", "user", False, False)

    client.post(f"/accounts/users/{dave.pk}/", {"display_name": "David", "email": "", "role": "user", "is_active": "on"})
    page = client.post(f"/accounts/users/{dave.pk}/reset-password/")
    dave.refresh_from_db()
    assert dave.is_active and not dave.check_password(temporary)
    assert dave.check_password(page.content.decode().split('class="temporary-password">')[1].split("<")[0])


def test_the_page_refuses_to_remove_the_last_superadmin(client, superuser):
    client.force_login(superuser)
    response = client.post(f"/accounts/users/{superuser.pk}/", {"display_name": "", "email": "", "role": "user",
                                                                 "is_active": "on"})
    assert response.status_code == 200 and b"last superadmin" in response.content
    superuser.refresh_from_db()
    assert superuser.is_superuser


def test_a_taken_username_is_refused_beside_the_username_field(client, superuser, user):
    client.force_login(superuser)
    response = client.post("/accounts/users/new/", {"username": user.username, "role": "user"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"username": [f"a user named '{user.username}' already exists"]}
    assert get_user_model().objects.filter(username=user.username).count() == 1
