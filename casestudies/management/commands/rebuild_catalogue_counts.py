"""Count the published catalogue again from nothing: the list's facet counts and
the impact figures kept in each change's transaction (casestudies/counts.py).
For data changed behind the portal's back (raw SQL, a restore); ``--check``
only says whether the kept counts agree with a fresh count."""

from django.core.management.base import BaseCommand, CommandError

from kit import versions

from ...counts import counts_agree, rebuild_counts


class Command(BaseCommand):
    help = "Rebuild (or with --check, compare) the kept counts of the case studies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare only; fail if they differ"
        )

    def handle(self, *args, check, **options):
        if check:
            wrong = counts_agree()
            if wrong:
                raise CommandError(f"{len(wrong)} kept counts differ, e.g. {wrong[:5]}")
            self.stdout.write("The kept counts agree with a fresh count.")
            return
        counted = rebuild_counts()
        versions.changed(versions.CATALOGUE)
        self.stdout.write(f"Counted {counted:,} published case studies.")
