"""Fill the database with a realistic network at a chosen size, by COPY.

One ``random.Random(seed)`` draws everything in a fixed order, so the same seed on
the same reference data gives the same rows. Each kind of data has its module
(``members``, ``case_studies``, ``events``, ``forums``, ``training``), run in that
order because later ones draw from the rows of earlier ones (``Pools``). Rows that
others point at get explicit ids from the table's first free id, and the identity
sequences are moved past them at the end.

Denormalised fields come from the apps' own definitions, applied to all the new
rows at once after the COPY: an event's search text
(``events.services.search_vector``), a thread's post count, newest post and answer
(``network.forums.services.recount_threads``) and an enrolment's hours
(``training.services.hours_attended``). A post's ``body_html`` is made with its
text (``text.to_html``: what Markdown makes of generated plain paragraphs).
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag

from casestudies.models import CaseStudy
from events.models import Event
from network.models import Member, Organisation, Theme, Thread

from . import case_studies, events, forums, members, text, training
from . import wordlists as words
from .bulk import reset_sequence

# Bulk loads above this many rows drop the table's secondary indexes first and
# build them once afterwards (measured on the posts table: see the docstring of
# tools.scale.forums).
DROP_INDEXES_ABOVE = 200_000


@dataclass
class Sizes:
    members: int = 200_000
    case_studies: int = 100_000
    threads: int = 5_000
    posts: int = 1_000_000
    forums: int = 30
    events: int = 5_000
    cohorts: int = 240
    seed: int = 1
    today: date | None = None
    drop_indexes: bool = True


@dataclass
class Pools:
    """Ids of the members loaded, grouped the ways later steps draw them."""

    approved: list = field(default_factory=list)
    by_org: dict = field(default_factory=dict)
    elected_by_org: dict = field(default_factory=dict)
    elected: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    posters: list = field(default_factory=list)
    poster_weights: list = field(default_factory=list)


class Loader:
    """What one load's steps share: the sizes, the random draws, the reference data
    (organisations, themes, tags), the pools of members and what was loaded."""

    def __init__(self, sizes: Sizes, stdout):
        self.sizes = sizes
        self.stdout = stdout
        self.rng = random.Random(sizes.seed)
        today = sizes.today or date.today()
        self.now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.pools = Pools()
        self.organisations = list(Organisation.objects.order_by("pk"))
        self.themes = {t.name: t.pk for t in Theme.objects.order_by("pk")}
        self.councils = [o for o in self.organisations if o.kind == "council"]
        self.partner_orgs = [o for o in self.organisations if o.kind == "partner"]
        # Pools big enough that sentences rarely repeat within a document, small
        # enough that a tiny load (the tests) starts at once.
        pool = min(4000, max(300, sizes.posts // 100 + sizes.case_studies // 10))
        self.bank = text.TextBank(self.rng, [o.name for o in self.councils], pool)
        self.tag_ids = topic_tags()
        self.ct = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Member, CaseStudy, Thread, Event)
        }
        self.published_case_studies: list[tuple[int, str, str]] = []
        self.published_events: list[tuple[int, str, str]] = []
        self.explicit_ids: list = []

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def past(self, days: float) -> datetime:
        """A moment up to ``days`` before now, to the second."""
        return self.now - timedelta(seconds=int(self.rng.random() * days * 86400))

    def topic(self) -> str:
        return self.rng.choices(words.TOPIC_KEYS, weights=words.TOPIC_WEIGHTS)[0]

    def approved_in(self, org_id) -> list:
        return self.pools.by_org.get(org_id) or self.pools.approved

    def drop_indexes(self, rows: int) -> bool:
        return self.sizes.drop_indexes and rows > DROP_INDEXES_ABOVE

    def run(self) -> None:
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked
                # row by row now, instead of queueing a million checks for the
                # commit (and CREATE INDEX refuses a table with checks pending).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self._step("members", members.load)
            self._step("case studies", case_studies.load)
            self._step("events", events.load)
            self._step("forums, threads and posts", forums.load)
            self._step("training", training.load)
            self._step("sequences and statistics", finish)
        self.timings["total"] = time.monotonic() - started

    def _step(self, label: str, load) -> None:
        self.say(f"{label} ...")
        started = time.monotonic()
        load(self)
        self.timings[label] = time.monotonic() - started
        self.say(f"{label}: {self.timings[label]:,.1f} s")


def topic_tags() -> dict[str, int]:
    """The ids of the topics' tags, created when missing."""
    names = sorted({t for topic in words.TOPICS.values() for t in topic["tags"]})
    ids = {}
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slugify(name))
        ids[name] = tag.pk
    return ids


def finish(loader: Loader) -> None:
    for model in loader.explicit_ids:
        reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def describe(loader: Loader) -> list[str]:
    """Lines for the final report: time per step and rows per table."""
    lines = ["", "Time per step:"]
    for label, seconds in loader.timings.items():
        lines.append(
            f"  {label:32} {seconds:8.1f} s ({math.floor(seconds / 60)}:{int(seconds) % 60:02d})"
        )
    lines += ["", "Rows loaded:"]
    for label, count in loader.counts.items():
        lines.append(f"  {label:32} {count:>12,}")
    return lines
