"""Health and readiness: what /health and /ready report."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from apps.people import backends
from mediahub import config
from mediahub.version import __version__


def database_report() -> dict:
    """Engine, server and pgvector versions; raises DatabaseError when unreachable."""
    embedded = settings.DATABASES["default"]["ENGINE"] == "mediahub.embedded_db"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'),"
            " (SELECT extversion FROM pg_extension WHERE extname = 'vector')"
        )
        server_version, vector_version = cursor.fetchone()
    return {
        "engine": "postgresql",
        "mode": "embedded" if embedded else "external",
        "server_version": server_version,
        "pgvector_version": vector_version,
    }


def health_report() -> tuple[dict, bool]:
    report = {
        "status": "ok",
        "version": __version__,
        "queue": {"broker": config.broker_name(settings.Q_CLUSTER)},
    }
    report["faces"] = faces_report()
    try:
        report["database"] = database_report()
    except DatabaseError as exc:
        report["status"] = "error"
        report["database"] = {"error": str(exc).strip() or exc.__class__.__name__}
        return report, False
    return report, True


def faces_report() -> dict:
    """Which face backend this configuration uses and whether it can run, without loading a model
    (a package lookup and a folder listing), so /health stays fast. Faces are optional: when they
    cannot run, the reason shows here and health stays ok."""
    try:
        name, reason = backends.selected_backend(), backends.unavailable_reason()
    except ValueError as exc:  # a misspelt MEDIAHUB_FACE_BACKEND
        return {"backend": None, "available": False, "reason": str(exc)}
    return {"backend": name, "available": reason is None, "reason": reason}


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def readiness_report() -> tuple[dict, bool]:
    """Ready means: database reachable and fully migrated."""
    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        return {"ready": False, "reason": f"database unreachable: {exc}".strip()}, False
    if pending:
        return {"ready": False, "reason": "unapplied migrations", "pending": pending}, False
    return {"ready": True}, True
