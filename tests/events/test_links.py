"""An event's links to the other areas: a talk becomes a draft case study, and
members can discuss an event."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Event
from tests.events.factories import make_event, make_session
from tests.factories import make_member, make_theme, organisation

pytestmark = pytest.mark.django_db


def test_coordinator_turns_a_talk_into_a_draft_case_study(coordinator_client):
    theme = make_theme()
    event = make_event(title="Heat day", themes=[theme])
    speaker = make_member(
        full_name="Aileen Murray", organisation=organisation("Dundee City Council")
    )
    session = make_session(
        event,
        title="Dundee's district heating",
        description="How we built it.",
        speakers=[speaker],
        slides=SimpleUploadedFile("heat.pdf", b"%PDF-1.4 the slides"),
    )
    response = coordinator_client.post(
        reverse("events:session_to_case_study", args=[event.pk, session.pk])
    )
    case_study = CaseStudy.objects.get(title="Dundee's district heating")
    assert response["Location"] == case_study.get_absolute_url()
    assert case_study.status == "draft"
    assert list(case_study.authors.all()) == [speaker]
    assert case_study.organisation.name == "Dundee City Council"
    assert list(case_study.themes.all()) == [theme]
    (attachment,) = case_study.attachments.all()
    assert attachment.file.read() == b"%PDF-1.4 the slides"


def test_a_guest_talk_cannot_become_a_case_study(coordinator_client):
    event = make_event()
    session = make_session(event, guests=[("Jane Smith", "Scottish Government")])
    response = coordinator_client.post(
        reverse("events:session_to_case_study", args=[event.pk, session.pk]),
        follow=True,
    )
    assert b"given by a member of the portal" in response.content
    assert not CaseStudy.objects.exists()


def test_members_cannot_make_case_studies_from_talks(member_client):
    event = make_event()
    session = make_session(event, speakers=[make_member()])
    url = reverse("events:session_to_case_study", args=[event.pk, session.pk])
    assert member_client.post(url).status_code == 403


def test_discuss_this_starts_one_thread(member_client, other_client):
    event = make_event(title="Transport and circular economy")
    url = reverse("events:discuss", args=[event.pk])
    first = member_client.post(url)
    second = other_client.post(url)
    assert first.status_code == 302
    assert first["Location"] == second["Location"]
    page = member_client.get(event.get_absolute_url())
    assert b"Join the discussion of this event" in page.content


def test_no_discussion_of_drafts(member_client):
    event = make_event(state=Event.State.DRAFT)
    assert (
        member_client.post(reverse("events:discuss", args=[event.pk])).status_code
        == 404
    )
