"""Access and dietary needs are special category data (UK GDPR Art. 9): asked
with their purpose, kept only under an explicit consent, seen only by the
registrant and the coordinators running the event, and downloaded for the venue
or caterer apart from the registrations list."""

import csv
import io

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Registration
from tests.conftest import client_for
from tests.events.factories import make_event, make_registration
from tests.factories import make_coordinator, make_member

pytestmark = pytest.mark.django_db

CONSENT_ERROR = "Tick the box to agree to us using your needs"


def _register(client, event, **data):
    return client.post(reverse("events:register", args=[event.pk]), data)


def test_the_form_says_why_it_asks_and_has_a_separate_consent_box(member_client):
    event = make_event()
    page = member_client.get(event.get_absolute_url())
    assertContains(page, "only to arrange your place")
    assertContains(page, 'name="needs_consent"')
    assertContains(page, 'type="checkbox"')


def test_needs_without_consent_are_refused_and_nothing_typed_is_lost(
    member, member_client
):
    event = make_event()
    response = _register(
        member_client, event, access_needs="Step-free route", dietary_needs="Coeliac"
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["needs_consent"]
    assertContains(response, CONSENT_ERROR)
    assertContains(response, 'href="#id_needs_consent"')
    assertContains(response, "Step-free route")
    assertContains(response, "Coeliac")
    assert not Registration.objects.filter(event=event, member=member).exists()


def test_with_consent_the_needs_are_kept_with_when_it_was_given(member, member_client):
    event = make_event()
    _register(member_client, event, dietary_needs="Coeliac", needs_consent="on")
    registration = Registration.objects.get(event=event, member=member)
    assert registration.dietary_needs == "Coeliac"
    assert registration.needs_consent_at is not None
    # The registrant sees their own needs, the box still ticked.
    page = member_client.get(event.get_absolute_url())
    assertContains(page, "Coeliac")
    assert page.context["form"]["needs_consent"].initial is True


def test_no_needs_need_no_consent(member, member_client):
    event = make_event()
    response = _register(member_client, event)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, member=member)
    assert registration.needs_consent_at is None


def test_emptying_the_needs_withdraws_the_consent(member, member_client):
    event = make_event()
    _register(member_client, event, access_needs="Captions", needs_consent="on")
    response = member_client.post(
        reverse("events:registration_update", args=[event.pk]),
        {"access_needs": "", "dietary_needs": ""},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, member=member)
    assert (registration.access_needs, registration.needs_consent_at) == ("", None)


def test_changing_needs_asks_for_consent_again_if_unticked(member, member_client):
    event = make_event()
    make_registration(event, member, dietary_needs="Vegetarian")
    response = member_client.post(
        reverse("events:registration_update", args=[event.pk]),
        {"dietary_needs": "Vegan"},
    )
    assertContains(response, CONSENT_ERROR)
    assertContains(response, "Vegan")
    assert Registration.objects.get(member=member).dietary_needs == "Vegetarian"


@pytest.fixture
def running(db):
    """A coordinator running the event, which has a registrant with needs."""
    coordinator = make_coordinator(full_name="Rhona Running")
    event = make_event(title="Heat networks day")
    event.coordinators.add(coordinator)
    registrant = make_member(full_name="=cmd|' /C calc'!A0")
    make_registration(
        event, registrant, access_needs="Hearing loop", dietary_needs="Nut allergy"
    )
    waiting = make_member(full_name="Wendy Waiting")
    make_registration(
        event, waiting, dietary_needs="Halal", status=Registration.Status.WAITING
    )
    make_registration(event, make_member(full_name="Nina Noneeds"))
    return event, coordinator


def test_the_coordinators_running_it_see_the_needs_and_download_them(running):
    event, coordinator = running
    client = client_for(coordinator)
    page = client.get(reverse("events:registrations", args=[event.pk]))
    assertContains(page, "Hearing loop")
    assertContains(page, reverse("events:needs_csv", args=[event.pk]))
    response = client.get(reverse("events:needs_csv", args=[event.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    # Confirmed registrants who gave needs: a name is made safe for a spreadsheet.
    assert rows == [
        ["Name", "Access needs", "Dietary needs"],
        ["'=cmd|' /C calc'!A0", "Hearing loop", "Nut allergy"],
    ]


def test_a_coordinator_not_running_the_event_sees_no_needs(running):
    event, _ = running
    client = client_for(make_coordinator(full_name="Olga Otherevent"))
    page = client.get(reverse("events:registrations", args=[event.pk]))
    assert page.status_code == 200  # they may still help with attendance
    assertNotContains(page, "Hearing loop")
    assertNotContains(page, reverse("events:needs_csv", args=[event.pk]))
    assertContains(page, "Only the coordinators running this event see")
    assert client.get(reverse("events:needs_csv", args=[event.pk])).status_code == 403
    general = client.get(reverse("events:registrations_csv", args=[event.pk]))
    assert "Hearing loop" not in general.content.decode()


@pytest.mark.parametrize("who", ["visitor", "plain member", "other registrant"])
def test_nobody_else_sees_the_needs(running, client, who):
    event, _ = running
    if who == "plain member":
        client = client_for(make_member())
    elif who == "other registrant":
        other = make_member()
        make_registration(event, other)
        client = client_for(other)
    for name in ("events:registrations", "events:needs_csv"):
        response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code in (302, 403), name
        assert b"Hearing loop" not in response.content
    assert b"Hearing loop" not in client.get(event.get_absolute_url()).content


def test_whoever_schedules_an_event_runs_it(coordinator, coordinator_client):
    from events.models import Event

    response = coordinator_client.post(
        reverse("events:create"),
        {
            "title": "Retrofit clinic",
            "format": "online",
            "online_url": "https://meet.example.org/retrofit",
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T12:00",
            "audience": "everyone",
            "capacity": 20,
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Retrofit clinic")
    assert list(event.coordinators.all()) == [coordinator]


def test_only_coordinators_can_be_named_to_run_an_event(coordinator_client):
    plain = make_member(email="plain@example.org")
    event = make_event()
    response = coordinator_client.post(
        reverse("events:edit", args=[event.pk]),
        {
            "title": event.title,
            "format": "online",
            "online_url": event.online_url,
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T12:00",
            "audience": "everyone",
            "capacity": 20,
            "coordinators": plain.email,
        },
    )
    assert response.status_code == 200
    assertContains(response, "cannot run events: only coordinators can")
    assertContains(response, "plain@example.org")


def test_a_coordinator_named_on_the_event_sees_its_needs(running, coordinator_client):
    event, running_it = running
    helper = make_coordinator(email="helper@scottishcities.org.uk")
    response = coordinator_client.post(
        reverse("events:edit", args=[event.pk]),
        {
            "title": event.title,
            "format": "online",
            "online_url": event.online_url,
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T12:00",
            "audience": "everyone",
            "capacity": 20,
            "coordinators": f"{running_it.email}\n{helper.email}",
        },
    )
    assert response.status_code == 302
    assert set(event.coordinators.all()) == {running_it, helper}
    page = client_for(helper).get(reverse("events:registrations", args=[event.pk]))
    assertContains(page, "Hearing loop")
    # The edit form shows who runs it, so a later save keeps them.
    form = coordinator_client.get(reverse("events:edit", args=[event.pk]))
    assertContains(form, helper.email)
