from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from network.models import Forum, NotificationSettings, PolicyDriver

MARKDOWN_HELP = (
    "Markdown: **bold**, *italic*, [link](https://…), lists with “- ”, quotes with “> ”. "
    "Mention a member with their @handle, shown on their profile (their full name "
    "in lower case, words joined by dots, e.g. @aileen.murray; numbered, as "
    '@aileen.murray.2, when another member has the same name), or with @"Full Name" '
    "in double quotes when no other member has that name; they are notified."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        kwargs.setdefault("max_length", 20000)
        kwargs.setdefault("help_text", MARKDOWN_HELP)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value.strip():
            raise forms.ValidationError(_("Write something before posting."))
        return value


class ThreadForm(forms.Form):
    forum = forms.ModelChoiceField(
        label=_("Forum"), queryset=Forum.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, e.g. heat networks, funding."),
    )
    drivers = forms.ModelMultipleChoiceField(
        label=_("Policy drivers"),
        queryset=PolicyDriver.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The duties, strategies or plans this is about, if any."),
    )
    is_question = forms.BooleanField(
        label=_("This is a question"),
        required=False,
        help_text=_("You can then mark replies as helpful answers."),
    )
    body = BodyField()

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A tag's name is stored in 100 characters: longer is an error, not a 500.
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError(_("Keep each tag to 100 characters or fewer."))
        return tags


class ThreadTitleForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    body = BodyField()


class ThreadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search posts"), required=False, max_length=200)
    forum = forms.ModelChoiceField(
        label=_("Forum"),
        queryset=Forum.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All forums"),
    )
    tag = forms.SlugField(label=_("Tag"), required=False)
    unanswered = forms.BooleanField(label=_("Unanswered questions"), required=False)
    mine = forms.BooleanField(label=_("My threads"), required=False)

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label=_("Reason")
    )


class ResolveFlagsForm(forms.Form):
    """The review queue's decision on one flagged post: the reason is optional."""

    # Kept in the flags' resolution (200 characters) after "Hidden: " or "Kept: ".
    reason = forms.CharField(label=_("Reason (kept)"), required=False, max_length=192)

    def __init__(self, *args, post_pk: int, **kwargs):
        # One form a post on the page: ids stay unique, the field's name stays "reason".
        super().__init__(*args, auto_id=f"reason-{post_pk}-%s", **kwargs)


class ModerateThreadForm(forms.Form):
    ACTIONS = [
        ("pin", _("Pin to the top")),
        ("unpin", _("Unpin")),
        ("lock", _("Lock (no more replies)")),
        ("unlock", _("Unlock")),
        ("hide", _("Hide from members")),
        ("unhide", _("Show again")),
        ("move", _("Move to another forum")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    forum = forms.ModelChoiceField(
        queryset=Forum.objects.all(),
        required=False,
        label=_("Move to forum"),
        help_text=_("Only for “Move”."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the thread's moderation record."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("forum"):
            self.add_error("forum", _("Choose the forum to move the thread to."))
        return data


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email_mention", "email_reply", "email_new_thread", "digest_day"]
