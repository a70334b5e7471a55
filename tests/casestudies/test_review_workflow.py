"""The review workflow holds under double clicks and reviewers acting at once."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from casestudies import services
from casestudies.models import CaseStudy
from tests.casestudies.factories import make_case_study
from tests.factories import make_coordinator, make_member

pytestmark = pytest.mark.django_db

SUBMITTED = CaseStudy.Status.SUBMITTED
PUBLISHED = CaseStudy.Status.PUBLISHED


def test_publishing_twice_emails_the_authors_once(
    member, coordinator, django_capture_on_commit_callbacks
):
    # Two clicks (or two coordinators) each load the submitted case study before
    # either publishes it: the second must see the first's publication.
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    first_click = CaseStudy.objects.get(pk=case_study.pk)
    second_click = CaseStudy.objects.get(pk=case_study.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_case_study(first_click, published_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        published_again = services.publish_case_study(
            second_click, published_by=make_coordinator()
        )
    assert published_again is False
    assert [m.to for m in mail.outbox] == [[member.email]]
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
    assert case_study.published_by == coordinator


def test_returning_twice_emails_the_authors_once(
    member, coordinator, django_capture_on_commit_callbacks
):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    clicks = [CaseStudy.objects.get(pk=case_study.pk) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for click in clicks:
            services.return_case_study(
                click, returned_by=coordinator, comments="Add the costs."
            )
    assert len(mail.outbox) == 1


def test_submitting_twice_tells_the_reviewers_once(
    member, coordinator, django_capture_on_commit_callbacks
):
    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    clicks = [CaseStudy.objects.get(pk=case_study.pk) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        results = [
            services.submit_for_review(click, submitted_by=member) for click in clicks
        ]
    assert results == [True, False]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_publish_waits_for_the_first_and_then_does_nothing():
    # Two coordinators at once: the second publish runs while the first one's
    # transaction is still open, so it must wait for it rather than read the old
    # status and publish (and email) a second time.
    author = make_member()
    case_study = make_case_study(status=SUBMITTED, authors=[author])
    first_in, second_started = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = services.publish_case_study(
                    CaseStudy.objects.get(pk=case_study.pk),
                    published_by=make_coordinator(),
                )
                first_in.set()
                second_started.wait(5)
                time.sleep(0.3)  # the second is now blocked on the lock (or not)
        finally:
            connection.close()

    def second():
        try:
            first_in.wait(5)
            stale = CaseStudy.objects.get(pk=case_study.pk)
            second_started.set()
            results["second"] = services.publish_case_study(
                stale, published_by=make_coordinator()
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {"first": True, "second": False}
    assert [m.to for m in mail.outbox] == [[author.email]]
