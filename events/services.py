"""Writes to events, each with its side effects (emails after commit).

Views, admin actions and the management command all call these, so a rule such as
"capacity is never exceeded" lives in one place: every change to who holds a place
takes the event's row lock first (select_for_update inside transaction.atomic).
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext

from casestudies.services import create_draft_case_study
from kit import versions
from kit.mail import send_templated_email
from network.forums.services import start_discussion_for

from .models import CalendarFeed, Event, Feedback, Registration, Session, Speaker

logger = logging.getLogger(__name__)


class RegistrationError(Exception):
    """A registration the rules refuse; the message is shown to the member."""


# --- Events ------------------------------------------------------------------


def search_vector():
    """An event's search text as one SQL expression over its own row: the title (A),
    the description (B), the venue and the agenda, each session's title and
    description with its speakers' names and organisations, in agenda order (C).
    For ``update()``; the scale loader sets every event's with it at once."""
    people = (
        Speaker.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(
            words=StringAgg(
                Concat(
                    Coalesce("member__full_name", "name"),
                    Value(" "),
                    "organisation",
                    output_field=TextField(),
                ),
                " ",
                order_by=("order", "pk"),
            )
        )
        .values("words")
    )
    agenda = (
        Session.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(
            words=StringAgg(
                Concat(
                    "title",
                    Value(" "),
                    "description",
                    Value(" "),
                    Coalesce(Subquery(people), Value(""), output_field=TextField()),
                    output_field=TextField(),
                ),
                " ",
                order_by=("starts_at", "pk"),
            )
        )
        .values("words")
    )
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english")
        + SearchVector(
            Concat(
                "venue",
                Value(" "),
                Coalesce(Subquery(agenda), Value(""), output_field=TextField()),
                output_field=TextField(),
            ),
            weight="C",
            config="english",
        )
    )


def update_search_vector(event: Event) -> None:
    """Refresh the event's search text from its own fields, sessions and speakers."""
    Event.objects.filter(pk=event.pk).update(search_vector=search_vector())


def save_event(
    event: Event, *, by=None, themes=None, drivers=None, coordinators=None
) -> Event:
    """Create or update an event; a raised capacity promotes people waiting."""
    creating = event.pk is None
    if creating and by is not None:
        event.created_by = by
    with transaction.atomic():
        event.save()
        if coordinators is not None:
            event.coordinators.set(coordinators)
        if creating and event.created_by_id:
            event.coordinators.add(event.created_by_id)  # runs what they schedule
        if themes is not None:
            event.themes.set(themes)
        if drivers is not None:
            event.drivers.set(drivers)
        update_search_vector(event)
        if not creating:
            _promote_waiting(event)
    return event


def publish_event(event: Event) -> bool:
    if event.state != Event.State.DRAFT:
        return False
    event.state = Event.State.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["state", "published_at"])
    return True


def cancel_event(event: Event, *, reason: str = "") -> bool:
    """Cancel the event and tell everyone registered or waiting, by email."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == Event.State.CANCELLED:
            return False
        event.state = Event.State.CANCELLED
        event.cancelled_at = timezone.now()
        event.save(update_fields=["state", "cancelled_at"])
        addresses = list(
            event.registrations.active().values_list("member__email", flat=True)
        )
    _email(
        "events/email/event_cancelled", addresses, {"event": event, "reason": reason}
    )
    return True


# --- Agenda ------------------------------------------------------------------


def save_session(
    session: Session,
    *,
    speaker_members: Iterable = (),
    guest_speakers: Iterable[tuple[str, str]] = (),
) -> Session:
    """Save a session and replace its speakers: members first, then guests."""
    with transaction.atomic():
        session.save()
        session.speakers.all().delete()
        order = 0
        for member in speaker_members:
            Speaker.objects.create(session=session, member=member, order=order)
            order += 1
        for name, organisation in guest_speakers:
            Speaker.objects.create(
                session=session, name=name, organisation=organisation, order=order
            )
            order += 1
        update_search_vector(session.event)
    return session


def delete_session(session: Session) -> None:
    event = session.event
    with transaction.atomic():
        if session.slides:
            session.slides.delete(save=False)
        session.delete()
        update_search_vector(event)


# --- Registration ------------------------------------------------------------


def register(
    event: Event,
    member,
    *,
    access_needs: str = "",
    dietary_needs: str = "",
    needs_consent: bool = False,
    now=None,
) -> Registration:
    """Give the member a place, or a place on the waiting list when it is full.

    The event row is locked for the whole decision, so however many members
    register at the same moment, at most ``capacity`` are confirmed and the
    waiting list is in the order the lock was granted.
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        now = now or timezone.now()
        if not locked.registration_is_open(now):
            raise RegistrationError(gettext("Registration for this event is not open."))
        if not locked.is_for(member):
            raise RegistrationError(
                gettext("This event is for %(audience)s.")
                % {"audience": locked.get_audience_display().lower()}
            )
        registration = Registration.objects.filter(event=locked, member=member).first()
        if registration and registration.status != Registration.Status.CANCELLED:
            raise RegistrationError(
                gettext("You are already registered for this event.")
            )
        confirmed = locked.registrations.confirmed().count()
        status = (
            Registration.Status.CONFIRMED
            if confirmed < locked.capacity
            else Registration.Status.WAITING
        )
        registration = registration or Registration(event=locked, member=member)
        registration.status = status
        _set_needs(registration, access_needs, dietary_needs, needs_consent, now)
        registration.registered_at = now
        registration.confirmed_at = now if status == "confirmed" else None
        registration.cancelled_at = None
        registration.reminder_sent_at = None
        registration.save()
    template = (
        "events/email/registration_confirmed"
        if status == Registration.Status.CONFIRMED
        else "events/email/registration_waiting"
    )
    _email(template, [member.email], {"event": locked, "registration": registration})
    return registration


def update_needs(
    registration: Registration,
    *,
    access_needs: str,
    dietary_needs: str,
    needs_consent: bool = False,
):
    """Change the needs; emptying both withdraws the consent with them."""
    _set_needs(registration, access_needs, dietary_needs, needs_consent, timezone.now())
    registration.save(
        update_fields=["access_needs", "dietary_needs", "needs_consent_at"]
    )


def _set_needs(registration, access_needs, dietary_needs, consent, now) -> None:
    """Needs are kept only with the explicit consent they were given under
    (UK GDPR Art. 9(2)(a)); the form asks for it whenever needs are typed."""
    if not consent:
        access_needs = dietary_needs = ""
    registration.access_needs = access_needs
    registration.dietary_needs = dietary_needs
    registration.needs_consent_at = now if (access_needs or dietary_needs) else None


def cancel_registration(registration: Registration) -> list[Registration]:
    """Cancel a place; the first people waiting take any place it frees (until
    the event starts).

    Returns the registrations promoted from the waiting list (each is emailed).
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        return _promote_waiting(event)


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the head of the waiting list (caller holds no lock).

    Only before the event starts: a place freed once it is under way is no use
    to someone emailed about it, so they stay on the waiting list.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state != Event.State.PUBLISHED or event.starts_at <= timezone.now():
            return []
        free = event.capacity - event.registrations.confirmed().count()
        if free <= 0:
            return []
        promoted = list(event.registrations.waiting().select_related("member")[:free])
        now = timezone.now()
        for registration in promoted:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _email(
                "events/email/registration_promoted",
                [registration.member.email],
                {"event": event, "registration": registration},
            )
        return promoted


def record_attendance(registration: Registration, *, attended: bool) -> None:
    if registration.attended != attended:
        registration.attended = attended
        registration.save(update_fields=["attended"])


def set_attendance(event: Event, attended_ids: set[int]) -> int:
    """Mark exactly these confirmed registrations as attended; returns how many."""
    confirmed = event.registrations.confirmed()
    confirmed.filter(pk__in=attended_ids).update(attended=True)
    confirmed.exclude(pk__in=attended_ids).update(attended=False)
    versions.changed(versions.EVENTS)  # update() sends no signal
    return confirmed.filter(attended=True).count()


def email_registrants(
    event: Event, *, subject: str, body: str, statuses: Iterable[str], sent_by
) -> int:
    """A coordinator's message to the event's registrants; returns how many."""
    addresses = list(
        event.registrations.filter(status__in=list(statuses)).values_list(
            "member__email", flat=True
        )
    )
    _email(
        "events/email/message",
        addresses,
        {"event": event, "subject": subject, "body": body, "sent_by": sent_by},
    )
    return len(addresses)


# --- Reminders and feedback ----------------------------------------------------


def send_due_reminders(
    *, before: timedelta, now=None, progress: Callable[[str], None] = lambda s: None
) -> int:
    """Remind confirmed registrants of events starting within ``before``, once.

    Each registration is marked under its own row lock (skipping any another run
    holds), so two overlapping runs never remind anyone twice.
    """
    now = now or timezone.now()
    due = Registration.objects.confirmed().filter(
        reminder_sent_at__isnull=True,
        event__state=Event.State.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + before,
    )
    return _email_each_once(
        due,
        stamp="reminder_sent_at",
        template="events/email/reminder",
        now=now,
        progress=progress,
        message="Reminded {email} of “{event}”",
    )


def send_feedback_requests(
    *, within: timedelta = timedelta(days=14), now=None, progress=lambda s: None
) -> int:
    """Ask attendees (only those who attended) of recently ended events, once."""
    now = now or timezone.now()
    due = Registration.objects.confirmed().filter(
        attended=True,
        feedback_requested_at__isnull=True,
        event__state=Event.State.PUBLISHED,
        event__ends_at__lte=now,
        event__ends_at__gte=now - within,
    )
    return _email_each_once(
        due,
        stamp="feedback_requested_at",
        template="events/email/feedback_request",
        now=now,
        progress=progress,
        message="Asked {email} about “{event}”",
    )


def _email_each_once(due, *, stamp, template, now, progress, message) -> int:
    """Email each registration in ``due`` and stamp it, one row lock at a time, so
    two runs of the command at once never email anyone twice."""
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            registration = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("event", "member")
                .filter(pk=pk)
                .first()
            )
            if registration is None:
                continue
            setattr(registration, stamp, now)
            registration.save(update_fields=[stamp])
            _email(
                template,
                [registration.member.email],
                {"event": registration.event, "registration": registration},
            )
        sent += 1
        progress(
            message.format(email=registration.member.email, event=registration.event)
        )
    return sent


def give_feedback(registration: Registration, *, rating: int, comment: str):
    """Record (or replace) an attendee's feedback."""
    if not registration.attended:
        raise RegistrationError(gettext("Only people who attended can give feedback."))
    feedback, _ = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"rating": rating, "comment": comment, "event": registration.event},
    )
    return feedback


# --- Calendar feed -------------------------------------------------------------


def calendar_feed_for(member) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(member=member)[0]


def reset_calendar_feed(member) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    from .models import new_feed_token

    feed = calendar_feed_for(member)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


# --- From talk to case study -----------------------------------------------------


def draft_case_study_from_session(session: Session, *, by):
    """Turn a session's talk into a draft case study for its speaker to finish.

    The member speakers become the authors, the slides are attached and the
    event's themes carry over.
    """
    speakers = [sp.member for sp in session.speakers.all() if sp.member_id]
    if not speakers:
        raise RegistrationError(
            gettext(
                "Only a talk given by a member of the portal can become a case study."
            )
        )
    if speakers[0].organisation_id is None:
        raise RegistrationError(
            gettext(
                "The speaker has no organisation on their profile, so the case study "
                "would have no lead organisation."
            )
        )
    event = session.event
    attachments = []
    if session.slides:
        session.slides.open("rb")
        attachments.append((session.slides_name, session.slides.file))
    try:
        return create_draft_case_study(
            title=session.title,
            summary=(
                f"From a talk at “{event.title}” on "
                f"{timezone.localtime(session.starts_at):%-d %B %Y}."
            ),
            body=session.description,
            authors=speakers,
            organisation=speakers[0].organisation,
            themes=list(event.themes.all()),
            attachments=attachments,
        )
    finally:
        if session.slides:
            session.slides.close()


def start_event_discussion(event: Event, *, started_by):
    """The discussion thread about this event, started on first use."""
    return start_discussion_for(
        event,
        started_by=started_by,
        title=event.title,
        body=(
            f"Discussion of “{event.title}” on "
            f"{timezone.localtime(event.starts_at):%-d %B %Y}: questions, "
            "follow-ups and what you took away."
        ),
    )


def _email(template: str, addresses: list[str], context: dict) -> None:
    # Queued in the caller's transaction: a rolled-back change tells nobody.
    send_templated_email(template, addresses, context)
