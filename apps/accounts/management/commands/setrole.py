from django.core.management.base import BaseCommand, CommandError

from apps.accounts.roles import Role
from apps.accounts.services import get_user_by_name, set_role
from apps.core.errors import ServiceError


class Command(BaseCommand):
    help = "Give a user a role: user, admin or superadmin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])

    def handle(self, *args, username, role, **options):
        try:
            user = get_user_by_name(username)
            set_role(user, role)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"'{user.username}' is now {role}."))
