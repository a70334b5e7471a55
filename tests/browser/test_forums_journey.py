"""An officer asks colleagues in another city, is answered, and marks the answer."""

import pytest

from network.models import Post
from tests.browser.conftest import assert_accessible, sign_in_as, tick
from tests.factories import make_member, organisation
from tests.forums.factories import make_forum
from tests.queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_thread_mention_reply_and_helpful_answer(page, browser):
    perth = make_member(
        full_name="Kirsty Stewart",
        email="kirsty.stewart@pkc.gov.uk",
        organisation=organisation("Perth and Kinross Council"),
    )
    dundee = make_member(
        full_name="Aileen Murray",
        email="aileen.murray@dundeecity.gov.uk",
        organisation=organisation("Dundee City Council"),
    )
    make_forum(name="Low-carbon heat", slug="low-carbon-heat")

    # Kirsty starts a question in Perth, mentioning Aileen in Dundee.
    sign_in_as(page, perth)
    page.goto("/network/forums/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a thread").click()
    page.wait_for_url("**/forums/threads/new/")
    assert_accessible(page)
    page.get_by_label("Forum").select_option(label="Low-carbon heat")
    page.get_by_label("Title").fill("Heat network feasibility costs?")
    page.get_by_label("Tags").fill("heat networks, funding")
    tick(page.get_by_label("This is a question"))
    page.get_by_label("Your post").fill(
        "@aileen.murray what did Dundee's feasibility study cost?"
    )
    page.get_by_role("button", name="Start thread").click()
    page.wait_for_url("**/forums/threads/*/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Heat network feasibility costs?"
    )
    assert page.get_by_role("link", name="@Aileen Murray").count() == 1
    assert_accessible(page)

    # The worker tells Aileen; she sees the notification in the navigation.
    run_worker()
    colleague = browser.new_context(base_url=page.live_url).new_page()
    colleague.live_url = page.live_url
    sign_in_as(colleague, dundee)
    colleague.goto("/home/")
    colleague.get_by_role("link", name="Notifications 1 unread").click()
    colleague.wait_for_url("**/notifications/")
    assert_accessible(colleague)
    colleague.get_by_role("link", name="Kirsty Stewart mentioned you in").click()
    colleague.wait_for_url("**/forums/threads/*/**")
    assert_accessible(colleague)
    colleague.get_by_label("Your reply").fill(
        "About £60k, mostly funded by the Heat Network Support Unit."
    )
    colleague.get_by_role("button", name="Post reply").click()
    colleague.get_by_text("Heat Network Support Unit").wait_for()
    colleague.context.close()

    # Kirsty marks the reply as a helpful answer; it shows at the top.
    page.reload()
    page.get_by_role("button", name="Mark as helpful answer #2").click()
    page.get_by_role("heading", name="Helpful answer").wait_for()
    assert_accessible(page)
    assert Post.objects.get(number=2).is_answer
