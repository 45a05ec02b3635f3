import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.test import APIRequestFactory

from apps.accounts import services
from apps.accounts.permissions import HasRole, ReadOnly
from apps.accounts.roles import Role, permissions_of
from apps.accounts.tokens import create_token
from apps.core.errors import Conflict
from tests.factories import LibraryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_groups_hold_their_permissions_and_inherit_the_lower_role():
    user_perms = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name="user").permissions.all()}
    admin_perms = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name="admin").permissions.all()
    }
    assert {"assets.view_asset", "assets.change_assetuserstate", "scanning.view_library"} <= user_perms
    assert "scanning.change_library" not in user_perms
    assert user_perms < admin_perms and "scanning.change_library" in admin_perms
    assert "scanning.add_library" not in admin_perms  # managing library roots is the superadmin's
    assert permissions_of(Role.USER) < permissions_of(Role.ADMIN)


@pytest.mark.parametrize(
    "role,superuser,staff,groups",
    [("user", False, False, {"user"}), ("admin", False, True, {"user", "admin"}), ("superadmin", True, True, {"user", "admin"})],
)
def test_set_role_keeps_flags_groups_and_django_permissions_in_step(role, superuser, staff, groups):
    UserFactory(username="root", is_superuser=True)  # so demoting is never of the last superadmin
    user = UserFactory(username="carol")
    services.set_role(user, role)
    user.refresh_from_db()
    assert (user.role, user.is_superuser, user.is_staff) == (role, superuser, staff)
    assert set(user.groups.values_list("name", flat=True)) == groups
    assert user.has_perm("scanning.change_library") is (role != "user")
    assert user.has_perm("scanning.delete_library") is (role == "superadmin")


def test_the_last_superadmin_cannot_be_demoted_or_deactivated(superuser):
    with pytest.raises(Conflict, match="last superadmin"):
        services.set_role(superuser, "admin")
    with pytest.raises(Conflict, match="last superadmin"):
        services.set_active(superuser, False)


@pytest.mark.parametrize(
    "role,allowed", [("user", {"user"}), ("admin", {"user", "admin"}), ("superadmin", {"user", "admin", "superadmin"})]
)
def test_has_role_permission_class_follows_the_role_order(role, allowed):
    UserFactory(username="root", is_superuser=True)
    user = UserFactory(username="carol")
    services.set_role(user, role)
    request = APIRequestFactory().post("/")
    request.user = user
    granted = {r.value for r in Role if HasRole(r)().has_permission(request, None)}
    assert granted == allowed
    # Composes like a DRF permission class.
    combined = (HasRole("superadmin") | ReadOnly)()
    assert combined.has_permission(request, None) is (role == "superadmin")


def test_inactive_user_has_no_role_permission():
    user = UserFactory(username="carol", is_superuser=True, is_active=False)
    request = APIRequestFactory().get("/")
    request.user = user
    assert not HasRole("user")().has_permission(request, None)


def test_adduser_creates_the_user_with_role_and_shared_libraries(capsys, user):
    family = LibraryFactory(owner=user, name="Family")
    trips = LibraryFactory(owner=user, name="Trips")
    call_command("adduser", "dave", "--role", "admin", "--display-name", "Dave", "--library", "Family",
                 "--library", str(trips.pk))
    out = capsys.readouterr().out
    from django.contrib.auth import get_user_model

    dave = get_user_model().objects.get(username="dave")
    password = out.split("Password: ")[1].split()[0]
    assert dave.check_password(password) and dave.display_name == "Dave" and dave.role == "admin"
    assert set(dave.shared_libraries.all()) == {family, trips}


def test_adduser_refuses_unknown_library_and_duplicate_name(user):
    with pytest.raises(CommandError, match="no library 'Nope'"):
        call_command("adduser", "erin", "--library", "Nope")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="erin").exists()  # nothing half-made
    with pytest.raises(CommandError, match="already exists"):
        call_command("adduser", "alice")


def test_setrole_command(user, superuser):
    call_command("setrole", "alice", "admin")
    user.refresh_from_db()
    assert user.role == "admin" and user.is_staff
    with pytest.raises(CommandError, match="no user named"):
        call_command("setrole", "nobody", "admin")


def test_resetpassword_prints_a_temporary_password_and_revokes_sessions_and_tokens(client, user, password, capsys):
    client.force_login(user)
    _, key = create_token(user, "script")
    call_command("resetpassword", "alice")
    temporary = capsys.readouterr().out.split(": ")[1].split()[0]
    user.refresh_from_db()
    assert user.check_password(temporary) and not user.check_password(password)
    assert client.get("/").status_code == 302  # the old session is over
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/auth/me").status_code == 401
