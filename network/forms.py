from django import forms

from .models import Member, Organisation


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond email and password."""

    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Not listed, or work it out from my email",
        help_text="Registering with your work email fills this in for you.",
    )
    member_type = forms.ChoiceField(
        label="I am", choices=Member.MemberType.choices, initial="officer"
    )

    def signup(self, request, user):
        """allauth calls this after the adapter saved the member; nothing more."""
