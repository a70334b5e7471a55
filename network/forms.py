from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Member, Organisation


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond email and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Not listed, or work it out from my email"),
        help_text=_("Registering with your work email fills this in for you."),
    )
    member_type = forms.ChoiceField(
        label=_("I am"), choices=Member.MemberType.choices, initial="officer"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A link may preset the member type, e.g. the training sign-up's
        # ?member_type=elected; allauth keeps the current request in its context.
        request = allauth_context.request
        preset = request.GET.get("member_type") if request else None
        if preset in Member.MemberType.values:
            self.fields["member_type"].initial = preset

    def clean(self):
        """allauth checks the new password against a stand-in member that has only
        the email; this checks it against the name and job title typed here too.
        A refused password leaves the form's cleaned data, so allauth's own check
        does not repeat the same messages."""
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password:
            stand_in = Member(
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
                job_title=cleaned.get("job_title", ""),
            )
            try:
                password_validation.validate_password(password, stand_in)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def signup(self, request, user):
        """allauth calls this after the adapter saved the member; nothing more."""
