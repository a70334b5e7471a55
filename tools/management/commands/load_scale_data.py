"""Fill a separate database with a realistic network at scale, for the benchmark.

    PORTAL_DB_NAME=portal_scale python manage.py migrate
    PORTAL_DB_NAME=portal_scale python manage.py load_scale_data [--members 20000 ...]

Deterministic for a given --seed; loads with PostgreSQL COPY in one transaction.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kit import versions
from network.models import Member
from tools.scale.loader import Loader, Sizes, describe

# A database with more members than this already holds real or demo data.
A_HANDFUL = 20
PROTECTED_DATABASES = {"portal"}


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic network at scale (default: 200,000 "
        "members, 100,000 case studies, 1,000,000 posts). For a separate database: "
        "PORTAL_DB_NAME=portal_scale."
    )

    def add_arguments(self, parser):
        defaults = Sizes()
        for name in (
            "members", "case_studies", "threads", "posts", "forums", "events",
            "cohorts", "seed",
        ):  # fmt: skip
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=int,
                default=getattr(defaults, name),
                help=f"default {getattr(defaults, name):,}",
            )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the date the data is built around (YYYY-MM-DD; default today)",
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="COPY into big tables with their secondary indexes in place",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even into the main database or one that already has members",
        )

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if not options["force"]:
            if name in PROTECTED_DATABASES:
                raise CommandError(
                    f'Refusing to load scale data into the "{name}" database (the '
                    "demo and development one). Use a separate database: "
                    "PORTAL_DB_NAME=portal_scale, or --force."
                )
            members = Member.objects.count()
            if members > A_HANDFUL:
                raise CommandError(
                    f'The "{name}" database already has {members:,} members. Load '
                    "into an empty database (after migrate), or pass --force to add "
                    "to it."
                )
        sizes = Sizes(
            members=options["members"],
            case_studies=options["case_studies"],
            threads=options["threads"],
            posts=options["posts"],
            forums=options["forums"],
            events=options["events"],
            cohorts=options["cohorts"],
            seed=options["seed"],
            today=options["today"],
            drop_indexes=not options["keep_indexes"],
        )
        if sizes.members < 10:
            raise CommandError("--members must be at least 10.")
        self.stdout.write(
            f'Loading scale data into "{name}" (seed {sizes.seed}): '
            f"{sizes.members:,} members, {sizes.case_studies:,} case studies, "
            f"{sizes.threads:,} threads with {sizes.posts:,} posts, "
            f"{sizes.events:,} events, {sizes.cohorts:,} training cohorts."
        )
        loader = Loader(sizes, self.stdout)
        loader.run()
        # COPY sends no signals: drop every cached rendering of the old data.
        versions.changed(*versions.ALL)
        for line in describe(loader):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Scale data loaded."))
