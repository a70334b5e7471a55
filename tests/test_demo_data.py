"""The demo data (manage.py load_demo_data, which bin/run loads) shows every
feature, loads quickly and can be loaded twice."""

import io
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casestudies.models import CaseStudy
from events.models import Event, Feedback, Registration
from events.models import Session as EventSession
from network.conversations.models import Conversation
from network.models import City, Member, Notification, Post, Thread
from network.roles import must_use_second_factor
from training.models import Cohort, Enrolment, Evidence

pytestmark = pytest.mark.django_db


# The demo loads in about 5 s on a quiet 2-core machine (< 10 s is the aim). Wall
# time on a shared machine varies fourfold, so the test holds the query count,
# which does not, and only guards the time loosely.
MOST_QUERIES = 2_900


@pytest.fixture
def load(settings, jobs):
    def load():
        settings.DEBUG = True
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            call_command("load_demo_data", stdout=io.StringIO())
        seconds = time.monotonic() - started
        settings.DEBUG = False
        jobs.run()  # the mentions' notifications
        return len(queries), seconds

    return load


def test_demo_data_shows_every_feature_quickly_and_loads_twice(load):
    queries, seconds = load()
    assert queries <= MOST_QUERIES
    assert seconds < 30

    # 40 case studies, across every city and every project stage.
    assert CaseStudy.objects.count() == 40
    published = CaseStudy.objects.published()
    assert published.count() == 37
    # Some from outside the network, at every kind of place, never in a city.
    outside = published.outside()
    assert set(outside.values_list("place", flat=True)) == {"scotland", "uk", "abroad"}
    assert not outside.filter(city__isnull=False).exists()
    # Some with every PBCCD figure, some without (the download lists them).
    complete = (
        published.in_network()
        .filter(
            lifetime_years__isnull=False,
            savings_from_year__isnull=False,
            cost_saving__isnull=False,
            operational_cost__isnull=False,
            behaviour_change__isnull=False,
        )
        .exclude(primary_source="")
    )
    assert 10 <= complete.count() < published.in_network().count()
    assert complete.filter(drivers__slug="pbccd").count() == complete.count()
    assert published.filter(drivers__slug="lhees").exists()
    assert set(published.values_list("city__name", flat=True)) >= set(
        City.objects.values_list("name", flat=True)
    )
    # Other councils too.
    assert published.in_network().filter(city__isnull=True).exists()
    assert set(published.values_list("stage", flat=True)) == set(CaseStudy.Stage.values)
    assert set(CaseStudy.objects.values_list("status", flat=True)) == set(
        CaseStudy.Status.values
    )

    # 20 threads, with answers (helpful ones on questions) and mentions.
    assert Thread.objects.count() == 20
    threads = Thread.objects.annotate(n=Count("posts"))
    assert all(thread.n >= 2 for thread in threads)
    assert Post.objects.count() >= 50
    questions = Thread.objects.filter(is_question=True)
    assert questions.count() >= 8
    assert not questions.filter(has_answer=False).exists()
    assert Notification.objects.filter(kind="mention").count() >= 12

    # Past events with materials and feedback; upcoming ones, one with a waiting list.
    now = timezone.now()
    past = Event.objects.filter(ends_at__lt=now)
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert past.count() == 3 and upcoming.count() == 3
    assert EventSession.objects.filter(event__in=past).exclude(slides="").count() >= 5
    assert past.exclude(recording_url="").count() >= 2
    assert Feedback.objects.count() >= 3
    assert Registration.objects.filter(
        event__in=upcoming, status=Registration.Status.WAITING
    ).exists()

    # Cohorts in every state, with evidence due and late.
    stages = [c.stage for c in Cohort.objects.with_stage()]
    assert set(stages) >= {
        Cohort.Stage.TAKING_SIGNUPS,
        Cohort.Stage.RUNNING,
        Cohort.Stage.FINISHED,
    }
    days_left = {
        c.name: c.evidence_days_left()
        for c in Cohort.objects.with_stage().filter(stage=Cohort.Stage.FINISHED)
    }
    assert any(0 <= d <= 14 for d in days_left.values())  # evidence due
    assert any(d < 0 for d in days_left.values())  # and late
    assert set(Evidence.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "sent",
        "certified",
    }
    assert Enrolment.objects.filter(status="waiting").exists()

    # A few conversations; members in every approval state, flagged sign-ups too.
    assert Conversation.objects.count() >= 3
    assert set(Member.objects.values_list("approval_state", flat=True)) == set(
        Member.Approval.values
    )
    flagged = Member.objects.filter(approval_state="pending", needs_review=True)
    assert flagged.filter(email__endswith="@gmail.com").exists()
    assert flagged.filter(Q(organisation__isnull=True)).exists()

    # Staff and coordinators with the second factor their role needs (an
    # authenticator app and recovery codes); an officer with a passkey.
    must = [m for m in Member.objects.all() if must_use_second_factor(m)]
    assert len(must) >= 2
    for member in must:
        kinds = set(member.authenticator_set.values_list("type", flat=True))
        assert kinds >= {"totp", "recovery_codes"}, member
    passkey = Authenticator.objects.get(type="webauthn")
    assert passkey.user.member_type == Member.MemberType.OFFICER
    assert passkey.wrap().authenticator_data.credential_data  # as a browser's

    # A second load adds nothing.
    models = (Member, CaseStudy, Thread, Post, Event, Cohort, Enrolment, Authenticator)
    counts = [model.objects.count() for model in models]
    load()
    assert counts == [model.objects.count() for model in models]
