from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the network"), max_length=200, required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class TopicForm(forms.Form):
    """The free-text topic on "Ask the officer who did it" (a GET form)."""

    tag = forms.CharField(label="Topic or tag", max_length=100)
