from django import forms

from network.models import Member

from .models import MOST_PARTICIPANTS


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        org = f" ({obj.organisation})" if obj.organisation_id else ""
        return f"{obj.full_name}{org}"


class StartConversationForm(forms.Form):
    to = RecipientsField(
        label="To",
        queryset=Member.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Choose at least one member to write to.",
            "invalid_choice": "One of these members can no longer be messaged.",
        },
    )
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
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
                f"A conversation has at most {MOST_PARTICIPANTS} people, you included."
            )
        return to


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Reply", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this message?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
