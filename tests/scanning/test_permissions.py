"""Who may do what to a library or a scan: visible_to(user, action) is the one answer, and the API
and the pages ask it."""

import pytest

from apps.core.querysets import Action
from apps.scanning.models import Library, ScanRun

pytestmark = pytest.mark.django_db


def test_seeing_a_library_is_not_enough_to_change_delete_or_manage_it_or_its_scans(
    library, user, admin_user, superuser
):
    library.shared_with.add(admin_user)
    run = ScanRun.objects.create(library=library, state=ScanRun.State.DONE)
    for who in (user, admin_user):  # the owner, and an admin it is shared with
        assert list(Library.objects.visible_to(who)) == [library]
        assert list(ScanRun.objects.visible_to(who)) == [run]
        for action in (Action.CHANGE, Action.DELETE, Action.MANAGE):
            assert not Library.objects.visible_to(who, action).exists(), (who, action)
            assert not ScanRun.objects.visible_to(who, action).exists(), (who, action)
    for action in Action:
        assert list(Library.objects.visible_to(superuser, action)) == [library]
        assert list(ScanRun.objects.visible_to(superuser, action)) == [run]


def test_an_admin_a_library_is_shared_with_is_refused_with_the_reason_not_told_it_is_absent(
    library, admin_user, admin_client
):
    library.shared_with.add(admin_user)
    response = admin_client.patch(f"/api/libraries/{library.pk}/", {"name": "Mine now"})
    assert response.status_code == 403 and "superadmin" in response.json()["detail"]
    assert admin_client.post(f"/api/libraries/{library.pk}/scan/").status_code == 403
    assert admin_client.delete(f"/api/libraries/{library.pk}/").status_code == 403
    assert Library.objects.get(pk=library.pk).name == library.name
    assert not ScanRun.objects.exists()
