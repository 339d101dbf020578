"""manage.py open311_key NAME [--trusted]

Issues an Open311 API key for one client and prints it once: only its hash is stored, so a lost
key is replaced (deactivate the old one in the admin), never recovered. A trusted key's reports go
public at once; any other key's reports wait for their reporter's email confirmation.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from fixtracker.models import Open311Key

NAME_MAX = Open311Key._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "Create an Open311 API key for a client app and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client's name, unique; it is recorded as each report's source")
        parser.add_argument(
            "--trusted", action="store_true", help="publish this client's reports without email confirmation"
        )

    def handle(self, *args, name, trusted, **options):
        name = name.strip()
        if not name or len(name) > NAME_MAX:
            raise CommandError(f"the name must be 1 to {NAME_MAX} characters")
        if Open311Key.objects.filter(name=name).exists():
            raise CommandError(f"an Open311 key named “{name}” exists already; choose another name")
        try:
            with transaction.atomic():
                key, secret = Open311Key.issue(name, trusted=trusted)
        except IntegrityError:  # created between the check and here
            raise CommandError(f"an Open311 key named “{name}” exists already; choose another name") from None
        kind = "trusted: reports go public at once" if key.trusted else "untrusted: reporters confirm by email"
        self.stdout.write(f"Open311 key for {key.name} ({kind}):")
        self.stdout.write(secret)
        self.stdout.write("Store it now: it is not kept and cannot be shown again.")
