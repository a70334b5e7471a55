import pytest
from django.core.management import call_command

from kit import versions
from network.forums import services
from network.models import Member
from tests.forums.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_refresh_caches_renews_every_token_and_repairs_counts(
    member, other_member, jobs
):
    thread = make_thread(author=member)
    jobs.run()
    services.set_subscription(other_member, thread=thread, level="watching")
    make_reply(thread, author=member)
    jobs.run()
    Member.objects.filter(pk=other_member.pk).update(unread_notifications=7)
    before = versions.tokens(*versions.ALL)
    call_command("refresh_caches")
    after = versions.tokens(*versions.ALL)
    assert all(a != b for a, b in zip(after, before, strict=True))
    other_member.refresh_from_db()
    assert other_member.unread_notifications == 1
