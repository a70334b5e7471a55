import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from casestudies.counts import recounts_batched
from kit import versions

APP_ORDER = ["network", "casestudies", "events", "training", "portal"]


class Command(BaseCommand):
    help = (
        "Create demo members and content across the cities, printing the sign-ins. "
        "Refuses to run unless DEBUG is on: demo passwords never reach production."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: set DJANGO_DEBUG=1 on a "
                "development machine."
            )
        members: dict = {}
        # Demo posts would email their mentions and watchers; nobody reads those.
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        )
        # One new token per kind of data at the end, not one per saved row, and
        # each case study counted once (casestudies/counts.py).
        with (
            quiet,
            transaction.atomic(),
            versions.changes_batched(),
            recounts_batched(),
        ):
            for label in APP_ORDER:
                if not apps.is_installed(label):
                    continue
                try:
                    module = importlib.import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                self.stdout.write(f"{label}:")
                module.create_demo(members, self.stdout)
        from network.demo import DEMO_PASSWORD

        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in with any address above and the password "
                f"{DEMO_PASSWORD}."
            )
        )
