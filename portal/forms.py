from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the network", max_length=200, required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
