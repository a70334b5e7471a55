"""The review workflow holds under double clicks and reviewers acting at once."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies import services
from casestudies.models import CaseStudy
from tests.casestudies.factories import make_case_study
from tests.casestudies.test_writing import form_data
from tests.factories import make_coordinator, make_member
from tests.queue import run_worker

pytestmark = pytest.mark.django_db

SUBMITTED = CaseStudy.Status.SUBMITTED
PUBLISHED = CaseStudy.Status.PUBLISHED


def test_publishing_twice_emails_the_authors_once(member, coordinator, jobs):
    # Two clicks (or two coordinators) each load the submitted case study before
    # either publishes it: the second must see the first's publication.
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    first_click = CaseStudy.objects.get(pk=case_study.pk)
    second_click = CaseStudy.objects.get(pk=case_study.pk)
    with jobs:
        assert services.publish_case_study(first_click, published_by=coordinator)
    with jobs:
        published_again = services.publish_case_study(
            second_click, published_by=make_coordinator()
        )
    assert published_again is False
    assert [m.to for m in mail.outbox] == [[member.email]]
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
    assert case_study.published_by == coordinator


def test_returning_twice_emails_the_authors_once(member, coordinator, jobs):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    clicks = [CaseStudy.objects.get(pk=case_study.pk) for _ in range(2)]
    with jobs:
        for click in clicks:
            services.return_case_study(
                click, returned_by=coordinator, comments="Add the costs."
            )
    assert len(mail.outbox) == 1


def test_submitting_twice_tells_the_reviewers_once(member, coordinator, jobs):
    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    clicks = [CaseStudy.objects.get(pk=case_study.pk) for _ in range(2)]
    with jobs:
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
    run_worker()
    assert [m.to for m in mail.outbox] == [[author.email]]


# --- Editing a published case study -------------------------------------------


def test_an_authors_edit_of_a_published_one_goes_back_for_review(
    member, member_client, other_client, coordinator, jobs
):
    # The network must not read an author's change that no reviewer has seen.
    case_study = make_case_study(authors=[member], title="Dundee heat pumps")
    edit_url = reverse("casestudies:edit", args=[case_study.pk])
    assertContains(member_client.get(edit_url), "sends it back to the reviewers")
    with jobs:
        response = member_client.post(
            edit_url, form_data(title="Dundee heat pumps, revised"), follow=True
        )
    assertContains(response, "gone back to the reviewers")
    case_study.refresh_from_db()
    assert case_study.title == "Dundee heat pumps, revised"
    assert case_study.status == SUBMITTED
    assert mail.outbox[-1].to == [coordinator.email]
    assert "Dundee heat pumps, revised" in mail.outbox[-1].body
    assert other_client.get(case_study.get_absolute_url()).status_code == 404
    assertNotContains(other_client.get(reverse("casestudies:list")), "Dundee heat")


def test_a_coordinators_edit_of_a_published_one_stays_published(
    member, coordinator_client, other_client, jobs
):
    case_study = make_case_study(authors=[member])
    edit_url = reverse("casestudies:edit", args=[case_study.pk])
    assertNotContains(coordinator_client.get(edit_url), "sends it back")
    with jobs:
        coordinator_client.post(edit_url, form_data(title="Typo fixed"))
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
    assert mail.outbox == []
    assertContains(other_client.get(case_study.get_absolute_url()), "Typo fixed")


def test_an_authors_edit_of_a_draft_stays_a_draft(member, member_client):
    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    edit_url = reverse("casestudies:edit", args=[case_study.pk])
    assertNotContains(member_client.get(edit_url), "sends it back")
    member_client.post(edit_url, form_data())
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.DRAFT


def test_saving_a_published_one_unchanged_keeps_it_published(member, member_client):
    member_client.post(reverse("casestudies:create"), form_data())
    case_study = CaseStudy.objects.get()
    case_study.status = PUBLISHED
    case_study.save()
    unchanged = form_data(city=case_study.city_id)
    member_client.post(reverse("casestudies:edit", args=[case_study.pk]), unchanged)
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
