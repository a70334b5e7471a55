"""django-allauth's own words on the portal's sign-in and sign-up pages.

allauth ships no Gaelic catalogue, so the portal's (locale/gd) carries these. They
are listed here only so that ``makemessages`` keeps them in the catalogue: allauth
translates them itself, with the same text, and the portal's LOCALE_PATHS come
first. Nothing imports this module. When allauth changes a message, the sign-in
and sign-up pages show its English until the text here is changed to match.
"""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = (
    # allauth.account.fields and forms: the sign-in and sign-up fields
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
    gettext_noop("You must type the same password each time."),
    # allauth.account.adapter.DefaultAccountAdapter.error_messages
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("Be patient, you are sending too many requests."),
    # allauth's mfa/webauthn snippets, beside the passkey button on the sign-in page
    gettext_noop("This functionality requires JavaScript."),
)
