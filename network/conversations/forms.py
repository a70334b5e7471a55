from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Member

from .models import MOST_PARTICIPANTS


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        org = f" ({obj.organisation})" if obj.organisation_id else ""
        return f"{obj.full_name}{org}"


class StartConversationForm(forms.Form):
    to = RecipientsField(
        label=_("To"),
        queryset=Member.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choose at least one member to write to."),
            "invalid_choice": _("One of these members can no longer be messaged."),
        },
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, starter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (
            Member.objects.approved()
            .exclude(pk=starter.pk)
            .select_related("organisation")
        )

    def clean_to(self):
        to = list(self.cleaned_data["to"])
        if len(to) + 1 > MOST_PARTICIPANTS:
            raise forms.ValidationError(
                _("A conversation has at most %(most)d people, you included.")
                % {"most": MOST_PARTICIPANTS}
            )
        return to


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
