"""Every address the portal serves, with real arguments from whatever data is in
the database, each opened as the role that may open it: the list
``manage.py profile_addresses`` walks (cold and warm ms and queries per address).

``ADDRESSES`` names a builder for every URL pattern outside Django admin;
tests/test_every_address.py fails when a pattern has none, so a new page cannot be
left out. Django admin is walked from its registry: every registered model's
changelist, change form and add form, and the searches and deep pages that
cost the most at scale (``ADMIN_EXTRAS``).

A builder takes the ``Sample`` (the representative objects, looked up once)
and returns ``[(label, role, path), ...]``; an empty list means the data has no
such object (the walker prints that, the test's data has them all). Roles:
``visitor`` (signed out), ``member`` (the benchmark officer), ``elected`` (an
elected member with an enrolment), ``coordinator`` (the Coordinators group, with
an authenticator app and recovery codes), ``admin`` (a superuser, for Django
admin), ``pending``, ``rejected`` and ``suspended`` (a member in that
approval state: the page they wait on), and ``signing_in`` (the coordinator
between the password and the second factor, when the data knows the password:
``open_session``). A refusal the portal renders (a 400,
403 or 404 page) is an address too: it is a page someone meets.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from kit.routes import named_url_patterns
from network.models import Member, Organisation
from network.roles import COORDINATORS

from .pages import benchmark_member

WALKER_COORDINATOR = "profile-walker-coordinator@example.invalid"
WALKER_ADMIN = "profile-walker-admin@example.invalid"


def url_pattern_names() -> set[str]:
    """Every named URL pattern outside Django admin, with its namespace."""
    return {name for name, _, _ in named_url_patterns()}


def _staff_member(email: str, *, superuser: bool) -> Member:
    """The walker's own coordinator or admin: an existing one with a second
    factor (their role needs one to open anything) if the data has one, else a
    member made for the walk, with an authenticator app nobody holds (the scale
    data has none)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = Member.objects.filter(is_active=True, authenticator__type="totp")
    if superuser:
        found = staff.filter(is_superuser=True).first()
    else:
        found = staff.filter(
            approval_state=Member.Approval.APPROVED, groups__name=COORDINATORS
        ).first()
    if found:
        return found
    member, made = Member.objects.get_or_create(
        email=email,
        defaults={
            "full_name": "Profile walker",
            "approval_state": Member.Approval.APPROVED,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if made and not superuser:
        member.groups.add(Group.objects.get(name=COORDINATORS))
    if not Authenticator.objects.filter(user=member).exists():
        TOTP.activate(member, generate_totp_secret())
        RecoveryCodes.activate(member)
    return member


class Sample:
    """The representative objects every builder draws from, each looked up once
    with an indexed query (the newest, or the first by key)."""

    @cached_property
    def member(self):
        return benchmark_member()

    @cached_property
    def coordinator(self):
        return _staff_member(WALKER_COORDINATOR, superuser=False)

    @cached_property
    def admin(self):
        return _staff_member(WALKER_ADMIN, superuser=True)

    @cached_property
    def pending(self):
        return _in_state(Member.Approval.PENDING)

    @cached_property
    def rejected(self):
        return _in_state(Member.Approval.REJECTED)

    @cached_property
    def suspended(self):
        return _in_state(Member.Approval.SUSPENDED)

    @cached_property
    def signing_in(self):
        """The coordinator, when they sign in with the demo's password: their
        sign-in can be taken as far as the second step."""
        from network.demo import DEMO_PASSWORD

        coordinator = self.coordinator
        return coordinator if coordinator.check_password(DEMO_PASSWORD) else None

    @cached_property
    def enrolment(self):
        from training.models import Enrolment

        return (
            Enrolment.objects.filter(member__approval_state=Member.Approval.APPROVED)
            .select_related("member")
            .order_by("pk")
            .first()
        )

    @cached_property
    def elected(self):
        return self.enrolment.member if self.enrolment else None

    @cached_property
    def case_study(self):
        from casestudies.models import CaseStudy

        return CaseStudy.objects.published().order_by("-published_at", "-pk").first()

    @cached_property
    def submitted_case_study(self):
        """One waiting for review: the one a reviewer may return."""
        from casestudies.models import CaseStudy

        return (
            CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED)
            .order_by("-pk")
            .first()
        )

    @cached_property
    def theme(self):
        from network.models import Theme

        return Theme.objects.order_by("order", "pk").first()

    @cached_property
    def driver(self):
        from network.models import PolicyDriver

        return PolicyDriver.objects.filter(slug="pbccd").first()

    @cached_property
    def council(self):
        """The council with the most members (Glasgow in the scale data)."""
        glasgow = Organisation.objects.filter(slug="glasgow-city-council").first()
        return glasgow or Organisation.objects.order_by("pk").first()

    @cached_property
    def thread(self):
        from network.models import Thread

        return (
            Thread.objects.filter(is_hidden=False).order_by("-post_count", "pk").first()
        )

    @cached_property
    def post(self):
        from network.models import Post

        if not self.thread:
            return None
        return Post.objects.filter(thread=self.thread).order_by("number").first()

    @cached_property
    def member_post(self):
        """The sample member's own post in a thread they may read: the one they
        may edit or delete."""
        from network.models import Post

        return (
            Post.objects.visible_to(self.member)
            .filter(author=self.member, is_deleted=False)
            .order_by("pk")
            .first()
        )

    @cached_property
    def flag(self):
        from network.models import Flag

        return Flag.objects.order_by("pk").first()

    @cached_property
    def conversation(self):
        from network.conversations.models import Conversation

        return (
            Conversation.objects.filter(participants__member=self.member)
            .order_by("pk")
            .first()
        )

    @cached_property
    def message(self):
        from network.conversations.models import Message

        return Message.objects.order_by("pk").first()

    @cached_property
    def other_member(self):
        return Member.objects.exclude(pk=self.member.pk).order_by("pk").first()

    @cached_property
    def notification(self):
        from network.models import Notification

        return Notification.objects.filter(recipient=self.member).order_by("pk").first()

    @cached_property
    def forum(self):
        from network.models import Forum

        return Forum.objects.order_by("order", "pk").first()

    @cached_property
    def event(self):
        from events.models import Event

        return Event.objects.filter(state="published").order_by("-starts_at").first()

    @cached_property
    def attended_event(self):
        """The latest past event the sample member attended: the one they may
        give feedback on."""
        from events.models import Event

        return (
            Event.objects.filter(
                registrations__member=self.member, registrations__attended=True
            )
            .order_by("-starts_at")
            .first()
        )

    @cached_property
    def event_session(self):
        return self.event.sessions.order_by("pk").first() if self.event else None

    @cached_property
    def feed_token(self):
        from events.models import CalendarFeed

        feed, _ = CalendarFeed.objects.get_or_create(member=self.member)
        return feed.token

    @cached_property
    def cohort(self):
        return self.enrolment.cohort if self.enrolment else None

    @cached_property
    def training_session(self):
        return self.cohort.sessions.order_by("pk").first() if self.cohort else None

    @cached_property
    def attachment(self):
        from casestudies.models import Attachment

        return Attachment.objects.order_by("pk").first()


def _in_state(state: str) -> Member | None:
    return (
        Member.objects.filter(approval_state=state, is_active=True)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class Address:
    label: str
    role: str
    path: str


def _plain(role, name, **kwargs):
    return lambda s: [(name, role, reverse(name, kwargs=kwargs))]


def _on(role, name, obj_attr, *, key="pk", query="", label=""):
    """The address of one sample object (skipped when the data has none)."""

    def build(s):
        obj = getattr(s, obj_attr)
        if obj is None:
            return []
        value = getattr(obj, "slug" if key == "slug" else "pk")
        path = reverse(name, kwargs={key: value})
        return [(label or name, role, path + (f"?{query}" if query else ""))]

    return build


def _event_session(role, name):
    def build(s):
        if not s.event_session:
            return []
        kwargs = {"pk": s.event.pk, "session_pk": s.event_session.pk}
        return [(name, role, reverse(name, kwargs=kwargs))]

    return build


def _case_study_list(s):
    base = reverse("casestudies:list")
    rows = [
        ("casestudies:list", "member", base),
        ("casestudies:list search q=energy", "member", base + "?q=energy"),
        ("casestudies:list search q=council", "member", base + "?q=council"),
        ("casestudies:list page 2,000", "member", base + "?page=2000"),
    ]
    if s.theme:
        rows.append(
            ("casestudies:list by theme", "member", base + f"?theme={s.theme.slug}")
        )
    return rows


def _topic(s):
    rows = [("portal:topic", "member", reverse("portal:topic"))]
    if s.theme:
        path = reverse("portal:topic", kwargs={"theme_slug": s.theme.slug})
        rows.append(("portal:topic by theme", "member", path))
    if s.driver:
        path = reverse("portal:topic") + f"?driver={s.driver.slug}"
        rows.append(("portal:topic by driver", "member", path))
    return rows


def _pbccd(s, name):
    if s.council is None:
        return []
    kwargs = {"slug": s.council.slug, "year": 2024}
    return [(name, "coordinator", reverse(name, kwargs=kwargs))]


def _attachment(s):
    if not s.attachment:
        return []
    kwargs = {"pk": s.attachment.case_study_id, "attachment_pk": s.attachment.pk}
    return [
        (
            "casestudies:attachment",
            "member",
            reverse("casestudies:attachment", kwargs=kwargs),
        )
    ]


def _feed(name):
    return lambda s: [(name, "visitor", reverse(name, kwargs={"token": s.feed_token}))]


def _training_session(role, name):
    return lambda s: (
        [(name, role, reverse(name, kwargs={"pk": s.training_session.pk}))]
        if s.training_session
        else []
    )


def _passkey(name):
    """A page of the sample member's own passkey (none in most data)."""

    def build(s):
        from allauth.mfa.models import Authenticator

        passkey = Authenticator.objects.filter(
            user=s.member, type=Authenticator.Type.WEBAUTHN
        ).first()
        return [(name, M, reverse(name, args=[passkey.pk]))] if passkey else []

    return build


def _account(name):
    """allauth's pages: the waiting-member ones signed in, the rest signed out;
    those that take a key get a wrong one (their refusal is the page)."""

    def build(s):
        from django.urls.exceptions import NoReverseMatch

        try:
            path = reverse(name)
        except NoReverseMatch:
            for kwargs in ({"key": "wrong-key"}, {"uidb36": "x", "key": "wrong-key"}):
                try:
                    path = reverse(name, kwargs=kwargs)
                    break
                except NoReverseMatch:
                    continue
            else:
                return []
        role = "member" if name in _SIGNED_IN_ACCOUNT_PAGES else "visitor"
        return [(name, role, path)]

    return build


_SIGNED_IN_ACCOUNT_PAGES = {
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reauthenticate",
    "account_change_phone",
    "account_confirm_reauthentication_code",
    "account_request_reauthentication_code",
    "account_logout",
}


def _pending(s):
    """The page a member waits on, in each state that is not approved."""
    path = reverse("network:pending")
    rows = [("network:pending", M, path)]  # approved: sent home
    for state in ("pending", "rejected", "suspended"):
        if getattr(s, state):
            rows.append((f"network:pending {state}", state, path))
    return rows


def _unsubscribe(s):
    """The unsubscribe page from an email's link, and its refusal of a token
    that is not the portal's (the 400 page)."""
    from network.forums.notifications import unsubscribe_token

    name = "network:notification_unsubscribe"
    token = unsubscribe_token(s.member, "reply")
    return [
        (name, V, reverse(name, kwargs={"token": token})),
        (f"{name} wrong token", V, reverse(name, kwargs={"token": "not-a-token"})),
    ]


def _second_step(s):
    """The sign-in's second step: opened with no sign-in begun (back to the
    first), and by the coordinator who has just given their password."""
    rows = _plain(V, "mfa_authenticate")(s)
    if s.signing_in:
        rows += _plain(SIGNING_IN, "mfa_authenticate")(s)
    return rows


def _review_queue(s):
    """The reviewers' queue, and the 403 page a member meets there."""
    path = reverse("casestudies:review_queue")
    return [("casestudies:review_queue", C, path), ("403 page", M, path)]


M, C, V, E = "member", "coordinator", "visitor", "elected"
SIGNING_IN = "signing_in"

ADDRESSES = {
    # portal
    "portal:home": _plain(V, "portal:home"),
    "portal:member_home": _plain(M, "portal:member_home"),
    "healthz": _plain(V, "healthz"),
    "set_language": _plain(V, "set_language"),
    "robots_txt": _plain(V, "robots_txt"),
    "security_txt": _plain(V, "security_txt"),
    "favicon": _plain(V, "favicon"),
    "portal:about": _plain(V, "portal:about"),
    "portal:privacy": _plain(V, "portal:privacy"),
    "portal:accessibility": _plain(V, "portal:accessibility"),
    "portal:cookies": _plain(V, "portal:cookies"),
    # data protection (the erase and export pages ask for re-authentication)
    # second factors (allauth.mfa): a member's own pages; the sign-in steps as
    # a visitor (each sends them back to sign in first)
    "mfa_index": _plain(M, "mfa_index"),
    "mfa_authenticate": _second_step,
    # the pages of an authenticator already set up, as the coordinator (whose
    # role needs one) sees them; setting one up, as the member who has none
    "mfa_reauthenticate": _plain(C, "mfa_reauthenticate"),
    "mfa_activate_totp": _plain(M, "mfa_activate_totp"),
    "mfa_deactivate_totp": _plain(C, "mfa_deactivate_totp"),
    "mfa_view_recovery_codes": _plain(C, "mfa_view_recovery_codes"),
    "mfa_generate_recovery_codes": _plain(C, "mfa_generate_recovery_codes"),
    "mfa_download_recovery_codes": _plain(C, "mfa_download_recovery_codes"),
    "mfa_list_webauthn": _plain(M, "mfa_list_webauthn"),
    "mfa_add_webauthn": _plain(M, "mfa_add_webauthn"),
    "mfa_reauthenticate_webauthn": _plain(M, "mfa_reauthenticate_webauthn"),
    "mfa_remove_webauthn": _passkey("mfa_remove_webauthn"),
    "mfa_edit_webauthn": _passkey("mfa_edit_webauthn"),
    "mfa_login_webauthn": _plain(V, "mfa_login_webauthn"),
    "privacy:erase": _plain(M, "privacy:erase"),
    "privacy:erased": _plain(V, "privacy:erased"),
    "privacy:export": _plain(M, "privacy:export"),
    "privacy:notice_read": _plain(M, "privacy:notice_read"),
    "privacy:export_download": _plain(
        M, "privacy:export_download", token="not-a-token"
    ),
    "portal:reference": _plain(M, "portal:reference"),
    "portal:search": lambda s: [
        ("portal:search", M, reverse("portal:search") + "?q=heat+network")
    ],
    "portal:profile": lambda s: [
        ("portal:profile", M, reverse("portal:profile", kwargs={"pk": s.member.pk}))
    ],
    "portal:topic": _topic,
    "portal:council": _on(M, "portal:council", "council", key="slug"),
    "portal:drivers": _plain(M, "portal:drivers"),
    "portal:driver": _on(M, "portal:driver", "driver", key="slug"),
    # network
    "network:pending": _pending,
    "network:forum_list": _plain(M, "network:forum_list"),
    "network:thread_list": _plain(M, "network:thread_list"),
    "network:thread_create": _plain(M, "network:thread_create"),
    "network:thread_detail": _on(M, "network:thread_detail", "thread", query="page=1"),
    "network:thread_reply": _on(M, "network:thread_reply", "thread"),
    "network:thread_watch": _on(M, "network:thread_watch", "thread"),
    "network:thread_retitle": _on(C, "network:thread_retitle", "thread"),
    "network:thread_moderate": _on(C, "network:thread_moderate", "thread"),
    "network:post_goto": _on(M, "network:post_goto", "post"),
    "network:post_edit": _on(M, "network:post_edit", "member_post"),
    "network:post_delete": _on(M, "network:post_delete", "member_post"),
    "network:post_answer": _on(C, "network:post_answer", "post"),
    "network:post_flag": _on(M, "network:post_flag", "post"),
    "network:post_hide": _on(C, "network:post_hide", "post"),
    "network:post_history": _on(C, "network:post_history", "post"),
    "network:review_queue": _plain(C, "network:review_queue"),
    "network:review_resolve": _on(C, "network:review_resolve", "flag"),
    "network:forum_detail": _on(M, "network:forum_detail", "forum", key="slug"),
    "network:forum_watch": _on(M, "network:forum_watch", "forum", key="slug"),
    "network:notifications": _plain(M, "network:notifications"),
    "network:conversations": _plain(M, "network:conversations"),
    "network:conversation_start": _plain(M, "network:conversation_start"),
    "network:conversation": _on(M, "network:conversation", "conversation"),
    "network:conversation_leave": _on(M, "network:conversation_leave", "conversation"),
    "network:message_report": _on(M, "network:message_report", "message"),
    "network:message_reports": _plain(C, "network:message_reports"),
    "network:audit_trail": _plain(C, "network:audit_trail"),
    "network:member_block": _on(M, "network:member_block", "other_member"),
    "network:notifications_mark_read": _plain(M, "network:notifications_mark_read"),
    "network:notification_open": _on(M, "network:notification_open", "notification"),
    "network:notification_settings": _plain(M, "network:notification_settings"),
    "network:notification_unsubscribe": _unsubscribe,
    "network:notification_unsubscribe_one_click": _plain(
        V, "network:notification_unsubscribe_one_click", token="not-a-signed-token"
    ),
    "network:directory": _plain(M, "network:directory"),
    "network:profile_edit": _plain(M, "network:profile_edit"),
    "network:settings": _plain(M, "network:settings"),
    "usersessions_list": _plain(M, "usersessions_list"),
    # case studies
    "casestudies:list": _case_study_list,
    "casestudies:csv": _plain(M, "casestudies:csv"),
    "casestudies:create": _plain(M, "casestudies:create"),
    "casestudies:mine": _plain(M, "casestudies:mine"),
    "casestudies:review_queue": _review_queue,
    "casestudies:impact": _plain(M, "casestudies:impact"),
    "casestudies:pbccd": _on(C, "casestudies:pbccd", "council", key="slug"),
    "casestudies:pbccd_csv": lambda s: _pbccd(s, "casestudies:pbccd_csv"),
    "casestudies:pbccd_xlsx": lambda s: _pbccd(s, "casestudies:pbccd_xlsx"),
    "casestudies:detail": _on(M, "casestudies:detail", "case_study"),
    "casestudies:edit": _on(C, "casestudies:edit", "case_study"),
    "casestudies:submit": _on(C, "casestudies:submit", "case_study"),
    "casestudies:publish": _on(C, "casestudies:publish", "case_study"),
    "casestudies:return": _on(C, "casestudies:return", "submitted_case_study"),
    "casestudies:unpublish": _on(C, "casestudies:unpublish", "case_study"),
    "casestudies:discuss": _on(M, "casestudies:discuss", "case_study"),
    "casestudies:attachment": _attachment,
    # events
    "events:list": _plain(M, "events:list"),
    "events:past": _plain(M, "events:past"),
    "events:calendar": _plain(M, "events:calendar"),
    "events:create": _plain(C, "events:create"),
    "events:my_calendar": _plain(M, "events:my_calendar"),
    "events:my_calendar_reset": _plain(M, "events:my_calendar_reset"),
    "events:public_feed": _plain(V, "events:public_feed"),
    "events:member_feed": _feed("events:member_feed"),
    "events:network_feed": _feed("events:network_feed"),
    "events:public_list": _plain(V, "events:public_list"),
    "events:public_detail": _on(V, "events:public_detail", "event"),
    "events:detail": _on(M, "events:detail", "event"),
    "events:ics": _on(M, "events:ics", "event"),
    "events:register": _on(M, "events:register", "event"),
    "events:registration_update": _on(M, "events:registration_update", "event"),
    "events:registration_cancel": _on(M, "events:registration_cancel", "event"),
    "events:feedback": _on(M, "events:feedback", "attended_event"),
    "events:discuss": _on(M, "events:discuss", "event"),
    "events:edit": _on(C, "events:edit", "event"),
    "events:publish": _on(C, "events:publish", "event"),
    "events:cancel": _on(C, "events:cancel", "event"),
    "events:session_create": _on(C, "events:session_create", "event"),
    "events:session_edit": _event_session(C, "events:session_edit"),
    "events:session_delete": _event_session(C, "events:session_delete"),
    "events:session_slides": _event_session(M, "events:session_slides"),
    "events:session_to_case_study": _event_session(C, "events:session_to_case_study"),
    "events:registrations": _on(C, "events:registrations", "event"),
    "events:registrations_csv": _on(C, "events:registrations_csv", "event"),
    "events:needs_csv": _on(C, "events:needs_csv", "event"),
    "events:email_registrants": _on(C, "events:email_registrants", "event"),
    "events:feedback_results": _on(C, "events:feedback_results", "event"),
    # training
    "training:home": _plain(E, "training:home"),
    "training:signup": _plain(V, "training:signup"),
    "training:progress": _plain(M, "training:progress"),
    "training:progress_csv": _plain(C, "training:progress_csv"),
    "training:course_create": _plain(C, "training:course_create"),
    "training:cohort_create": _plain(C, "training:cohort_create"),
    "training:cohort": _on(E, "training:cohort", "cohort"),
    "training:cohort_edit": _on(C, "training:cohort_edit", "cohort"),
    "training:join": _on(E, "training:join", "cohort"),
    "training:attendance": _training_session(C, "training:attendance"),
    "training:cancel": _on(E, "training:cancel", "enrolment"),
    "training:evidence": _on(E, "training:evidence", "enrolment"),
    "training:review": _on(C, "training:review", "enrolment"),
    "training:pledges": _on(E, "training:pledges", "enrolment"),
}

# Admin addresses beyond each model's changelist, change and add forms: the
# searches, filters and deep pages that cost the most at scale.
ADMIN_EXTRAS = (
    ("admin case studies search q=heat", "casestudies", "casestudy", "q=heat"),
    ("admin case studies by theme", "casestudies", "casestudy", "themes__id__exact=1"),
    ("admin case studies page 900", "casestudies", "casestudy", "p=900"),
    ("admin members search q=murray", "network", "member", "q=murray"),
    ("admin members page 1,500", "network", "member", "p=1500"),
    ("admin posts search q=heat", "network", "post", "q=heat"),
    ("admin registrations search", "events", "registration", "q=murray"),
)


def _admin_addresses(s) -> list[tuple[str, str, str]]:
    rows = [("admin:index", "admin", reverse("admin:index"))]
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        label = f"admin {meta.app_label}.{meta.model_name}"
        rows.append((f"{label} list", "admin", reverse(f"{prefix}_changelist")))
        rows.append((f"{label} add", "admin", reverse(f"{prefix}_add")))
        first = model._default_manager.order_by("pk").values_list("pk", flat=True)
        pk = first.first()
        if pk is not None:
            rows.append(
                (f"{label} change", "admin", reverse(f"{prefix}_change", args=[pk]))
            )
    for label, app, model_name, query in ADMIN_EXTRAS:
        path = reverse(f"admin:{app}_{model_name}_changelist") + f"?{query}"
        rows.append((label, "admin", path))
    return rows


def every_address(sample: Sample | None = None) -> list[Address]:
    """Every address to walk, in URL order, then Django admin's."""
    sample = sample or Sample()
    rows = []
    for name in sorted(url_pattern_names()):
        build = ADDRESSES.get(name) or (
            _account(name) if name.startswith("account_") else None
        )
        if build is None:
            raise LookupError(f"{name} has no address builder in ADDRESSES")
        rows += build(sample)
    rows += _admin_addresses(sample)
    return [Address(*row) for row in rows]


def signed_in(sample: Sample, role: str):
    """The member a role signs in as (None for a visitor)."""
    return {
        "visitor": None,
        "member": sample.member,
        "elected": sample.elected,
        "coordinator": sample.coordinator,
        "admin": sample.admin,
        "pending": sample.pending,
        "rejected": sample.rejected,
        "suspended": sample.suspended,
        SIGNING_IN: sample.signing_in,
    }[role]


def open_session(client, sample: Sample, role: str) -> None:
    """Sign the test client in as the role: forced for a member (no password
    needed); for ``signing_in``, the sign-in form's password step, which leaves
    the session waiting for the second factor."""
    from network.demo import DEMO_PASSWORD

    member = signed_in(sample, role)
    if member is None:
        return
    if role != SIGNING_IN:
        client.force_login(member)
        return
    login = {"login": member.email, "password": DEMO_PASSWORD}
    response = client.post(reverse("account_login"), login)
    if response.get("Location") != reverse("mfa_authenticate"):
        raise RuntimeError(f"the password step did not lead to the second: {response}")
