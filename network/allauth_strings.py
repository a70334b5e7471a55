"""django-allauth's own words on the portal's sign-in, sign-up and password reset pages.

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
    # allauth's password reset pages (account/password_reset*.html) and their form
    gettext_noop("Password Reset"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send "
        "you an email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your "
        "spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Bad Token"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been "
        'used.  Please request a <a href="%(passwd_reset_url)s">new password '
        "reset</a>."
    ),
    gettext_noop("Change Password"),
    gettext_noop("Your password is now changed."),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    # allauth's mfa/webauthn snippets, beside the passkey button on the sign-in page
    gettext_noop("This functionality requires JavaScript."),
)
