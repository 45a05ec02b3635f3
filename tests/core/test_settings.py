from pathlib import Path

import pytest

from mediahub import config


def test_database_url_selects_external_postgres(tmp_path):
    db = config.database_settings("postgres://mh:secret@db.example:5433/photos", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 5433, "photos", "mh")
    assert "PGDATA" not in db


def test_unset_database_url_selects_embedded_server_in_data_dir(tmp_path):
    db = config.database_settings("", tmp_path)
    assert db["ENGINE"] == "mediahub.embedded_db"
    assert Path(db["PGDATA"]) == tmp_path / "postgres"


def test_non_postgres_database_url_is_refused(tmp_path):
    with pytest.raises(ValueError, match="PostgreSQL"):
        config.database_settings("sqlite:///tmp/db.sqlite3", tmp_path)


def test_queue_uses_orm_broker_unless_redis_url_is_set():
    orm = config.q_cluster_settings("", workers=2, timeout=600)
    assert orm["orm"] == "default" and "redis" not in orm
    assert orm["broker_class"] == "mediahub.q_broker.ResilientORM"  # waits out a database outage
    assert config.broker_name(orm) == "orm"
    redis = config.q_cluster_settings("redis://cache:6379/1", workers=2, timeout=600)
    assert redis["redis"] == "redis://cache:6379/1" and "orm" not in redis
    assert config.broker_name(redis) == "redis"
    assert redis["retry"] > redis["timeout"]


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = config.load_or_create_secret_key(tmp_path / "data")
    assert len(first) >= 50
    assert config.load_or_create_secret_key(tmp_path / "data") == first
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


def test_running_settings_use_the_test_data_dir(settings):
    import os

    assert str(settings.DATA_DIR) == os.environ["MEDIAHUB_DATA_DIR"]
    assert settings.DEBUG is False
    assert settings.DATABASES["default"]["ENGINE"] == "mediahub.embedded_db"
