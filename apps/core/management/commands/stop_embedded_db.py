"""Stop the embedded PostgreSQL unless a live MediaHub process still uses it.

./run.sh runs it after its web server and worker ended, so nothing of the install is left running
however they ended (a process killed with -9 never unregisters itself)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from mediahub import embedded_db


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL of this data dir unless a live MediaHub process still uses it."
    requires_system_checks = []

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "mediahub.embedded_db":
            self.stdout.write("DATABASE_URL is set: the database is not MediaHub's to stop.")
            return
        was_running = embedded_db.is_running(database["PGDATA"])
        users = embedded_db.stop_if_unused(database["PGDATA"])
        if users:
            self.stdout.write(f"Embedded PostgreSQL left running: still used by pids {', '.join(map(str, users))}.")
        elif was_running:
            self.stdout.write("Embedded PostgreSQL stopped.")
        else:
            self.stdout.write("Embedded PostgreSQL was not running.")
