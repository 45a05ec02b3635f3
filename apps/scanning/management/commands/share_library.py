from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ServiceError
from apps.scanning import sharing
from apps.scanning.models import Library
from apps.scanning.services import library_for


class Command(BaseCommand):
    help = "Share a library (id, name or folder) with users, or stop sharing it with --remove."

    def add_arguments(self, parser):
        parser.add_argument("library", help="Library id, name or root folder")
        parser.add_argument("users", nargs="+", metavar="USER", help="Usernames")
        parser.add_argument("--remove", action="store_true", help="Stop sharing with these users")

    def handle(self, *args, library, users, remove, **options):
        try:
            found = library_for(library)
            people = sharing.users_by_name(users)
            changed = (sharing.unshare_library if remove else sharing.share_library)(found, people)
        except Library.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        names = ", ".join(u.username for u in changed) or "nobody new"
        verb = "no longer shared with" if remove else "now shared with"
        now = ", ".join(found.shared_with.order_by("username").values_list("username", flat=True)) or "nobody"
        self.stdout.write(self.style.SUCCESS(f"'{found.name}' {verb} {names}; shared with: {now}."))
