from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.fields import MembersByEmailField

from .models import Cohort, Course, Evidence, Pledge, Session
from .services import PLEDGE_FIELDS, submission_errors

ANSWER_FIELDS = ["learning", "role", "sharing"]


class AttendanceForm(forms.Form):
    """Hours attended at one session, one field per learner."""

    def __init__(self, *args, session: Session, enrolments, initial_hours: dict, **kw):
        super().__init__(*args, **kw)
        self.session = session
        self.enrolments = {}
        for enrolment in enrolments:
            name = f"hours_{enrolment.pk}"
            self.enrolments[name] = enrolment
            self.fields[name] = forms.DecimalField(
                label=_("%(name)s: hours attended")
                % {"name": enrolment.member.full_name},
                required=False,
                min_value=Decimal(0),
                max_value=session.hours,
                max_digits=4,
                decimal_places=1,
                initial=initial_hours.get(enrolment.pk),
                help_text=_("Leave empty if not recorded."),
            )

    def hours(self) -> dict:
        return {e: self.cleaned_data[name] for name, e in self.enrolments.items()}


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ANSWER_FIELDS
        widgets = {field: forms.Textarea(attrs={"rows": 4}) for field in ANSWER_FIELDS}


class PledgeForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = PLEDGE_FIELDS
        labels = {
            "kind": _("Kind of action"),
            "category": _("Category"),
            "target_date": _("Target date"),
        }
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
        }

    def pledge_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


def check_submission(evidence_form: EvidenceForm, pledge_forms: list[PledgeForm]):
    """Show on the fields why the Project would refuse this submission (the rule
    is services.submission_errors); True if it may go."""
    errors = submission_errors(
        {name: evidence_form.cleaned_data.get(name) for name in ANSWER_FIELDS},
        [form.pledge_data() for form in pledge_forms],
    )
    for name, message in errors.answers.items():
        evidence_form.add_error(name, message)
    for form, pledge_errors in zip(pledge_forms, errors.pledges, strict=True):
        for name, message in pledge_errors.items():
            form.add_error(name, message)
    return not errors


class CertifyForm(forms.Form):
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=50)
    certified_on = forms.DateField(
        label=_("Date certified"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_certified_on(self):
        day = self.cleaned_data["certified_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("The certificate date cannot be in the future.")
            )
        return day


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What more evidence the Project asks for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PledgeProgressForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["progress", "progress_note"]
        labels = {
            "progress": _("Progress"),
            "progress_note": _("In a sentence, how is it going?"),
        }


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "name",
            "toolkit_version",
            "training_partner",
            "hours_required",
            "description",
        ]
        labels = {
            "name": _("Name"),
            "toolkit_version": _("Toolkit version"),
            "training_partner": _("Training partner"),
            "hours_required": _("Hours required"),
            "description": _("Description"),
        }


class CohortForm(forms.ModelForm):
    trainer = MembersByEmailField(
        many=False,
        required=False,
        label=_("Trainer"),
        help_text=_("The trainer's email address (a member of the network)."),
    )

    class Meta:
        model = Cohort
        fields = [
            "course",
            "name",
            "organisation",
            "mode",
            "location",
            "trainer",
            "capacity",
            "signup_deadline",
        ]
        widgets = {"signup_deadline": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "course": _("Course"),
            "name": _("Name"),
            "organisation": _("Organisation"),
            "mode": _("Mode"),
            "location": _("Location"),
            "capacity": _("Capacity"),
            "signup_deadline": _("Signup deadline"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = "Cross-city (any council)"


SessionFormSet = forms.inlineformset_factory(
    Cohort,
    Session,
    fields=["title", "starts_at", "hours"],
    widgets={"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})},
    extra=2,
    can_delete=True,
)
