from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kit.uploads import DOCUMENT_KINDS, validate_upload
from network.fields import MembersByEmailField
from network.models import PolicyDriver, Theme

from .models import MANAGE_PERMISSION, Event, Registration, Session

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; values are Scotland's local time."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def local_datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=help_text or "UK time (Europe/London).",
    )


class EventForm(forms.ModelForm):
    starts_at = local_datetime_field(gettext_lazy("Starts"))
    ends_at = local_datetime_field(gettext_lazy("Ends"))
    registration_opens_at = local_datetime_field(
        gettext_lazy("Registration opens"),
        required=False,
        help_text=gettext_lazy(
            "UK time. Leave empty to open as soon as it is published."
        ),
    )
    registration_closes_at = local_datetime_field(
        gettext_lazy("Registration closes"),
        required=False,
        help_text=gettext_lazy("UK time. Leave empty to close when the event starts."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    drivers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Policy drivers"),
        queryset=PolicyDriver.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The duties, strategies and plans this event helps deliver."
        ),
    )
    coordinators = MembersByEmailField(
        label=gettext_lazy("Coordinators running it"),
        required=False,
        help_text=(
            gettext_lazy(
                "Email addresses, one a line. Only they see registrants' access and "
                "dietary needs. Whoever schedules the event is one."
            )
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "themes",
            "drivers",
            "format",
            "venue",
            "address",
            "online_url",
            "starts_at",
            "ends_at",
            "audience",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "is_public",
            "recording_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": gettext_lazy("Title"),
            "description": gettext_lazy("Description"),
            "format": gettext_lazy("Format"),
            "venue": gettext_lazy("Venue"),
            "address": gettext_lazy("Address"),
            "capacity": gettext_lazy("Capacity"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coordinators"] = list(self.instance.coordinators.all())

    def clean_coordinators(self):
        members = self.cleaned_data["coordinators"]
        others = [m.email for m in members if not m.has_perm(MANAGE_PERMISSION)]
        if others:
            raise ValidationError(
                gettext_lazy("%(emails)s cannot run events: only coordinators can.")
                % {"emails": ", ".join(others)}
            )
        return members

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", gettext_lazy("The event must end after it starts.")
            )
        closes = data.get("registration_closes_at")
        opens = data.get("registration_opens_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                gettext_lazy("Registration must close after it opens."),
            )
        if closes and ends and closes > ends:
            self.add_error(
                "registration_closes_at",
                gettext_lazy("Registration must close before the event ends."),
            )
        kind = data.get("format")
        if kind in (Event.Format.ONLINE, Event.Format.HYBRID) and not data.get(
            "online_url"
        ):
            self.add_error(
                "online_url",
                gettext_lazy("An online or hybrid event needs a joining link."),
            )
        if kind in (Event.Format.IN_PERSON, Event.Format.HYBRID) and not data.get(
            "venue"
        ):
            self.add_error(
                "venue", gettext_lazy("An in-person or hybrid event needs a venue.")
            )
        return data


class SessionForm(forms.ModelForm):
    starts_at = local_datetime_field(gettext_lazy("Starts"))
    ends_at = local_datetime_field(gettext_lazy("Ends"))
    speaker_members = MembersByEmailField(
        label=gettext_lazy("Speakers who are members"),
        required=False,
        help_text=gettext_lazy(
            "Their email addresses, one a line (People shows them, or ask). "
            "Others go under guest speakers."
        ),
    )
    guest_speakers = forms.CharField(
        label=gettext_lazy("Guest speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line: name, organisation. "
            "For example: Jane Smith, Scottish Government"
        ),
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "description",
            "speaker_members",
            "guest_speakers",
            "slides",
            "recording_url",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "title": gettext_lazy("Title"),
            "description": gettext_lazy("Description"),
            "slides": gettext_lazy("Slides"),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.instance.event = event
        if self.instance.pk:
            speakers = list(self.instance.speakers.select_related("member"))
            self.initial["speaker_members"] = [
                s.member for s in speakers if s.member_id
            ]
            self.initial["guest_speakers"] = "\n".join(
                f"{s.name}, {s.organisation}" if s.organisation else s.name
                for s in speakers
                if not s.member_id
            )

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        if slides and hasattr(slides, "content_type"):
            validate_upload(slides, kinds=DOCUMENT_KINDS)
        return slides

    def clean_guest_speakers(self):
        guests = []
        for line in self.cleaned_data["guest_speakers"].splitlines():
            if not line.strip():
                continue
            name, _, organisation = line.partition(",")
            if not name.strip():
                raise ValidationError(
                    gettext_lazy("“%(line)s” has no name before the comma.")
                    % {"line": line.strip()}
                )
            if len(name.strip()) > 150 or len(organisation.strip()) > 200:
                raise ValidationError(
                    gettext_lazy("“%(line)s” is too long.") % {"line": line.strip()}
                )
            guests.append((name.strip(), organisation.strip()))
        return guests

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", gettext_lazy("The session must end after it starts.")
            )
        return data


class RegistrationForm(forms.ModelForm):
    """Needs can be health data (UK GDPR Art. 9): asked with their purpose and
    kept only under a separate, explicit consent, asked for when needs are given."""

    needs_consent = forms.BooleanField(
        label=(
            gettext_lazy(
                "I agree that the coordinators running this event may use these needs "
                "to arrange my place, and share them with the venue or caterer"
            )
        ),
        required=False,
        help_text=(
            gettext_lazy(
                "Only needed if you tell us your needs. You can remove them, and so "
                "withdraw your consent, at any time before the event."
            )
        ),
    )

    class Meta:
        model = Registration
        fields = ["access_needs", "dietary_needs"]
        widgets = {
            "access_needs": forms.Textarea(attrs={"rows": 2}),
            "dietary_needs": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "access_needs": gettext_lazy(
                "Anything that would help you take part (optional)."
            ),
            "dietary_needs": gettext_lazy(
                "For in-person events with catering (optional)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.needs_consent_at:
            self.fields["needs_consent"].initial = True

    def clean(self):
        data = super().clean()
        gave_needs = data.get("access_needs") or data.get("dietary_needs")
        if gave_needs and not data.get("needs_consent"):
            self.add_error(
                "needs_consent",
                gettext_lazy(
                    "Tick the box to agree to us using your needs, or leave both "
                    "needs empty."
                ),
            )
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Message to registrants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Included in the cancellation email (optional)."),
    )


class EmailRegistrantsForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Send to"),
        choices=[
            (Registration.Status.CONFIRMED, gettext_lazy("Confirmed registrants")),
            (Registration.Status.WAITING, gettext_lazy("People on the waiting list")),
        ],
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    body = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8})
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How useful was the event?"),
        coerce=int,
        choices=[
            (5, gettext_lazy("5: excellent")),
            (4, gettext_lazy("4: good")),
            (3, gettext_lazy("3: fair")),
            (2, gettext_lazy("2: poor")),
            (1, gettext_lazy("1: very poor")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comments"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
