import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_versions_without_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["database"]["engine"] == "postgresql"
    assert body["database"]["mode"] == "embedded"
    assert body["database"]["server_version"].startswith("18")
    assert body["database"]["pgvector_version"]
    assert body["queue"]["broker"] == "orm"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ready_when_migrated(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"ready": True}


def test_health_and_ready_answer_503_when_the_database_is_unreachable(tmp_path):
    # A real process pointed at a port where no PostgreSQL listens.
    script = (
        "import django; django.setup();"
        "from django.test import Client; c = Client();"
        "h = c.get('/health'); r = c.get('/ready');"
        "print(h.status_code, h.json()['status'], r.status_code, r.json()['ready'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "MEDIAHUB_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(REPO),
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["503", "error", "503", "False"]
