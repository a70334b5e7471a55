"""The weekly digest: on the day each approved member chose, one email with what is
new for them since the last one; none when there is nothing; each sent once, in
batches over one SMTP connection, whatever runs twice."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from network.forums import services as forum_services
from network.models import Member, NotificationSettings, Post
from portal.digest import jobs as digest_jobs
from portal.digest import queries
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event
from tests.factories import make_member, make_theme, organisation
from tests.forums.factories import make_forum, make_reply, make_thread
from tests.mailbackends import CountingBackend
from tests.queue import run_workers
from tests.training.factories import (
    make_cohort,
    make_elected,
    make_enrolment,
    make_evidence,
)

pytestmark = pytest.mark.django_db

SUBJECT = "Your week in the network"


def this_morning() -> datetime.datetime:
    """Today at 08:00 in the network's time: digests are due."""
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(8))
    )


def due_today(member, **fields):
    NotificationSettings.objects.update_or_create(
        member=member,
        defaults={"digest_day": timezone.localdate().weekday(), **fields},
    )
    return member


def digests_sent():
    return [m for m in mail.outbox if SUBJECT in m.subject]


def run_digest(jobs) -> int:
    jobs.run()  # whatever the set-up queued (notifications of new threads)
    mail.outbox.clear()
    planned = digest_jobs.plan_digests(this_morning())
    jobs.run()
    return planned


@pytest.fixture
def dundee_officer(db):
    return due_today(
        make_member(
            full_name="Dana Officer", organisation=organisation("Dundee City Council")
        )
    )


def test_the_digest_gathers_what_is_new_for_the_member(dundee_officer, jobs):
    member = dundee_officer
    heat = make_theme(name="Heat networks")
    forum = make_forum(name="Heat", theme=heat)
    forum_services.set_subscription(member, forum=forum, level="watching")
    glasgow = organisation("Glasgow City Council")
    make_case_study(title="Dundee district heating")
    make_case_study(title="Glasgow heat network", organisation=glasgow, themes=[heat])
    make_case_study(title="Glasgow bus lanes", organisation=glasgow)
    make_case_study(title="Dundee draft", status="draft")
    make_case_study(title="Dundee, my own", authors=[member])
    make_case_study(
        title="Dundee last month", published_at=timezone.now() - timedelta(days=30)
    )
    other = make_member(full_name="Olga Other")
    make_thread(forum=forum, author=other, title="Heat pump tariffs")
    make_thread(forum=make_forum(), author=other, title="Unwatched forum thread")
    old = make_thread(forum=forum, author=other, title="Long-running discussion")
    long_ago = timezone.now() - timedelta(days=20)
    type(old).objects.filter(pk=old.pk).update(created_at=long_ago)
    Post.objects.filter(thread=old).update(created_at=long_ago)
    for _ in range(3):
        make_reply(old, author=other)
    make_event(title="Heat forum in Perth")
    make_event(title="Councillors only", audience="elected")
    Member.objects.filter(pk=member.pk).update(unread_messages=2)

    assert run_digest(jobs) == 1

    (message,) = digests_sent()
    assert message.to == [member.email]
    body = message.body
    for shown in [
        "Dundee district heating",
        "Glasgow heat network",
        "Heat pump tariffs, by Olga Other in Heat",
        "Long-running discussion: 3 new posts",
        "Heat forum in Perth",
        "2 unread private messages",
    ]:
        assert shown in body
    for hidden in [
        "Glasgow bus lanes",
        "Dundee draft",
        "Dundee, my own",
        "Dundee last month",
        "Unwatched forum thread",
        "Councillors only",
        "Carbon Literacy",
    ]:
        assert hidden not in body
    ((html, _),) = message.alternatives
    assert "Dundee district heating" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert "/one-click/" in message.extra_headers["List-Unsubscribe"]
    assert "Stop the weekly digest: http" in body


def test_an_empty_digest_is_not_sent_and_nobody_is_due_twice(dundee_officer, jobs):
    assert run_digest(jobs) == 1
    assert digests_sent() == []
    prefs = NotificationSettings.objects.get(member=dundee_officer)
    assert prefs.last_digest_at is not None
    make_case_study(title="Dundee heat pumps")
    # Later the same day: nobody is due any more, news or not.
    assert run_digest(jobs) == 0
    assert digests_sent() == []


def test_the_next_digest_gathers_only_what_came_since_the_last(dundee_officer, jobs):
    make_case_study(title="Dundee first study")
    run_digest(jobs)
    assert "Dundee first study" in digests_sent()[0].body
    # A week later: the last digest was a week ago, and a new study came since.
    NotificationSettings.objects.filter(member=dundee_officer).update(
        last_digest_at=timezone.now() - timedelta(days=7, seconds=-5)
    )
    make_case_study(title="Dundee second study")
    # The first stays published, but is older than the last digest now.
    CaseStudy.objects.filter(title="Dundee first study").update(
        published_at=timezone.now() - timedelta(days=8)
    )
    run_digest(jobs)
    (message,) = digests_sent()
    assert "Dundee second study" in message.body
    assert "Dundee first study" not in message.body


def test_members_get_it_on_their_day_never_if_they_chose_and_only_if_approved(jobs):
    today = timezone.localdate().weekday()
    dundee = organisation("Dundee City Council")

    def dundee_member(email, **fields):
        return make_member(email=email, organisation=dundee, **fields)

    due_today(dundee_member("due@example.org"))
    due_today(dundee_member("never@example.org"), digest_day=7)
    due_today(dundee_member("other-day@example.org"), digest_day=(today + 1) % 7)
    due_today(dundee_member("pending@example.org", approved=False))
    dundee_member("no-settings@example.org")  # the default: Monday
    make_case_study(title="Dundee news")
    expected = {"due@example.org"}
    if today == 0:
        expected.add("no-settings@example.org")
    assert run_digest(jobs) == len(expected)
    assert {m.to[0] for m in digests_sent()} == expected
    stamped = NotificationSettings.objects.filter(last_digest_at__isnull=False)
    assert set(stamped.values_list("member__email", flat=True)) == expected


def test_nothing_is_planned_before_seven_in_the_morning(dundee_officer, jobs):
    early = this_morning().replace(hour=6)
    assert digest_jobs.plan_digests(early) == 0
    assert jobs.waiting() == []


def test_the_day_is_chosen_on_the_email_settings_page(member_client, member):
    url = reverse("network:notification_settings")
    page = member_client.get(url)
    assert b"weekly digest" in page.content
    member_client.post(url, {"email_mention": "on", "digest_day": "4"})
    assert NotificationSettings.objects.get(member=member).digest_day == 4
    response = member_client.post(url, {"digest_day": "9"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert NotificationSettings.objects.get(member=member).digest_day == 4


def test_elected_members_get_their_training_news(jobs):
    soon = make_cohort(name="Stirling spring cohort", sessions=1)
    soon.sessions.update(starts_at=timezone.now() + timedelta(days=3))
    learner = due_today(make_elected(full_name="Cllr Soon"))
    make_enrolment(soon, learner)
    # The evidence clock runs 14 days from the cohort's last session.
    done = make_cohort(name="Autumn cohort", sessions=2, days_ago=3)
    trained = due_today(make_elected(full_name="Cllr Trained"))
    make_enrolment(done, trained, hours_attended=8)
    submitted = due_today(make_elected(full_name="Cllr Submitted"))
    make_evidence(make_enrolment(done, submitted, hours_attended=8))
    make_case_study(
        title="News for everyone", organisation=organisation("Dundee City Council")
    )
    for member in (learner, trained, submitted):
        member.organisation = organisation("Dundee City Council")
        member.save()

    run_digest(jobs)

    by_member = {m.to[0]: m.body for m in digests_sent()}
    assert "Next session of Stirling spring cohort" in by_member[learner.email]
    due_on = (timezone.localdate() + timedelta(days=11)).strftime("%A %-d %B")
    assert f"evidence and pledges are due by {due_on}" in by_member[trained.email]
    assert "Next session" not in by_member[trained.email]
    assert "Carbon Literacy" not in by_member[submitted.email]


def test_one_click_from_the_digest_turns_it_off(dundee_officer, jobs):
    make_case_study(title="Dundee heat")
    run_digest(jobs)
    (message,) = digests_sent()
    one_click = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client().post(one_click, {"List-Unsubscribe": "One-Click"})
    assert b"the weekly digest" in response.content.lower()
    prefs = NotificationSettings.objects.get(member=dundee_officer)
    assert prefs.digest_day == NotificationSettings.DigestDay.NEVER


def test_batches_of_members_each_go_over_one_connection(settings, monkeypatch, jobs):
    settings.EMAIL_BACKEND = "tests.mailbackends.CountingBackend"
    CountingBackend.opened = 0
    monkeypatch.setattr(digest_jobs, "BATCH", 5)
    members = [
        due_today(make_member(organisation=organisation("Dundee City Council")))
        for _ in range(12)
    ]
    make_case_study(title="Dundee news")
    jobs.run()
    CountingBackend.opened = 0
    assert digest_jobs.plan_digests(this_morning()) >= 12
    assert jobs.run() >= 3
    assert sorted(m.to[0] for m in digests_sent()) == sorted(m.email for m in members)
    assert CountingBackend.opened == len(jobs_batches(members, 5))


def jobs_batches(members, size):
    return [members[i : i + size] for i in range(0, len(members), size)]


def _digest_queries(count: int) -> int:
    heat = make_theme()
    forum = make_forum(theme=heat)
    for _ in range(count):
        member = due_today(
            make_member(organisation=organisation("Dundee City Council"))
        )
        forum_services.set_subscription(member, forum=forum, level="watching")
        make_case_study(authors=[member], themes=[heat])
        make_thread(forum=forum, author=member)
    make_event()
    elected = due_today(make_elected())
    make_enrolment(make_cohort(sessions=1), elected)
    last = dict(
        NotificationSettings.objects.filter(
            digest_day=timezone.localdate().weekday()
        ).values_list("member_id", "last_digest_at")
    )
    with CaptureQueriesContext(connection) as queries_run:
        digests = queries.digests_for(last, timezone.now())
        for digest in digests:
            if not digest.is_empty():
                digest_jobs.digest_message(digest).message()
    assert sum(not d.is_empty() for d in digests) >= count
    return len(queries_run)


def test_a_batch_reads_in_a_fixed_handful_of_queries(django_assert_max_num_queries):
    few = _digest_queries(2)
    many = _digest_queries(20)
    assert few == many
    with django_assert_max_num_queries(12):
        queries.digests_for({}, timezone.now())
    assert many <= 12


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_two_planners_send_each_digest_once(monkeypatch):
    monkeypatch.setattr(digest_jobs, "BATCH", 4)
    members = [
        due_today(make_member(organisation=organisation("Dundee City Council")))
        for _ in range(10)
    ]
    make_case_study(title="Dundee news for everyone")
    # Two ticks of the schedule at once (a worker catching up), two workers.
    tick = int(this_morning().timestamp())
    digest_jobs.plan_weekly_digest.defer(timestamp=tick)
    digest_jobs.plan_weekly_digest.defer(timestamp=tick + 3600)
    # And the same members' batch twice over, as two planners would make it.
    ids = [m.pk for m in members]
    for _ in range(2):
        digest_jobs.send_digest_batch.defer(
            member_ids=ids, day=timezone.localdate().isoformat()
        )

    run_workers(2)

    sent = sorted(m.to[0] for m in digests_sent())
    assert sent == sorted(m.email for m in members)


def test_the_digest_is_planned_hourly_by_the_worker():
    from procrastinate.contrib.django import app

    crons = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert crons["portal.digest.jobs.plan_weekly_digest"] == "0 * * * *"


def test_a_second_planner_queues_no_batch_already_waiting(dundee_officer, jobs):
    assert digest_jobs.plan_digests(this_morning()) == 1
    assert digest_jobs.plan_digests(this_morning()) == 0
    assert len(jobs.waiting("portal.digest.jobs.send_digest_batch")) == 1
