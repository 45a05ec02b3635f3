import os

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import ensure_admin
from apps.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create the admin account if it does not exist (password from MEDIAHUB_ADMIN_PASSWORD or generated)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("MEDIAHUB_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        try:
            user, created, generated = ensure_admin(username, os.environ.get("MEDIAHUB_ADMIN_PASSWORD"))
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        if generated:
            self.stdout.write(self.style.SUCCESS(f"Created admin '{user.username}' with password: {generated}"))
            self.stdout.write("This password is shown once; change it after logging in.")
        elif created:
            self.stdout.write(f"Created admin '{user.username}' with the password from MEDIAHUB_ADMIN_PASSWORD.")
        else:
            self.stdout.write(f"Admin '{user.username}' exists.")
