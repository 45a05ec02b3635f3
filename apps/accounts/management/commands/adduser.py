from django.core.management.base import BaseCommand, CommandError

from apps.accounts.roles import Role
from apps.accounts.services import create_user, resolve_libraries
from apps.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create a user with a role (prints a generated password once); --library shares libraries."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r.value for r in Role], default=Role.USER.value)
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--library", action="append", default=[], metavar="ID_OR_NAME", help="Share a library; repeatable"
        )

    def handle(self, *args, username, role, display_name, email, library, **options):
        try:
            user, password = create_user(
                username, role, display_name=display_name, email=email, libraries=resolve_libraries(library)
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        shared = f", shared: {', '.join(library)}" if library else ""
        created = f"Created {role} '{user.username}'{shared}. Password: {password}"
        self.stdout.write(self.style.SUCCESS(created))
        self.stdout.write("This password is shown once; the user should change it after logging in.")
