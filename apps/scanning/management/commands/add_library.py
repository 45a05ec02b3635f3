from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.scanning.services import LibraryPathError, get_or_add_library


class Command(BaseCommand):
    help = "Register a folder as a library (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--name")
        parser.add_argument("--owner", default="admin", help="username of the owner")

    def handle(self, *args, path, name, owner, **options):
        try:
            user = get_user_model().objects.get(username=owner)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named '{owner}'") from None
        try:
            library, created = get_or_add_library(path, user, name)
        except LibraryPathError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Added" if created else "Already a library:"
        self.stdout.write(f"{verb} '{library.name}' at {library.root_path} (id {library.pk})")
