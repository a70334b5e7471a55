"""English and Gàidhlig: the footer's switch (a plain form, no JavaScript), the
active language on the page, in cached parts and in dates, and catalogues whose
compiled .mo files match their .po (a fresh machine has only Python, no msgfmt,
so the .mo files are committed)."""

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format

from events.models import Event
from kit.mail import render_email
from network.models import Member
from tests.conftest import client_for
from tests.events.factories import make_event
from tests.factories import make_member

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def gaelic(client):
    """Choose Gaelic as a visitor does: the footer's form, posted."""
    response = client.post(reverse("set_language"), {"language": "gd", "next": "/"})
    assert response.status_code == 302
    return client


# --- The catalogues ------------------------------------------------------------


def _po_messages(path: Path) -> dict:
    """The messages msgfmt compiles from a .po file: translated, not fuzzy, not
    obsolete; keyed as Python's gettext keys its catalogue (a plural form by
    (msgid, n), a context as "context\\x04msgid")."""
    messages = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            continue
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += ast.literal_eval(line)
                continue
            current, _, rest = line.partition(" ")
            fields[current] = ast.literal_eval(rest)
        if "msgid" not in fields:
            continue
        msgid = fields["msgid"]
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            forms = {k: v for k, v in fields.items() if k.startswith("msgstr[")}
            if all(forms.values()):
                for key, value in forms.items():
                    messages[(msgid, int(key[7:-1]))] = value
        elif fields.get("msgstr"):
            messages[msgid] = fields["msgstr"]
    # msgfmt leaves the template's creation date out of the compiled header.
    messages[""] = "".join(
        line
        for line in messages.get("", "").splitlines(keepends=True)
        if not line.startswith("POT-Creation-Date:")
    )
    return messages


def test_there_are_english_and_gaelic_catalogues():
    assert {path.parts[-3] for path in CATALOGUES} == {"en_GB", "gd"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_catalogue_is_compiled_and_up_to_date(po):
    """After editing a .po, run `manage.py compilemessages -i .venv` and commit
    the .mo beside it."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
    with mo.open("rb") as compiled:
        catalogue = dict(gettext.GNUTranslations(compiled)._catalog)
    assert catalogue == _po_messages(po), f"{mo} is out of date: compilemessages"


def test_the_gaelic_catalogue_covers_the_shell_and_the_error_pattern():
    translated = _po_messages(LOCALE / "gd" / "LC_MESSAGES" / "django.po")
    for msgid in [
        "Skip to main content",
        "Sign in",
        "Sign out",
        "Join the network",
        "Case studies",
        "Events",
        "About the network",
        "Privacy notice",
        "Accessibility statement",
        "Cookies",
        "Language",
        "There is a problem",
        "Error:",
        "Search",
        "Save",
        "Cancel",
    ]:
        assert translated.get(msgid), msgid


# --- Choosing a language -------------------------------------------------------


@pytest.mark.django_db
def test_the_switch_is_a_plain_form_that_sets_gaelic_and_comes_back(client):
    response = client.post(
        reverse("set_language"), {"language": "gd", "next": "/about/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "gd"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/about/")
    assert page["Content-Language"] == "gd"
    # and back to English
    client.post(reverse("set_language"), {"language": "en-gb", "next": "/about/"})
    assert client.get("/about/")["Content-Language"] == "en-gb"


@pytest.mark.django_db
def test_the_switch_refuses_a_language_the_portal_does_not_offer(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert client.get("/about/")["Content-Language"] == "en-gb"


@pytest.mark.django_db
def test_a_browser_asking_for_gaelic_gets_gaelic(client):
    response = client.get("/about/", headers={"accept-language": "gd,en;q=0.5"})
    assert response["Content-Language"] == "gd"


@pytest.mark.django_db
def test_a_suspended_member_may_switch_language(client):
    suspended = client_for(make_member(state=Member.Approval.SUSPENDED))
    response = suspended.post(
        reverse("set_language"), {"language": "gd", "next": "/network/pending/"}
    )
    assert response["Location"] == "/network/pending/"


def _render_switch(language, path="/events/public/"):
    """The site footer, which holds the switch, as a page would render it."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    footer = engines["django"].from_string("{% load shell_tags %}{% site_footer %}")
    with translation.override(language):
        return footer.render(request=request)


def test_the_switch_posts_to_set_language_with_a_button_per_other_language():
    html = _render_switch("en-gb")
    assert f'action="{reverse("set_language")}"' in html
    assert 'method="post"' in html
    # No token: one would set a CSRF cookie on every page (portal/urls.py).
    assert 'name="csrfmiddlewaretoken"' not in html
    assert '<input type="hidden" name="next" value="/events/public/">' in html
    # The other language is a button, named in its own language; the current
    # one is marked, not offered.
    assert 'name="language" value="gd">Gàidhlig</button>' in html
    assert 'aria-current="true">English<' in html
    assert 'value="en-gb">' not in html
    assert "<script" not in html and "style=" not in html


def test_the_switch_in_gaelic_offers_english():
    html = _render_switch("gd")
    assert "Cànan" in html
    assert 'name="language" value="en-gb">English</button>' in html
    assert 'aria-current="true">Gàidhlig<' in html


# --- Pages in Gaelic -----------------------------------------------------------


@pytest.mark.django_db
def test_a_gaelic_page_says_so_in_its_lang_attribute(client):
    assert '<html lang="gd">' in gaelic(client).get("/about/").content.decode()


@pytest.mark.django_db
def test_the_navigation_and_footer_are_in_gaelic(client):
    page = gaelic(client).get("/about/").content.decode()
    for words in [
        "Leum chun na prìomh shusbaint",  # Skip to main content
        "Clàraich a-steach",  # Sign in
        "Bi nad bhall den lìonra",  # Join the network
        "Tachartasan",  # Events
        "Sanas prìobhaideachd",  # Privacy notice
        "Aithris so-ruigsinneachd",  # Accessibility statement
        "Briosgaidean",  # Cookies
        "Cànan",  # Language: the footer's switch, included
    ]:
        assert words in page, words


@pytest.mark.django_db
def test_the_sign_up_form_is_in_gaelic(client):
    page = gaelic(client).get(reverse("account_signup")).content.decode()
    assert "Ainm slàn" in page  # Full name, the portal's own field
    assert "Facal-faire" in page  # Password, allauth's, from the portal's catalogue
    assert "Oifigear comhairle" in page  # Council officer, a model choice


@pytest.mark.django_db
def test_a_refused_sign_in_says_why_in_gaelic(client):
    page = gaelic(client).post(reverse("account_login"), {}).content.decode()
    assert "Tha an raon seo riatanach." in page  # This field is required.


@pytest.mark.django_db
def test_an_events_date_follows_the_language_cached_parts_included(client):
    when = timezone.make_aware(datetime.datetime(2027, 3, 15, 10, 0))
    make_event(
        title="Heat networks in Gaelic-speaking places",
        starts_at=when,
        is_public=True,
        format=Event.Format.IN_PERSON,
        venue="Stornoway Town Hall",
    )
    # The public home's events are a cached part: English first fills the cache.
    assert "Monday 15 March 2027" in client.get("/").content.decode()
    assert "Monday 15 March 2027" in client.get("/events/public/").content.decode()
    gaelic(client)
    for path in ["/", "/events/public/"]:
        page = client.get(path).content.decode()
        assert "DiLuain 15 Am Màrt 2027" in page, path
        assert "15 March 2027" not in page, path


@pytest.mark.django_db
def test_the_cookie_page_lists_the_language_cookie(client):
    page = client.get(reverse("portal:cookies")).content.decode()
    assert settings.LANGUAGE_COOKIE_NAME in page
    assert "Remembers the language you chose" in page


@pytest.mark.django_db
def test_the_accessibility_statement_says_the_gaelic_is_a_first_version(client):
    page = client.get(reverse("portal:accessibility")).content.decode()
    assert "a first version, for review by Gaelic speakers" in page
    assert "The portal is in English only" not in page


def test_emails_are_in_the_portals_language_whoever_sends_them():
    """Rendered while a coordinator reads the portal in Gaelic, an email to a
    member is still English: members choose no email language yet."""
    context = {
        "registration": {"member": {"full_name": "Ann"}},
        "event": {
            "pk": 1,
            "title": "Heat forum",
            "starts_at": timezone.now(),
            "has_online_part": False,
        },
    }
    with translation.override("gd"):
        subject, text, html = render_email(
            "events/email/registration_confirmed", context
        )
        assert translation.get_language() == "gd"
    assert subject == "[Net Zero Network] Registered: Heat forum"
    assert "Dear Ann," in text
    assert "The network's coordinators" in text
    assert '<html lang="en-gb">' in html


@pytest.mark.django_db
def test_the_switch_needs_no_csrf_token_and_a_public_page_sets_no_csrf_cookie():
    from django.conf import settings
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/about/")
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    response = browser.post(reverse("set_language"), {"language": "gd", "next": "/"})
    assert response.status_code == 302
    assert (
        browser.get("/about/")
        .content.decode()
        .startswith('<!DOCTYPE html>\n<html lang="gd">')
    )


@pytest.mark.django_db
def test_the_visitor_home_its_header_phase_banner_and_footer_are_in_gaelic(client):
    page = gaelic(client).get("/").content.decode()
    for words in [
        # The visitor home's heading
        "Lìonra cho-aoisean bailtean na h-Alba airson neoni lom",
        # The phase banner
        "Seo làrach-lìn ùr.",
        "Innis dhuinn mu dhuilgheadas",
        # The navigation: its name, the menu button and a visitor's links
        'aria-label="Prìomh cheanglaichean"',
        "Clàr-taice",
        "Mu dhèidhinn",
        "Trèanadh Litearrachd Carboin",
        # The footer
        'aria-label="Bonn na duilleige"',
        "Sanas prìobhaideachd",  # Privacy notice
        "Air a ruith leis an Scottish Cities Alliance",
    ]:
        assert words in page, words
    for english in [
        "peer-to-peer network for net zero",
        "This is a new portal",
        "Tell us about a problem",
        'aria-label="Main"',
        'aria-label="Footer"',
        "Run by the Scottish Cities Alliance",
    ]:
        assert english not in page, english


@pytest.mark.django_db
def test_a_members_navigation_is_in_gaelic(client):
    member = gaelic(client_for(make_member()))
    page = member.get(reverse("portal:member_home")).content.decode()
    for words in [
        "Sgrùdaidhean-cùise",  # Case studies
        "Deasbadan",  # Discussions
        "Tachartasan",  # Events
        "Daoine",  # People
        "Trèanadh",  # Training
        "Brathan",  # Notifications
        "Teachdaireachdan",  # Messages
        "Roghainnean",  # Settings
        "Clàraich a-mach",  # Sign out
        "Lorg san lìonra",  # Search the network
    ]:
        assert words in page, words
    assert ">Discussions<" not in page and ">Sign out<" not in page


@pytest.mark.django_db
def test_a_failed_sign_in_shows_the_error_pattern_in_gaelic(client):
    make_member(email="ann@example.org")
    response = gaelic(client).post(
        reverse("account_login"),
        {"login": "ann@example.org", "password": "not her password"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Mearachd: Clàraich a-steach ·" in page  # Error: Sign in
    assert (
        '<h2 class="ds_error-summary__title" id="error-summary-title">'
        "Tha duilgheadas ann</h2>"  # There is a problem
    ) in page
    assert "There is a problem" not in page and "<title>Error:" not in page


@pytest.mark.django_db
def test_an_event_page_gives_its_date_in_the_languages_format(client):
    when = timezone.make_aware(datetime.datetime(2027, 3, 15, 14, 30))
    event = make_event(
        title="District heating in the islands",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        is_public=True,
    )
    url = reverse("events:public_detail", args=[event.pk])
    english = client.get(url).content.decode()
    assert "Monday 15 March 2027, 14:30</time>–16:30" in english
    page = gaelic(client).get(url).content.decode()
    # Day and month in Gaelic, and a 24-hour clock (Django's own Gaelic
    # formats have a 12-hour one).
    assert "DiLuain 15 Am Màrt 2027, 14:30</time>–16:30" in page
    assert "Monday" not in page and "2:30" not in page
    # A member's page of the same event, in Gaelic too
    member = gaelic(client_for(make_member()))
    detail = member.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "DiLuain 15 Am Màrt 2027, 14:30" in detail
    assert "Monday 15 March" not in detail


NAMED_FORMAT = re.compile(r"""\|date:["']([A-Z_]+_FORMAT)["']""")


@pytest.mark.parametrize("language", ["en-gb", "gd"])
def test_every_date_format_a_template_names_is_defined_in_each_language(language):
    """A name that no format module defines would be printed as a pattern of
    letters ("LONG_DATE_FORMAT" read as "l", "O", "N", ...)."""
    templates = Path(settings.BASE_DIR) / "templates"
    names = {
        name
        for path in templates.rglob("*.html")
        for name in NAMED_FORMAT.findall(path.read_text(encoding="utf-8"))
    }
    assert "LONG_DATETIME_FORMAT" in names  # the event pages' own
    for name in sorted(names):
        assert get_format(name, lang=language) != name, name


def test_the_named_formats_keep_the_english_dates_and_a_24_hour_clock():
    moment = timezone.make_aware(datetime.datetime(2027, 3, 15, 14, 30))
    expected = {
        "LONG_DATE_FORMAT": ("Monday 15 March 2027", "DiLuain 15 Am Màrt 2027"),
        "LONG_DATETIME_FORMAT": (
            "Monday 15 March 2027, 14:30",
            "DiLuain 15 Am Màrt 2027, 14:30",
        ),
        "MEDIUM_DATE_FORMAT": ("15 March 2027", "15 Am Màrt 2027"),
        "MEDIUM_DATETIME_FORMAT": ("15 March 2027, 14:30", "15 Am Màrt 2027, 14:30"),
        "STAMP_DATETIME_FORMAT": ("15 Mar 2027 14:30", None),
        "BRIEF_DATETIME_FORMAT": ("15 Mar 2027, 14:30", None),
        "YEAR_MONTH_FORMAT": ("March 2027", "Am Màrt 2027"),
        "CLOCK_FORMAT": ("14:30", "14:30"),
    }
    for name, (english, gaelic_text) in expected.items():
        with translation.override("en-gb"):
            assert date_format(timezone.localtime(moment), name) == english, name
        if gaelic_text:
            with translation.override("gd"):
                assert date_format(timezone.localtime(moment), name) == gaelic_text


@pytest.mark.django_db
def test_the_password_reset_page_is_in_gaelic(client):
    """allauth's own page: its words come from network/allauth_strings.py."""
    page = gaelic(client).get(reverse("account_reset_password")).content.decode()
    assert "Ath-shuidheachadh an fhacail-fhaire" in page  # Password Reset
    assert "Ath-shuidhich am facal-faire agam" in page  # Reset My Password
    assert "Forgotten your password?" not in page
