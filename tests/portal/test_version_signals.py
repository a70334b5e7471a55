"""Which changes give shared data a new token (portal/signals.py): a change that
forgets to would leave every worker showing the old rendering."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from kit import versions
from network.roles import COORDINATORS
from tests.events.factories import make_event, make_registration
from tests.factories import PASSWORD, make_member
from tests.forums.factories import make_reply, make_thread
from tests.training.factories import make_cohort, make_elected, make_enrolment

pytestmark = pytest.mark.django_db


class Watch:
    def __init__(self, name):
        self.name = name
        self.token = versions.tokens(name)[0]

    def changed(self) -> bool:
        now = versions.tokens(self.name)[0]
        changed, self.token = now != self.token, now
        return changed


def test_posts_threads_and_thread_tags_change_the_forums_token(member):
    forums = Watch(versions.FORUMS)
    thread = make_thread(author=member)
    assert forums.changed()
    make_reply(thread, author=member)
    assert forums.changed()
    thread.tags.add("heat")
    assert forums.changed()
    thread.tags.remove("heat")
    assert forums.changed()


def test_profiles_and_expertise_change_the_people_token_but_signing_in_does_not(
    member,
):
    people = Watch(versions.PEOPLE)
    assert Client().login(email=member.email, password=PASSWORD)
    assert not people.changed()
    member.job_title = "Head of climate"
    member.save()
    assert people.changed()
    member.expertise.add("heat networks")
    assert people.changed()
    member.groups.add(Group.objects.get(name=COORDINATORS))
    assert people.changed()
    make_member()
    assert people.changed()


def test_registrations_change_the_events_token(member):
    events = Watch(versions.EVENTS)
    event = make_event()
    assert events.changed()
    registration = make_registration(event, member)
    assert events.changed()
    registration.delete()
    assert events.changed()


def test_enrolments_change_the_training_token():
    training = Watch(versions.TRAINING)
    cohort = make_cohort()
    assert training.changed()
    make_enrolment(cohort, make_elected())
    assert training.changed()
