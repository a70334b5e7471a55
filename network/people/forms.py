from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import City, Member, Organisation


class DirectoryFilterForm(forms.Form):
    """The directory's filters; field names match ``list_members``'s arguments."""

    q = forms.CharField(label=_("Name or job title"), required=False, max_length=100)
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        required=False,
        empty_label=_("Any city"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Council or organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Any council or organisation"),
    )
    member_type = forms.ChoiceField(
        label=_("Member type"),
        choices=[("", _("Any type")), *Member.MemberType.choices],
        required=False,
    )
    tag = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=100,
        help_text=_("One area of expertise, e.g. heat networks."),
    )


class ProfileForm(forms.ModelForm):
    """What a member may change about how others see them.

    Organisation and member type are left out: they decided approval, so they
    change through the network's administrators.
    """

    class Meta:
        model = Member
        fields = ["full_name", "job_title", "bio", "expertise", "show_email"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "bio": _("A few sentences about your work. Markdown is allowed."),
            "show_email": _(
                "Hidden by default. When ticked, approved members see your "
                "email address on your profile and in the directory."
            ),
        }
        labels = {
            "full_name": _("Full name"),
            "job_title": _("Job title"),
            "expertise": _("Expertise"),
        }

    def clean_expertise(self):
        tags = self.cleaned_data["expertise"]
        # A tag's name is stored in 100 characters: longer is an error, not a 500.
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError(_("Keep each area to 100 characters or fewer."))
        return tags
