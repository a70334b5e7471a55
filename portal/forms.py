from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the network"), max_length=200, required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
