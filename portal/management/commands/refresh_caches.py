"""After data changed behind the portal's back (raw SQL, a restore), give every
cached rendering a new version and recount the navigation's unread counts."""

from django.core.management.base import BaseCommand

from kit import versions
from network.forums.services import recount_unread_notifications


class Command(BaseCommand):
    help = "New data version tokens for every cached page, and recounted unread counts."

    def handle(self, *args, **options):
        versions.changed(*versions.ALL)
        self.stdout.write(f"New tokens for: {', '.join(versions.ALL)}.")
        recount_unread_notifications()
        self.stdout.write("Unread notification counts recounted for every member.")
