from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.fields import MembersByEmailField

from .models import Cohort, Course, Evidence, Pledge, Session

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
        fields = ["kind", "category", "action", "target_date"]
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
    """Field errors for a submission that the Project would refuse; True if fine."""
    for field in ANSWER_FIELDS:
        if not evidence_form.cleaned_data.get(field):
            evidence_form.add_error(field, _("Answer this question before submitting."))
    today = timezone.localdate()
    for form in pledge_forms:
        for field in ["kind", "category", "action", "target_date"]:
            if not form.cleaned_data.get(field):
                form.add_error(field, _("Fill this in before submitting."))
        target = form.cleaned_data.get("target_date")
        if target and target <= today:
            form.add_error("target_date", _("Choose a date in the future."))
    kinds = {form.cleaned_data.get("kind") for form in pledge_forms}
    if all(kinds) and kinds != {Pledge.Kind.INDIVIDUAL, Pledge.Kind.GROUP}:
        pledge_forms[-1].add_error(
            "kind",
            _(
                "One pledge must be an action as an individual and the other one that "
                "influences a group."
            ),
        )
    forms_ = [evidence_form, *pledge_forms]
    return not any(form.errors for form in forms_)


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
