"""The accessibility statement's facts, in the shape of the UK government's model
statement for the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
Accessibility Regulations 2018: contacts and dates from settings, and the known
problems from the project's own list (issue 16, measured in Chromium).

When a problem here is fixed, remove it and set PORTAL_ACCESSIBILITY_REVIEWED
(and PORTAL_ACCESSIBILITY_TESTED after testing again).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

STANDARD = "Web Content Accessibility Guidelines version 2.2 AA"


@dataclass(frozen=True)
class Problem:
    what: str  # in plain words, for the person who meets it
    criteria: str  # the WCAG 2.2 success criteria it fails
    plan: str  # what we are doing about it


NON_COMPLIANCE = [
    Problem(
        _(
            "Some pages do not fit a narrow screen (320 pixels wide, or 400% zoom), so "
            "you have to scroll sideways: the events calendar, an event's list of "
            "registrations, training cohorts, the tables of your case studies and of "
            "case studies waiting for review, the figures table on the home page, and "
            "the email settings page."
        ),
        _("1.4.10 Reflow"),
        _(
            "Wide tables will scroll inside their own labelled area and the other pages "
            "will fit."
        ),
    ),
    Problem(
        _(
            "Between 992 and 1279 pixels wide (for example a 1024 pixel screen, or a "
            "larger one zoomed in), the signed-in menu is wider than the screen and "
            "“Settings” and “Sign out” are out of sight."
        ),
        _("1.4.10 Reflow, 1.4.4 Resize text"),
        _("The menu will collapse properly at every width."),
    ),
    Problem(
        _(
            "If you increase the spacing between letters, words, lines and paragraphs, "
            "the pages for signed-in members grow wider than the screen and push "
            "“Sign out” out of sight."
        ),
        _("1.4.12 Text spacing"),
        _("The header and menu will wrap instead of overflowing."),
    ),
    Problem(
        _(
            "The outline that shows which link, button or field has keyboard focus is "
            "faint on most controls (a contrast of 1.3 to 1.6 to 1 against the page), "
            "so it is hard to see where you are when you use a keyboard."
        ),
        _("1.4.11 Non-text contrast, 2.4.7 Focus visible"),
        _("A focus style with a contrast of at least 3 to 1 on every control."),
    ),
    Problem(
        _(
            "Some links and controls are smaller than 24 by 24 pixels and hard to "
            "press: the filters on the list of discussion threads, the “Forgot "
            "your password?” link, and the tick boxes on the case-study form."
        ),
        _("2.5.8 Target size (minimum)"),
        _("Every target will be at least 24 by 24 pixels."),
    ),
    Problem(
        _(
            "When a form cannot be accepted, some forms say only “Please check "
            "the form” at the top, the page title does not say there is a problem, "
            "and focus stays where it was, so a screen reader user may not know the "
            "form was refused."
        ),
        _("3.3.1 Error identification, 4.1.3 Status messages"),
        _(
            "Every form will start its title with “Error:” and move focus "
            "to a summary headed “There is a problem” that links to each "
            "field."
        ),
    ),
    Problem(
        _(
            "Recordings of past events are videos held on other services, and we have "
            "not yet checked that each one has captions."
        ),
        _("1.2.2 Captions (prerecorded)"),
        _(
            "We will check each recording, and add captions or a transcript where one "
            "is missing. Until then, ask us and we will send a transcript."
        ),
    ),
]

# Known, but not a failure of the regulations; said so people know.
OTHER_PROBLEMS = [
    _(
        "The map of the network's cities is a rough sketch, and some of its labels "
        "overlap. Every figure on it is also in the table beside it."
    ),
    _(
        "The pages for “page not found” and “server error” are plain "
        "pages without the portal's header, navigation or help."
    ),
    _(
        "The Gaelic (Gàidhlig) version of the portal is a first version, for review by "
        "Gaelic speakers: some pages and messages are still in English only, and the "
        "translation may have mistakes. Tell us about any you find."
    ),
]

OUT_OF_SCOPE = [
    _(
        "Documents that members upload, such as case-study attachments and event "
        "slides, come from their own organisations and are not checked by us. If you need one in an "
        "accessible format, ask us and we will ask its author or make one."
    ),
]


def context() -> dict:
    return {
        "standard": STANDARD,
        "non_compliance": NON_COMPLIANCE,
        "other_problems": OTHER_PROBLEMS,
        "out_of_scope": OUT_OF_SCOPE,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        "reply_days": settings.ACCESSIBILITY_REPLY_WORKING_DAYS,
        "prepared": settings.ACCESSIBILITY_STATEMENT_PREPARED,
        "reviewed": settings.ACCESSIBILITY_STATEMENT_REVIEWED,
        "tested": settings.ACCESSIBILITY_LAST_TESTED,
        "tested_by": settings.ACCESSIBILITY_TESTED_BY,
    }
