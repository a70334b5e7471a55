"""What a weekly digest gathers, for a whole batch of members at once: a fixed
handful of queries per batch, whatever its size, then each member's part picked
out in Python.

"Themes they follow": members follow no theme directly, so a member's themes are
those of the forums they watch and of the case studies they wrote.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from casestudies.models import CaseStudy
from events.models import Event
from network.models import Member, Subscription, Thread
from training.models import Cohort, Enrolment, Evidence
from training.models import Session as TrainingSession

# Each part of a digest lists at most this many items.
MOST_PER_PART = 5
# Busiest discussions: threads with at least this many new posts.
BUSY_AT_LEAST = 2
# What a first digest looks back over, and the furthest any digest looks back
# (a member who comes back from "never" gets a fortnight, not a year).
FIRST_LOOK_BACK = timedelta(days=7)
LONGEST_LOOK_BACK = timedelta(days=14)
# A cohort session within this long is "next session" news (to the next digest).
SESSION_AHEAD = timedelta(days=8)
# Candidates read per batch for all its members; far more than a week brings.
CANDIDATES = 500

# Evidence the learner still has to write (or rewrite).
EVIDENCE_DUE = (Evidence.Status.DRAFT, Evidence.Status.RETURNED)


@dataclass
class Digest:
    member: Member
    since: datetime
    case_studies: list = field(default_factory=list)
    new_threads: list = field(default_factory=list)
    busy_threads: list = field(default_factory=list)
    events: list = field(default_factory=list)
    next_session: TrainingSession | None = None
    evidence_due: Enrolment | None = None
    evidence_due_on: date | None = None

    @property
    def unread_messages(self) -> int:
        return self.member.unread_messages

    def is_empty(self) -> bool:
        """Nothing new: not sent. Unread messages alone do not make a digest (each
        message was emailed already); they are mentioned when there is news."""
        return not (
            self.case_studies
            or self.new_threads
            or self.busy_threads
            or self.events
            or self.next_session
            or self.evidence_due
        )


def look_back_from(last_digest_at: datetime | None, now: datetime) -> datetime:
    since = last_digest_at or now - FIRST_LOOK_BACK
    return max(since, now - LONGEST_LOOK_BACK)


def digests_for(last_digest: dict[int, datetime | None], now: datetime) -> list[Digest]:
    """The digest of each member in ``last_digest`` ({member id: their last digest
    time or None}), approved members only, in member id order."""
    members = list(
        Member.objects.approved()
        .filter(pk__in=list(last_digest))
        .select_related("organisation", "notification_settings")
        .order_by("pk")
    )
    if not members:
        return []
    digests = [
        Digest(member, look_back_from(last_digest[member.pk], now))
        for member in members
    ]
    oldest = min(digest.since for digest in digests)
    ids = [member.pk for member in members]

    forums = _watched_forums(ids)
    themes = _followed_themes(ids, forums)
    _add_case_studies(digests, themes, oldest)
    _add_threads(digests, forums, oldest)
    _add_events(digests, oldest, now)
    _add_training(digests, now)
    return digests


def _city_id(member) -> int | None:
    return member.organisation.city_id if member.organisation_id else None


def _watched_forums(ids) -> dict[int, dict[int, int | None]]:
    """{member id: {forum id: its theme id}} of the forums each member watches."""
    watched = defaultdict(dict)
    rows = Subscription.objects.filter(
        member_id__in=ids,
        forum__isnull=False,
        level=Subscription.Level.WATCHING,
        forum__moderators_only=False,
    ).values_list("member_id", "forum_id", "forum__theme_id")
    for member_id, forum_id, theme_id in rows:
        watched[member_id][forum_id] = theme_id
    return watched


def _followed_themes(ids, forums) -> dict[int, set[int]]:
    themes = defaultdict(set)
    for member_id, forum_themes in forums.items():
        themes[member_id].update(t for t in forum_themes.values() if t)
    authored = CaseStudy.themes.through.objects.filter(
        casestudy__authors__in=ids
    ).values_list("casestudy__authors", "theme_id")
    for member_id, theme_id in authored:
        themes[member_id].add(theme_id)
    return themes


def _add_case_studies(digests, themes, oldest) -> None:
    cities = {_city_id(d.member) for d in digests} - {None}
    all_themes = set().union(*themes.values()) if themes else set()
    candidates = list(
        CaseStudy.objects.published()
        .filter(published_at__gte=oldest)
        .filter(Q(city_id__in=cities) | Q(themes__in=all_themes))
        .distinct()
        .select_related("city")
        .prefetch_related("themes", "authors")
        .order_by("-published_at", "-pk")[:CANDIDATES]
    )
    for digest in digests:
        member, city_id = digest.member, _city_id(digest.member)
        mine = themes.get(member.pk, set())
        digest.case_studies = [
            case_study
            for case_study in candidates
            if case_study.published_at > digest.since
            and member not in case_study.authors.all()
            and (
                (city_id and case_study.city_id == city_id)
                or mine.intersection(t.pk for t in case_study.themes.all())
            )
        ][:MOST_PER_PART]


def _add_threads(digests, forums, oldest) -> None:
    forum_ids = {f for watched in forums.values() for f in watched}
    if not forum_ids:
        return
    visible = Thread.objects.for_role(moderator=False).filter(forum_id__in=forum_ids)
    new = list(
        visible.filter(created_at__gte=oldest)
        .select_related("forum", "author")
        .order_by("-created_at", "-pk")[:CANDIDATES]
    )
    # The busiest: most posts since the batch's oldest look-back (members due the
    # same day almost all share it), among threads with a post since the member's.
    busy = list(
        visible.filter(last_post_at__gte=oldest)
        .annotate(
            new_posts=Count(
                "posts",
                filter=Q(
                    posts__created_at__gte=oldest,
                    posts__is_hidden=False,
                    posts__is_deleted=False,
                ),
            )
        )
        .filter(new_posts__gte=BUSY_AT_LEAST)
        .select_related("forum")
        .order_by("-new_posts", "-last_post_at")[:CANDIDATES]
    )
    for digest in digests:
        watched = forums.get(digest.member.pk, {})
        digest.new_threads = [
            thread
            for thread in new
            if thread.forum_id in watched
            and thread.created_at > digest.since
            and thread.author_id != digest.member.pk
        ][:MOST_PER_PART]
        listed = {thread.pk for thread in digest.new_threads}
        digest.busy_threads = [
            thread
            for thread in busy
            if thread.forum_id in watched
            and thread.last_post_at > digest.since
            and thread.pk not in listed
        ][:MOST_PER_PART]


def _add_events(digests, oldest, now) -> None:
    """Upcoming events announced since the last digest, of the member's audience."""
    announced = list(
        Event.objects.published()
        .upcoming(now)
        .filter(published_at__gte=oldest)[:CANDIDATES]
    )
    for digest in digests:
        digest.events = [
            event
            for event in announced
            if event.published_at > digest.since and event.is_for(digest.member)
        ][:MOST_PER_PART]


def _add_training(digests, now) -> None:
    """For elected members: their cohort's next session, and their evidence while
    its clock runs (from the cohort's last session to the day it is due,
    training.models.SEND_WITHIN_DAYS later) and they have not submitted it."""
    elected = {d.member.pk: d for d in digests if d.member.is_elected_member}
    if not elected:
        return
    enrolments = (
        Enrolment.objects.filter(
            member_id__in=list(elected), status=Enrolment.Status.CONFIRMED
        )
        .select_related("evidence")
        .order_by("member_id", "-created_at")
    )
    latest = {}
    for enrolment in enrolments:
        latest.setdefault(enrolment.member_id, enrolment)
    cohort_ids = {e.cohort_id for e in latest.values()}
    cohorts = {c.pk: c for c in Cohort.objects.with_stage().filter(pk__in=cohort_ids)}
    sessions = TrainingSession.objects.filter(
        cohort_id__in=cohort_ids,
        starts_at__gte=now,
        starts_at__lt=now + SESSION_AHEAD,
    ).order_by("starts_at")
    next_of_cohort = {}
    for session in sessions:
        next_of_cohort.setdefault(session.cohort_id, session)
    today = timezone.localdate(now)
    for member_id, enrolment in latest.items():
        digest = elected[member_id]
        cohort = cohorts[enrolment.cohort_id]
        digest.next_session = next_of_cohort.get(cohort.pk)
        if digest.next_session:
            digest.next_session.cohort = cohort
        evidence = getattr(enrolment, "evidence", None)
        awaited = evidence is None or evidence.status in EVIDENCE_DUE
        clock_runs = (
            cohort.last_ends_at is not None
            and cohort.last_ends_at <= now
            and cohort.evidence_days_left(today) >= 0
        )
        if awaited and clock_runs:
            digest.evidence_due = enrolment
            digest.evidence_due_on = cohort.evidence_due_on
