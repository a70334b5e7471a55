from allauth.core import context as allauth_context
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A link may preset the member type, e.g. the training sign-up's
        # ?member_type=elected; allauth keeps the current request in its context.
        request = allauth_context.request
        preset = request.GET.get("member_type") if request else None
        if preset in Member.MemberType.values:
            self.fields["member_type"].initial = preset

    def signup(self, request, user):
        """allauth calls this after the adapter saved the member; nothing more."""
