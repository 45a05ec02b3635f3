"""Usernames follow Django's rule (letters, digits and @ . + - _) however the account is made."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.accounts import services

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert(1)</script>", "bob smith", "a/b", "x" * 151, "semi;colon", "quote'd", ""]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_user_create_page_refuses_a_username_outside_the_rule(client, superuser, name):
    client.force_login(superuser)
    response = client.post("/accounts/users/new/", {"username": name, "role": "user"})
    assert response.status_code == 200  # the form again, with the reason
    assert not get_user_model().objects.filter(username=name).exists()
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("name", HOSTILE)
def test_adduser_refuses_a_username_outside_the_rule(name):
    with pytest.raises(CommandError):
        call_command("adduser", name)
    assert not get_user_model().objects.filter(username=name).exists()


def test_ensure_admin_refuses_one_too(monkeypatch):
    with pytest.raises(CommandError, match="valid username"):
        call_command("ensure_admin", "--username", "<b>root</b>")


@pytest.mark.parametrize("name", ["alice", "bob.smith", "j+doe@example.org", "Zoë_2", "x" * 150])
def test_usernames_within_the_rule_are_accepted_everywhere(client, superuser, name):
    user, password = services.create_user(name)
    assert user.username == name and password
