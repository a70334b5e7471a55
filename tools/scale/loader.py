"""Fill the database with a realistic network at a chosen size, by COPY.

One ``random.Random(seed)`` draws everything in a fixed order, so the same seed on
the same reference data gives the same rows. Rows that others point at (members,
case studies, threads, events, ...) get explicit ids from the table's first free
id, and the identity sequences are moved past them at the end. Denormalised
fields are written consistent with the rows they summarise: a thread's post_count
and last_post_at, posts numbered 1..n, a post's body_html, an enrolment's
hours_attended, an event's search_vector (filled in SQL after its agenda).
"""

import bisect
import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from casestudies.models import CaseStudy
from events import models as ev
from network.handles import HandleAllocator
from network.models import Forum, Member, Organisation, Post, Theme, Thread
from network.models.forums import ReadMark, Subscription
from training import models as tr

from . import text
from . import wordlists as words
from .bulk import IndexesDropped, Progress, copy_rows, next_id, reset_sequence

# Bulk loads above this many rows drop the table's secondary indexes first and
# build them once afterwards (measured on the posts table: see the docstring of
# Loader.load_forums).
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
        self.tag_ids = self._tags()
        self.ct = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Member, CaseStudy, Thread, ev.Event)
        }
        self.published_case_studies: list[tuple[int, str, str]] = []
        self.published_events: list[tuple[int, str, str]] = []
        self.explicit_ids: list = []

    # --- helpers -------------------------------------------------------------

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _tags(self) -> dict[str, int]:
        names = sorted({t for topic in words.TOPICS.values() for t in topic["tags"]})
        ids = {}
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=slugify(name))
            ids[name] = tag.pk
        return ids

    def _past(self, days: float) -> datetime:
        """A moment up to ``days`` before now, to the second."""
        return self.now - timedelta(seconds=int(self.rng.random() * days * 86400))

    def _step(self, label: str, function) -> None:
        self.say(f"{label} ...")
        started = time.monotonic()
        function()
        self.timings[label] = time.monotonic() - started
        self.say(f"{label}: {self.timings[label]:,.1f} s")

    def _topic(self) -> str:
        return self.rng.choices(words.TOPIC_KEYS, weights=words.TOPIC_WEIGHTS)[0]

    def _approved_in(self, org_id) -> list:
        return self.pools.by_org.get(org_id) or self.pools.approved

    # --- the whole load ------------------------------------------------------

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
            self._step("members", self.load_members)
            self._step("case studies", self.load_case_studies)
            self._step("events", self.load_events)
            self._step("forums, threads and posts", self.load_forums)
            self._step("training", self.load_training)
            self._step("sequences and statistics", self.finish)
        self.timings["total"] = time.monotonic() - started

    def finish(self) -> None:
        for model in self.explicit_ids:
            reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- members -------------------------------------------------------------

    def load_members(self) -> None:
        r, n = self.rng, self.sizes.members
        password = make_password(None)  # unusable: sign-in only via force_login
        weights = [
            (o.population_thousands or 100) if o.kind == "council" else 900
            for o in self.organisations
        ]
        cum = list(_accumulate(weights))
        first_id = next_id(Member)
        self.explicit_ids.append(Member)
        pools = self.pools
        expertise = []
        tag_names = list(self.tag_ids)
        progress = Progress(self.stdout, "members", n)
        # COPY skips Member.save(), so handles are numbered here by the same rules,
        # past those the database already holds (a forced second load).
        allocate_handle = HandleAllocator(
            Member.objects.values_list("handle", flat=True).iterator(chunk_size=10_000)
        )

        def rows():
            for i in range(n):
                pk = first_id + i
                org = self.organisations[bisect.bisect(cum, r.random() * cum[-1])]
                if org.kind == "partner":
                    kind, title = "partner", r.choice(words.PARTNER_TITLES)
                elif r.random() < 0.13:
                    kind, title = "elected", r.choice(words.ELECTED_TITLES)
                else:
                    kind, title = "officer", r.choice(words.OFFICER_TITLES)
                roll = r.random()
                state = (
                    "pending"
                    if roll < 0.02
                    else "rejected"
                    if roll < 0.025
                    else "suspended"
                    if roll < 0.028
                    else "approved"
                )
                first, last = r.choice(words.FIRST_NAMES), r.choice(words.LAST_NAMES)
                domain = org.email_domains[0] if org.email_domains else "example.org"
                email = f"{first}.{last}.{pk}@{domain}".lower()
                joined = self._past(5 * 365)
                decided = (
                    None
                    if state == "pending"
                    else min(self.now, joined + timedelta(hours=r.randint(1, 120)))
                )
                bio = ""
                if r.random() < 0.35:
                    topic = self._topic()
                    bio = f"{title} at {org.name}, working on {topic}. " + (
                        self.bank.paragraph(topic, r.randint(1, 3))
                    )
                if state == "approved":
                    pools.approved.append(pk)
                    pools.by_org.setdefault(org.pk, []).append(pk)
                    if kind == "elected":
                        pools.elected.append(pk)
                        pools.elected_by_org.setdefault(org.pk, []).append(pk)
                    elif kind == "partner":
                        pools.partners.append(pk)
                    if r.random() < 0.3:
                        for name in r.sample(tag_names, r.randint(1, 3)):
                            expertise.append((self.ct[Member], pk, self.tag_ids[name]))
                yield (
                    pk,
                    email,
                    password,
                    f"{first} {last}",
                    allocate_handle(f"{first} {last}"),
                    title,
                    org.pk,
                    kind,
                    state,
                    decided,
                    state == "pending" and r.random() < 0.3,
                    bio,
                    r.random() < 0.2,
                    True,
                    joined,
                )

        self.counts["members"] = copy_rows(
            Member,
            [
                "id",
                "email",
                "password",
                "full_name",
                "handle",
                "job_title",
                "organisation",
                "member_type",
                "approval_state",
                "decided_at",
                "needs_review",
                "bio",
                "show_email",
                "is_active",
                "date_joined",
            ],  # fmt: skip
            rows(),
            progress,
        )
        progress.finish()
        self.counts["member expertise tags"] = copy_rows(
            TaggedItem, ["content_type", "object_id", "tag"], expertise
        )
        # Some members post far more than others: a Zipf-like weight over a fifth
        # of the approved members.
        active = r.sample(pools.approved, max(1, len(pools.approved) // 5))
        pools.posters = active
        pools.poster_weights = list(
            _accumulate(1 / (rank + 10) for rank in range(len(active)))
        )

    # --- case studies ----------------------------------------------------------

    def load_case_studies(self) -> None:
        r, n = self.rng, self.sizes.case_studies
        first_id = next_id(CaseStudy)
        self.explicit_ids.append(CaseStudy)
        councils = self.councils
        council_cum = list(_accumulate(o.population_thousands or 100 for o in councils))
        themes_rows, partner_rows, author_rows, tag_rows = [], [], [], []
        ct = self.ct[CaseStudy]
        publishers = self.pools.partners or self.pools.approved
        progress = Progress(self.stdout, "case studies", n)

        def rows():
            for i in range(n):
                pk = first_id + i
                topic_key = self._topic()
                topic = words.TOPICS[topic_key]
                if r.random() < 0.9:
                    org = councils[
                        bisect.bisect(council_cum, r.random() * council_cum[-1])
                    ]
                else:
                    org = r.choice(self.partner_orgs)
                title = _sentence_case(
                    text.fill(r.choice(topic["titles"]), r, [org.name], topic_key)
                )
                summary = self.bank.paragraph(topic_key, r.randint(2, 3), 0.1)
                body = self.bank.case_study_body(topic_key)
                stage = r.choices(
                    ("complete", "delivery", "planned", "idea"), (45, 30, 20, 5)
                )[0]
                start = (self.now - timedelta(days=r.randint(60, 6 * 365))).date()
                end = (
                    start + timedelta(days=r.randint(90, 900))
                    if stage == "complete"
                    else None
                )
                capital = r.randint(2, 4000) * 5000 if r.random() < 0.8 else None
                revenue = r.randint(1, 400) * 1000 if r.random() < 0.5 else None
                saved = None
                method, confidence = "", "estimated"
                if r.random() < 0.75:
                    saved = Decimal(str(round(min(r.lognormvariate(4, 1.3), 50000), 1)))
                    method = r.choice(words.EMISSIONS_METHODS)
                    confidence = "measured" if r.random() < 0.4 else "estimated"
                status = r.choices(("published", "submitted", "draft"), (85, 5, 10))[0]
                created = self._past(5 * 365)
                submitted = published = publisher = None
                if status != "draft":
                    submitted = min(
                        self.now, created + timedelta(days=r.randint(1, 60))
                    )
                if status == "published":
                    published = min(
                        self.now, submitted + timedelta(days=r.randint(1, 30))
                    )
                    publisher = r.choice(publishers)
                    self.published_case_studies.append((pk, title, topic_key))
                people = self._approved_in(org.pk)
                authors = r.sample(
                    people, min(len(people), r.choice((1, 1, 1, 2, 2, 3)))
                )
                contact = authors[0] if r.random() < 0.75 else r.choice(people)
                if r.random() < 0.08:
                    contact = None
                for member_id in authors:
                    author_rows.append((pk, member_id))
                chosen = {
                    self.themes[name]
                    for name in topic["themes"][: r.randint(1, 2)]
                    if name in self.themes
                }
                if r.random() < 0.2 and self.themes:
                    chosen.add(r.choice(list(self.themes.values())))
                themes_rows.extend((pk, theme_id) for theme_id in sorted(chosen))
                if r.random() < 0.25:
                    for partner in r.sample(self.partner_orgs, r.randint(1, 2)):
                        if partner.pk != org.pk:
                            partner_rows.append((pk, partner.pk))
                tags = set(
                    r.sample(topic["tags"], min(len(topic["tags"]), r.randint(2, 4)))
                )
                if r.random() < 0.15:
                    tags.add(r.choice(list(self.tag_ids)))
                tag_rows.extend((ct, pk, self.tag_ids[t]) for t in sorted(tags))
                yield (
                    pk, title, summary, body, org.pk, org.city_id, stage, start, end,
                    capital, revenue,
                    text.fill("{funder}", r, []) if capital else "",
                    saved, method, confidence,
                    " ".join(r.sample(words.CO_BENEFITS, 2)),
                    " ".join(r.sample(words.LESSONS, r.randint(1, 2))),
                    contact, status, submitted, published, publisher, created,
                    published or submitted or created,
                )  # fmt: skip

        with IndexesDropped(CaseStudy, self.stdout, self._drop(n)):
            self.counts["case studies"] = copy_rows(
                CaseStudy,
                [
                    "id",
                    "title",
                    "summary",
                    "body",
                    "organisation",
                    "city",
                    "stage",
                    "start_date",
                    "end_date",
                    "capital_cost",
                    "revenue_cost",
                    "funding_sources",
                    "emissions_saved",
                    "emissions_method",
                    "emissions_confidence",
                    "co_benefits",
                    "lessons_learned",
                    "contact",
                    "status",
                    "submitted_at",
                    "published_at",
                    "published_by",
                    "created_at",
                    "updated_at",
                ],  # fmt: skip
                rows(),
                progress,
            )
            progress.finish()
        self.counts["case study themes"] = copy_rows(
            CaseStudy.themes.through, ["casestudy", "theme"], themes_rows
        )
        self.counts["case study partners"] = copy_rows(
            CaseStudy.partners.through, ["casestudy", "organisation"], partner_rows
        )
        self.counts["case study authors"] = copy_rows(
            CaseStudy.authors.through, ["casestudy", "member"], author_rows
        )
        self.counts["case study tags"] = copy_rows(
            TaggedItem, ["content_type", "object_id", "tag"], tag_rows
        )

    def _drop(self, rows: int) -> bool:
        return self.sizes.drop_indexes and rows > DROP_INDEXES_ABOVE

    # --- events ----------------------------------------------------------------

    def load_events(self) -> None:
        r, n = self.rng, self.sizes.events
        event_id, session_id, registration_id = (
            next_id(ev.Event),
            next_id(ev.Session),
            next_id(ev.Registration),
        )
        first_event = event_id
        self.explicit_ids += [ev.Event, ev.Session, ev.Registration]
        events, themes, sessions, speakers = [], [], [], []
        registrations, feedback = [], []
        cities = sorted({o.city.name for o in self.councils if o.city_id})
        creators = self.pools.partners or self.pools.approved
        approved, elected = (
            self.pools.approved,
            self.pools.elected or self.pools.approved,
        )
        for _ in range(n):
            topic_key = self._topic()
            topic = words.TOPICS[topic_key]
            city = r.choice(cities)
            title = text.fill(
                r.choice(words.EVENT_TITLES)
                .replace("{topic_title}", topic_key.capitalize())
                .replace("{city}", city),
                r,
                cities,
                topic_key,
            )
            fmt = r.choices(("in_person", "online", "hybrid"), (40, 40, 20))[0]
            day = (self.now - timedelta(days=4 * 365)).date() + timedelta(
                days=r.randint(0, 5 * 365)
            )
            starts = datetime(day.year, day.month, day.day, r.choice((9, 10, 13, 14)), r.choice((0, 30)), tzinfo=UTC)  # fmt: skip
            hours = r.choice((1.5, 2, 3, 4, 6))
            ends = starts + timedelta(hours=hours)
            past = ends < self.now
            state = r.choices(("published", "draft", "cancelled"), (92, 3, 5))[0]
            if state == "draft" and past:
                state = "published"
            created = starts - timedelta(days=r.randint(20, 120))
            published = created + timedelta(days=1) if state != "draft" else None
            audience = r.choices(("everyone", "officers", "elected"), (80, 10, 10))[0]
            capacity = r.choice((20, 30, 40, 50, 60, 80, 100, 150, 200))
            venue = address = online = recording = ""
            if fmt != "online":
                venue = f"{r.choice(words.AREAS)} {r.choice(words.BUILDINGS)}, {city}"
                address = f"{r.randint(1, 200)} High Street\n{city}"
            if fmt != "in_person":
                online = f"https://meet.example.org/nzn-{event_id}"
                if past and r.random() < 0.6:
                    recording = f"https://video.example.org/nzn-{event_id}"
            description = "\n\n".join(
                self.bank.paragraph(topic_key, r.randint(2, 4)) for _ in range(2)
            )
            events.append((
                event_id, title, description, fmt, venue, address, online, starts, ends,
                audience, capacity, state, r.random() < 0.3, recording,
                r.choice(creators), created, published,
                created + timedelta(days=3) if state == "cancelled" else None,
            ))  # fmt: skip
            for name in topic["themes"][: r.randint(1, 2)]:
                if name in self.themes:
                    themes.append((event_id, self.themes[name]))
            if state == "published":
                self.published_events.append((event_id, title, topic_key))
            # The agenda: sessions one after another, each with its speakers.
            count = r.randint(2, 5)
            slot = (ends - starts) / count
            for index in range(count):
                session_title = text.fill(
                    r.choice(words.SESSION_TITLES), r, cities, topic_key
                )
                sessions.append((
                    session_id, event_id, starts + slot * index, starts + slot * (index + 1),
                    session_title, self.bank.paragraph(topic_key, r.randint(1, 2)),
                    recording if recording and r.random() < 0.5 else "",
                ))  # fmt: skip
                for order in range(r.choice((0, 1, 1, 2, 3))):
                    if r.random() < 0.7:
                        speakers.append((session_id, r.choice(approved), "", "", order))
                    else:
                        guest = f"{r.choice(words.FIRST_NAMES)} {r.choice(words.LAST_NAMES)}"
                        speakers.append((session_id, None, guest, r.choice(words.PARTNER_BODIES), order))  # fmt: skip
                session_id += 1
            # Registrations, in the order people registered: the first `capacity`
            # are confirmed, the rest wait; some cancel.
            if state == "draft":
                event_id += 1
                continue
            pool = elected if audience == "elected" else approved
            wanted = int(capacity * r.uniform(0.3, 1.3))
            opened = published or created
            window = max(60.0, (min(starts, self.now) - opened).total_seconds())
            times = sorted(r.random() * window for _ in range(min(wanted, len(pool))))
            confirmed = 0
            for offset, member_id in zip(
                times, r.sample(pool, len(times)), strict=True
            ):
                at = opened + timedelta(seconds=int(offset))
                cancelled_at = confirmed_at = reminder = asked = None
                attended = False
                if r.random() < 0.08 or state == "cancelled":
                    status = "cancelled"
                    cancelled_at = min(self.now, at + timedelta(days=r.randint(1, 10)))
                elif confirmed < capacity:
                    status, confirmed_at = "confirmed", at
                    confirmed += 1
                    if past:
                        reminder = starts - timedelta(days=1)
                        attended = r.random() < 0.8
                        if attended:
                            asked = ends + timedelta(days=1)
                            if r.random() < 0.3:
                                feedback.append((
                                    registration_id, r.choices((2, 3, 4, 5), (5, 15, 45, 35))[0],
                                    r.choice(words.CHAT_SENTENCES).format(area=r.choice(words.AREAS), topic=topic_key, bill=300)
                                    if r.random() < 0.5 else "",
                                    ends + timedelta(days=2),
                                ))  # fmt: skip
                else:
                    status = "waiting"
                needs = "Step-free access, please." if r.random() < 0.03 else ""
                diet = (
                    r.choice(("Vegetarian", "Vegan", "Gluten free"))
                    if r.random() < 0.1
                    else ""
                )
                registrations.append((
                    registration_id, event_id, member_id, status, needs, diet, at,
                    confirmed_at, cancelled_at, attended, reminder, asked,
                ))  # fmt: skip
                registration_id += 1
            event_id += 1

        self.counts["events"] = copy_rows(
            ev.Event,
            [
                "id",
                "title",
                "description",
                "format",
                "venue",
                "address",
                "online_url",
                "starts_at",
                "ends_at",
                "audience",
                "capacity",
                "state",
                "is_public",
                "recording_url",
                "created_by",
                "created_at",
                "published_at",
                "cancelled_at",
            ],  # fmt: skip
            events,
        )
        self.counts["event themes"] = copy_rows(
            ev.Event.themes.through, ["event", "theme"], themes
        )
        self.counts["event sessions"] = copy_rows(
            ev.Session,
            [
                "id",
                "event",
                "starts_at",
                "ends_at",
                "title",
                "description",
                "recording_url",
            ],
            sessions,
        )
        self.counts["event speakers"] = copy_rows(
            ev.Speaker, ["session", "member", "name", "organisation", "order"], speakers
        )
        progress = Progress(self.stdout, "event registrations", len(registrations))
        with IndexesDropped(
            ev.Registration, self.stdout, self._drop(len(registrations))
        ):
            self.counts["event registrations"] = copy_rows(
                ev.Registration,
                [
                    "id",
                    "event",
                    "member",
                    "status",
                    "access_needs",
                    "dietary_needs",
                    "registered_at",
                    "confirmed_at",
                    "cancelled_at",
                    "attended",
                    "reminder_sent_at",
                    "feedback_requested_at",
                ],  # fmt: skip
                registrations,
                progress,
            )
            progress.finish()
        self.counts["event feedback"] = copy_rows(
            ev.Feedback, ["registration", "rating", "comment", "created_at"], feedback
        )
        self._event_search_vectors(first_event)

    def _event_search_vectors(self, first_event: int) -> None:
        """What events.services.update_search_vector computes, for all at once:
        title (A), description (B), venue and the agenda with its speakers (C)."""
        event, session, speaker, member = (
            ev.Event._meta.db_table,
            ev.Session._meta.db_table,
            ev.Speaker._meta.db_table,
            Member._meta.db_table,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH agenda AS (
                  SELECT s.event_id,
                         string_agg(concat_ws(' ', s.title, s.description, sp.people),
                                    ' ' ORDER BY s.starts_at, s.id) AS words
                  FROM {session} s
                  LEFT JOIN (
                    SELECT x.session_id,
                           string_agg(concat_ws(' ', COALESCE(m.full_name, x.name),
                                                x.organisation), ' '
                                      ORDER BY x."order", x.id) AS people
                    FROM {speaker} x LEFT JOIN {member} m ON m.id = x.member_id
                    GROUP BY x.session_id
                  ) sp ON sp.session_id = s.id
                  WHERE s.event_id >= %s
                  GROUP BY s.event_id
                )
                UPDATE {event} e SET search_vector =
                    setweight(to_tsvector('english', COALESCE(e.title, '')), 'A')
                 || setweight(to_tsvector('english', COALESCE(e.description, '')), 'B')
                 || setweight(to_tsvector('english',
                        e.venue || ' ' || COALESCE(a.words, '')), 'C')
                FROM agenda a
                WHERE a.event_id = e.id AND e.id >= %s
                """,
                [first_event, first_event],
            )

    # --- discussions -------------------------------------------------------------

    def _forums(self) -> list[tuple[Forum, str | None]]:
        """The three standard forums plus themed ones, up to --forums in all, each
        with the topic its threads are about (None: any topic)."""
        topics = {slugify(name): topic for name, topic in words.FORUM_NAMES}
        missing = max(0, self.sizes.forums - Forum.objects.count())
        for order, (name, topic) in enumerate(words.FORUM_NAMES, start=10):
            if missing == 0:
                break
            if Forum.objects.filter(slug=slugify(name)).exists():
                continue
            theme_name = words.TOPICS[topic]["themes"][0] if topic else None
            Forum.objects.create(
                name=name,
                slug=slugify(name),
                order=order,
                description=f"Questions, answers and experience on {name.lower()}.",
                theme_id=self.themes.get(theme_name),
            )
            missing -= 1
        return [
            (forum, topics.get(forum.slug))
            for forum in Forum.objects.filter(moderators_only=False).order_by(
                "order", "pk"
            )
        ]

    def _thread_sizes(self, threads: int, posts: int) -> list[int]:
        """Posts per thread summing to ``posts``: most threads a handful, a few
        thousands (a lognormal with a long tail)."""
        r = self.rng
        if threads == 0:
            return []
        posts = max(posts, threads)
        raw = [r.lognormvariate(0, 2.0) for _ in range(threads)]
        scale = (posts - threads) / sum(raw)
        sizes = [1 + int(x * scale) for x in raw]
        # Hand the rounding remainder to the largest threads, one post each.
        short = posts - sum(sizes)
        order = sorted(range(threads), key=lambda i: -sizes[i])
        for i in range(short):
            sizes[order[i % threads]] += 1
        return sizes

    def load_forums(self) -> None:
        """Threads, then posts. Measured at a million posts: COPY into the posts
        table with its GIN search index and the author index in place was slower
        than dropping them and building them once afterwards, so above
        DROP_INDEXES_ABOVE rows they are dropped (inside the transaction)."""
        r = self.rng
        forums = self._forums()
        sizes = self._thread_sizes(self.sizes.threads, self.sizes.posts)
        special = {f.slug: f for f, _ in forums}
        general = [
            (f, t) for f, t in forums if f.slug not in ("case-studies", "events")
        ]
        forum_weights = [3 if t else 1 for _, t in general]
        thread_id = next_id(Thread)
        self.explicit_ids += [Thread, Post]
        threads, tag_rows, plans = [], [], []
        linked_cs = r.sample(
            self.published_case_studies,
            min(len(self.published_case_studies), len(sizes) // 20),
        )
        linked_ev = r.sample(
            self.published_events, min(len(self.published_events), len(sizes) // 30)
        )
        subjects = [("case-studies", self.ct[CaseStudy], s) for s in linked_cs] + [
            ("events", self.ct[ev.Event], s) for s in linked_ev
        ]
        posters, poster_cum = self.pools.posters, self.pools.poster_weights
        for index, size in enumerate(sizes):
            content_type = object_id = None
            if index < len(subjects) and subjects[index][0] in special:
                slug, content_type, (object_id, title, topic) = subjects[index]
                forum = special[slug]
            else:
                forum, topic = r.choices(general, forum_weights)[0]
                topic = topic or self._topic()
                tag = r.choice(words.TOPICS[topic]["tags"])
                title = _sentence_case(
                    text.fill(
                        r.choice(words.THREAD_TITLES).replace("{tag}", tag),
                        r,
                        [],
                        topic,
                    )
                )
            author = posters[bisect.bisect(poster_cum, r.random() * poster_cum[-1])]
            # Long threads run for longer; all end before now.
            span = min(3 * 365, 2 + size / 3) * 86400
            created = self._past(3 * 365)
            last = created + timedelta(seconds=int(span * r.uniform(0.5, 1)))
            if last > self.now:
                created -= last - self.now
                last = self.now - timedelta(minutes=r.randint(1, 600))
                created = min(created, last)
            if size == 1:
                last = created  # the opening post is the newest
            is_question = r.random() < 0.35
            answer = (
                r.randint(2, size)
                if is_question and size > 1 and r.random() < 0.6
                else 0
            )
            threads.append((
                thread_id, forum.pk, title, author, is_question, bool(answer),
                index % 400 == 0, r.random() < 0.01, r.random() < 0.005, created, last,
                size, content_type, object_id,
            ))  # fmt: skip
            for name in r.sample(words.TOPICS[topic]["tags"], r.randint(0, 2)):
                tag_rows.append((self.ct[Thread], thread_id, self.tag_ids[name]))
            plans.append((thread_id, author, topic, created, last, size, answer))
            thread_id += 1

        self.counts["forums"] = len(forums)
        self.counts["threads"] = copy_rows(
            Thread,
            [
                "id",
                "forum",
                "title",
                "author",
                "is_question",
                "has_answer",
                "is_pinned",
                "is_locked",
                "is_hidden",
                "created_at",
                "last_post_at",
                "post_count",
                "content_type",
                "object_id",
            ],  # fmt: skip
            threads,
        )
        self.counts["thread tags"] = copy_rows(
            TaggedItem, ["content_type", "object_id", "tag"], tag_rows
        )

        post_id = next_id(Post)
        watching = []  # (member, thread, last number they wrote)
        total = sum(sizes)
        progress = Progress(self.stdout, "posts", total)
        bank = self.bank

        def rows():
            nonlocal post_id
            for thread_pk, author, topic, created, last, size, answer in plans:
                span = (last - created).total_seconds()
                offsets = sorted(r.random() * span for _ in range(size - 2))
                offsets = [0.0, *offsets, span][:size]
                first_post = post_id
                wrote = {}
                for number, offset in enumerate(offsets, start=1):
                    who = (
                        author
                        if number == 1
                        else posters[
                            bisect.bisect(poster_cum, r.random() * poster_cum[-1])
                        ]
                    )
                    wrote[who] = number
                    body, body_html = bank.post(topic)
                    quoted = None
                    if number > 2 and r.random() < 0.03:
                        quoted = first_post + r.randrange(number - 1)
                    deleted = r.random() < 0.001
                    hidden = not deleted and r.random() < 0.001
                    if deleted:
                        body = body_html = ""
                    yield (
                        post_id, thread_pk, number, who, body, body_html, quoted,
                        created + timedelta(seconds=int(offset)), None, deleted, hidden,
                        "Off topic." if hidden else "", number == answer,
                    )  # fmt: skip
                    post_id += 1
                watching.extend((m, thread_pk, n) for m, n in wrote.items())

        with IndexesDropped(Post, self.stdout, self._drop(total)):
            self.counts["posts"] = copy_rows(
                Post,
                [
                    "id",
                    "thread",
                    "number",
                    "author",
                    "body",
                    "body_html",
                    "quoted",
                    "created_at",
                    "edited_at",
                    "is_deleted",
                    "is_hidden",
                    "hidden_reason",
                    "is_answer",
                ],  # fmt: skip
                rows(),
                progress,
            )
            self.timings["posts COPY"] = progress.finish()
        # Posting watches the thread and marks it read up to the member's post.
        self.counts["thread subscriptions"] = copy_rows(
            Subscription,
            ["member", "thread", "level"],
            ((m, t, "watching") for m, t, _ in watching),
        )
        self.counts["read marks"] = copy_rows(
            ReadMark, ["member", "thread", "last_read_number"], watching
        )

    # --- training ------------------------------------------------------------------

    def load_training(self) -> None:
        r = self.rng
        courses = [
            tr.Course.objects.create(
                name=name,
                toolkit_version=version,
                training_partner="Keep Scotland Beautiful",
                description="Carbon Literacy for Scotland's councils.",
                hours_required=Decimal(8),
            )
            for name, version in (
                ("Carbon Literacy for elected members", "Elected members toolkit, Scotland, v2.1"),
                ("Carbon Literacy for local authorities", "Local authority toolkit v3"),
                ("Carbon Literacy refresher", "Refresher toolkit v1"),
            )
        ]  # fmt: skip
        cohort_id, enrolment_id, evidence_id = (
            next_id(tr.Cohort),
            next_id(tr.Enrolment),
            next_id(tr.Evidence),
        )
        session_id = next_id(tr.Session)
        self.explicit_ids += [tr.Cohort, tr.Session, tr.Enrolment, tr.Evidence]
        cohorts, sessions, enrolments, attendance = [], [], [], []
        evidence, pledges, followups = [], [], []
        trainers = self.pools.partners or self.pools.approved
        today = self.now.date()
        for _ in range(self.sizes.cohorts):
            org = r.choice(self.councils) if r.random() < 0.9 else None
            course = r.choice(courses)
            trainer = r.choice(trainers)
            day = today + timedelta(days=r.randint(-3 * 365, 180))
            mode = r.choice(("online", "in_person"))
            capacity = r.choice((16, 20, 24))
            name = f"{course.name}: {org.name if org else 'cross-city'}, {day:%B %Y}"
            cohorts.append((
                cohort_id, course.pk, name, org.pk if org else None, mode,
                "Online" if mode == "online" else f"{r.choice(words.BUILDINGS).capitalize()}, {org.name if org else 'Perth'}",
                trainer, capacity, day - timedelta(days=7),
                datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=60),
            ))  # fmt: skip
            starts = [
                datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC) + timedelta(days=7 * k)
                for k in range(2)
            ]  # fmt: skip
            session_ids = []
            for k, at in enumerate(starts, start=1):
                sessions.append((session_id, cohort_id, f"Part {k}", at, Decimal(4)))
                session_ids.append((session_id, at))
                session_id += 1
            pool = (
                self.pools.elected_by_org.get(org.pk) if org else None
            ) or self.pools.elected
            if not pool:
                cohort_id += 1
                continue
            wanted = min(len(pool), capacity + r.randint(-6, 5))
            confirmed = 0
            for member_id in r.sample(pool, max(0, wanted)):
                joined = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(
                    days=r.randint(8, 50)
                )
                if r.random() < 0.07:
                    status = "cancelled"
                elif confirmed < capacity:
                    status = "confirmed"
                    confirmed += 1
                else:
                    status = "waiting"
                hours = 0
                if status == "confirmed":
                    for sid, at in session_ids:
                        if at < self.now and r.random() < (0.95 if hours == 0 else 0.9):
                            attendance.append((enrolment_id, sid, Decimal(4), trainer))
                            hours += 4
                        else:
                            break
                enrolments.append((
                    enrolment_id, cohort_id, member_id, status, Decimal(hours), min(joined, self.now),
                ))  # fmt: skip
                if hours >= 8:
                    self._evidence(
                        evidence, pledges, followups, evidence_id, enrolment_id,
                        starts[-1], trainer,
                    )  # fmt: skip
                    evidence_id += 1
                enrolment_id += 1
            cohort_id += 1

        self.counts["training courses"] = len(courses)
        self.counts["training cohorts"] = copy_rows(
            tr.Cohort,
            [
                "id",
                "course",
                "name",
                "organisation",
                "mode",
                "location",
                "trainer",
                "capacity",
                "signup_deadline",
                "created_at",
            ],  # fmt: skip
            cohorts,
        )
        self.counts["training sessions"] = copy_rows(
            tr.Session, ["id", "cohort", "title", "starts_at", "hours"], sessions
        )
        self.counts["training enrolments"] = copy_rows(
            tr.Enrolment,
            ["id", "cohort", "member", "status", "hours_attended", "created_at"],
            enrolments,
        )
        self.counts["training attendance"] = copy_rows(
            tr.Attendance, ["enrolment", "session", "hours", "recorded_by"], attendance
        )
        self.counts["training evidence"] = copy_rows(
            tr.Evidence,
            [
                "id",
                "enrolment",
                "learning",
                "role",
                "sharing",
                "status",
                "submitted_at",
                "sent_at",
                "sent_by",
                "certificate_number",
                "certified_on",
                "return_note",
            ],  # fmt: skip
            evidence,
        )
        self.counts["training pledges"] = copy_rows(
            tr.Pledge,
            [
                "evidence",
                "kind",
                "category",
                "action",
                "target_date",
                "progress",
                "progress_note",
                "progress_updated_at",
            ],  # fmt: skip
            pledges,
        )
        self.counts["pledge follow-ups"] = copy_rows(
            tr.PledgeFollowup, ["evidence", "months", "sent_at"], followups
        )

    def _evidence(
        self, evidence, pledges, followups, pk, enrolment, trained_at, trainer
    ):
        """The learner's evidence at a stage that fits how long ago they trained."""
        r = self.rng
        age = (self.now - trained_at).days
        if age > 90:
            weights = (3, 7, 10, 5, 75)
        elif age > 14:
            weights = (15, 30, 35, 5, 15)
        else:
            weights = (70, 25, 5, 0, 0)
        status = r.choices(
            ("draft", "submitted", "sent", "returned", "certified"), weights
        )[0]
        submitted = (
            trained_at + timedelta(days=r.randint(1, 10)) if status != "draft" else None
        )
        sent = (
            submitted + timedelta(days=r.randint(1, 10))
            if status in ("sent", "returned", "certified")
            else None
        )
        certified = (
            (sent + timedelta(days=r.randint(7, 40))).date()
            if status == "certified"
            else None
        )
        if certified and certified > self.now.date():
            certified = self.now.date()
        evidence.append((
            pk, enrolment, r.choice(words.EVIDENCE_LEARNING),
            self.bank.paragraph(self._topic(), 2), "I will brief my group and raise it at committee.",
            status, submitted, sent, trainer if sent else None,
            f"CLP-{certified:%Y}-{pk:06d}" if certified else "", certified,
            "Please make the group pledge more specific." if status == "returned" else "",
        ))  # fmt: skip
        categories = [c for c, _ in tr.Pledge.Category.choices]
        for kind in ("individual", "group"):
            progress, note, updated = "not_started", "", None
            if certified:
                progress = r.choices(
                    ("not_started", "under_way", "done", "dropped"), (20, 40, 30, 10)
                )[0]
                if progress != "not_started":
                    updated = datetime.combine(
                        certified, datetime.min.time(), UTC
                    ) + timedelta(days=r.randint(30, 300))
                    updated = min(updated, self.now)
                    note = (
                        "Raised at committee; officers are preparing a paper."
                        if progress == "under_way"
                        else ""
                    )
            pledges.append((
                pk, kind, r.choice(categories), r.choice(words.PLEDGES),
                trained_at.date() + timedelta(days=r.randint(90, 400)), progress, note, updated,
            ))  # fmt: skip
        if certified:
            for months in tr.FOLLOWUP_MONTHS:
                when = certified + timedelta(days=30 * months)
                if when <= self.now.date():
                    followups.append(
                        (pk, months, datetime.combine(when, datetime.min.time(), UTC))
                    )


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _sentence_case(value: str) -> str:
    return value[:1].upper() + value[1:]


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
