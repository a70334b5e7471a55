from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from kit.uploads import validate_upload
from network.fields import MembersByEmailField
from network.models import Member, Organisation

from .models import PUBLISH_PERMISSION, Attachment, CaseStudy

OUTSIDE_FIELDS = (
    "place",
    "country",
    "place_name",
    "source_organisation",
    "source_url",
    "source_licence",
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []

    def has_changed(self, initial, data):
        # An empty file input adds nothing, so saving it changes nothing.
        items = data if isinstance(data, list | tuple) else [data]
        return not self.disabled and any(items)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class CaseStudyForm(forms.ModelForm):
    co_authors = MembersByEmailField(
        label=_("Co authors"),
        required=False,
        help_text=_(
            "Email addresses of other members who may edit it with you, one a line."
        ),
    )
    contact = MembersByEmailField(
        many=False,
        required=False,
        label=_("Contact officer"),
        help_text=_(
            "The email address of the member other officers should ask "
            "about it (yours unless you change it)."
        ),
    )
    attachments = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        help_text=_(
            "Reports, slides, spreadsheets or images: PDF, Word, PowerPoint, "
            "Excel, OpenDocument, CSV, PNG or JPEG, up to 20 MB each."
        ),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Remove attachments"),
    )

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "summary",
            "body",
            *OUTSIDE_FIELDS,
            "organisation",
            "city",
            "partners",
            "themes",
            "drivers",
            "tags",
            "stage",
            "start_date",
            "end_date",
            "capital_cost",
            "revenue_cost",
            "funding_sources",
            "operational_cost",
            "lifetime_years",
            "savings_from_year",
            "primary_source",
            "cost_saving",
            "behaviour_change",
            "emissions_saved",
            "emissions_confidence",
            "emissions_method",
            "co_benefits",
            "lessons_learned",
            "contact",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "themes": forms.CheckboxSelectMultiple,
            "drivers": forms.CheckboxSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
            "funding_sources": forms.Textarea(attrs={"rows": 2}),
            "emissions_method": forms.Textarea(attrs={"rows": 2}),
            "co_benefits": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "country": _("Country"),
            "city": _("City"),
            "themes": _("Themes"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
            "lessons_learned": _("Lessons learned"),
        }

    def __init__(self, *args, author: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.author = author
        self.fields["partners"].queryset = Organisation.objects.all()
        self.fields["partners"].required = False
        self._share_organisation_choices()
        self.fields["summary"].required = True
        if not author.has_perm(PUBLISH_PERMISSION):
            # Coordinators add and curate learning from outside the network.
            for name in OUTSIDE_FIELDS:
                del self.fields[name]
        else:
            self.fields["source_url"].assume_scheme = "https"
            # Left out (an older form, a script), it stays where it was.
            self.fields["place"].required = False
        if self.instance.pk:
            # Members, not ids: the field shows their addresses without a query.
            self.fields["co_authors"].initial = [
                m for m in self.instance.authors.all() if m.pk != author.pk
            ]
            if self.instance.contact_id:
                self.initial["contact"] = self.instance.contact
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        else:
            del self.fields["remove_attachments"]
            self.fields["organisation"].initial = author.organisation_id
            self.fields["contact"].initial = author.pk

    def _share_organisation_choices(self):
        """The lead and the partner organisations are chosen from the same list:
        read it once, not once a field."""
        lead, partners = self.fields["organisation"], self.fields["partners"]
        organisations = [
            (organisation.pk, lead.label_from_instance(organisation))
            for organisation in lead.queryset
        ]
        empty = [] if lead.empty_label is None else [("", lead.empty_label)]
        lead.choices = empty + organisations
        partners.choices = organisations

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        limit = Tag._meta.get_field("name").max_length
        too_long = [tag for tag in tags if len(tag) > limit]
        if too_long:
            raise ValidationError(
                _(
                    "Each tag must be at most %(limit)d characters: “%(tag)s…” is longer."
                )
                % {"limit": limit, "tag": too_long[0][:40]}
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        self._clean_place(cleaned)
        return cleaned

    def _clean_place(self, cleaned):
        if "place" in self.fields and not cleaned.get("place"):
            cleaned["place"] = self.instance.place or CaseStudy.Place.NETWORK
        place = cleaned.get("place", self.instance.place or CaseStudy.Place.NETWORK)
        if place == CaseStudy.Place.NETWORK:
            if not cleaned.get("organisation") and "organisation" not in self.errors:
                self.add_error(
                    "organisation", _("Choose the council or body that led it.")
                )
            return
        needed = {
            "source_organisation": _("Name the organisation it comes from."),
            "source_url": _("Give a link to where it was published."),
            "source_licence": _("Say under what licence or permission it is used."),
            "place_name": _("Name the place where it happened."),
        }
        if place == CaseStudy.Place.ABROAD:
            needed["country"] = _("Name the country.")
        for name, message in needed.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if cleaned.get("city"):
            self.add_error(
                "city", _("Learning from outside the network has no network city.")
            )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the authors should change before it can be published."),
    )


class FacetSelect(forms.Select):
    """A select whose choices (with counts) the view fills from the facet query.

    Its options are written out here rather than through a template per option:
    the list page shows about a hundred of them, and Django's per-option
    templates were a third of the page's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) == selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attrs), options
        )


class CaseStudyFilterForm(forms.Form):
    """GET filters. Slugs rather than ids so links stay readable; choices and
    their counts come from the facet queries, so no extra query per field."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    city = forms.SlugField(label=_("City"), required=False, widget=FacetSelect)
    council = forms.SlugField(
        label=_("Council or lead organisation"), required=False, widget=FacetSelect
    )
    theme = forms.SlugField(label=_("Theme"), required=False, widget=FacetSelect)
    place = forms.ChoiceField(
        label=_("From"),
        required=False,
        choices=[
            ("", _("Any")),
            ("network", _("The network")),
            ("outside", _("Outside it")),
        ]
        + [c for c in CaseStudy.Place.choices if c[0] != "network"],
    )
    driver = forms.SlugField(
        label=_("Policy driver"), required=False, widget=FacetSelect
    )
    tag = forms.SlugField(
        label=_("Tag"), required=False, allow_unicode=True, widget=FacetSelect
    )
    stage = forms.ChoiceField(
        label=_("Project stage"),
        required=False,
        choices=[("", _("Any"))] + list(CaseStudy.Stage.choices),
        widget=FacetSelect,
    )
    year = forms.IntegerField(
        label=_("Start year"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=FacetSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Relevance when searching, else newest")),
            ("newest", _("Newest")),
        ],
    )

    def filters(self) -> dict:
        """The valid filters only: a stale or mistyped one is ignored, not an error."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def set_facets(self, facets: dict) -> None:
        for name, choices in facets.items():
            current = self.data.get(name, "")
            options = [("", _("Any"))] + [
                (value, f"{label} ({count})") for value, label, count in choices
            ]
            if current and current not in {value for value, _ in options}:
                options.append((current, f"{current} (0)"))
            self.fields[name].widget.choices = options


class PbccdYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Reporting year starting in April"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("2024 means April 2024 to March 2025."),
    )
