"""The embedded server's memory: sized from the machine, overridable, cheap for the test servers."""

import pytest
from django.db import connection

from mediahub.embedded_db import memory

GB = 1024 * memory.MB


def test_a_quarter_of_the_memory_for_shared_buffers_and_half_as_the_cache_hint():
    assert memory.sized(16 * GB) == {"shared_buffers": "4096MB", "effective_cache_size": "8192MB"}


def test_shared_buffers_stay_between_128_mb_and_8_gb():
    assert memory.sized(256 * memory.MB)["shared_buffers"] == "128MB"
    assert memory.sized(128 * GB) == {"shared_buffers": "8192MB", "effective_cache_size": "65536MB"}


def test_settings_override_the_sizing_and_reject_what_is_not_a_size():
    assert memory.sized(16 * GB, "2GB", " 512MB ") == {"shared_buffers": "2GB", "effective_cache_size": "512MB"}
    assert memory.sized(16 * GB, "auto", "")["effective_cache_size"] == "8192MB"
    with pytest.raises(ValueError, match="shared_buffers"):
        memory.sized(16 * GB, "1GB'\nfsync = 'off")


def test_the_machine_memory_is_at_most_the_ram():
    import psutil

    assert 0 < memory.machine_memory() <= psutil.virtual_memory().total


def test_the_config_is_included_once_and_rewritten(tmp_path):
    (tmp_path / "postgresql.conf").write_text("max_connections = 100")
    memory.write_config(tmp_path, {"shared_buffers": "1GB"})
    memory.write_config(tmp_path, {"shared_buffers": "2GB", "effective_cache_size": "4GB"})
    assert (tmp_path / "postgresql.conf").read_text().count("include_if_exists = 'mediahub.conf'") == 1
    assert (tmp_path / memory.CONFIG_FILE).read_text() == "shared_buffers = '2GB'\neffective_cache_size = '4GB'\n"


@pytest.mark.django_db
def test_the_test_server_runs_with_the_small_settings_of_tests_settings():
    # PostgreSQL's own effective_cache_size default is 4GB: 1GB shows mediahub.conf was read.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('shared_buffers'), current_setting('effective_cache_size')")
        assert cursor.fetchone() == ("128MB", "1GB")
