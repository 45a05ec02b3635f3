"""What the stats app reports: health and readiness (health.py), background work per job kind and
its actions (jobs.py, kinds.py), the system report (system.py) and Prometheus metrics (metrics.py)."""

from .health import (  # noqa: F401 - the views and tests read these from here
    database_report,
    faces_report,
    health_report,
    pending_migrations,
    readiness_report,
)
