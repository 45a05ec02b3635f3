import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.scanning.models import Library


@pytest.mark.django_db
def test_ensure_admin_prints_a_generated_password_once(capsys, monkeypatch):
    monkeypatch.delenv("MEDIAHUB_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    assert "password" not in capsys.readouterr().out


@pytest.mark.django_db
def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("MEDIAHUB_ADMIN_PASSWORD", "from-the-env-123")
    call_command("ensure_admin")
    assert "Created admin 'admin'" in capsys.readouterr().out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("from-the-env-123")


@pytest.mark.django_db
def test_add_library_is_idempotent(tmp_path, superuser):
    call_command("add_library", str(tmp_path), "--owner", "root")
    call_command("add_library", str(tmp_path), "--owner", "root")
    assert list(Library.objects.values_list("root_path", flat=True)) == [str(tmp_path.resolve())]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,message",
    [
        ("relative/dir", "not an absolute path"),
        ("/no/such/folder", "does not exist"),
        ("FILE", "not a directory"),
    ],
)
def test_add_library_refuses_bad_paths(tmp_path, superuser, path, message):
    if path == "FILE":
        path = str(tmp_path / "file.jpg")
        (tmp_path / "file.jpg").write_bytes(b"x")
    with pytest.raises(CommandError, match=message):
        call_command("add_library", path, "--owner", "root")
    assert not Library.objects.exists()


@pytest.mark.django_db
def test_scan_queue_hands_the_scan_to_the_worker(tmp_path, superuser, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ

    from apps.scanning.models import ScanRun

    call_command("add_library", str(tmp_path), "--owner", "root")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scan", "--queue", str(tmp_path))
    assert ScanRun.objects.get().state == "queued"
    assert OrmQ.objects.count() == 1
    with pytest.raises(CommandError, match="already queued"):
        call_command("scan", "--queue", str(tmp_path))
