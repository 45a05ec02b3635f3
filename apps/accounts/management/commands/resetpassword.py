from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import get_user_by_name, reset_password
from apps.core.errors import ServiceError


class Command(BaseCommand):
    help = "Give a user a temporary password (printed once); their sessions and API tokens stop working."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_by_name(username)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        password = reset_password(user)
        self.stdout.write(self.style.SUCCESS(f"Temporary password for '{user.username}': {password}"))
        self.stdout.write("Sessions and API tokens of this user were revoked.")
