"""The project's crispy-forms template pack (templates/sgds/) draws every kind of
field in the Scottish Government Design System's markup, with its hint and its
own error message tied to the input, and keeps what was typed."""

import re

import pytest
from django import forms
from django.template import Context, Template

from kit.templatetags.kit_tags import error_entries

pytestmark = pytest.mark.django_db


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As colleagues know you.")
    story = forms.CharField(label="Story", widget=forms.Textarea)
    city = forms.ChoiceField(label="City", choices=[("", "Pick one"), ("d", "Dundee")])
    agree = forms.BooleanField(label="I agree")
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("heat", "Heat"), ("transport", "Transport")],
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label="Mode",
        choices=[("online", "Online"), ("in_person", "In person")],
        widget=forms.RadioSelect,
    )
    slides = forms.FileField(label="Slides")
    starts = forms.DateField(
        label="Starts", widget=forms.DateInput(attrs={"type": "date"})
    )


def render(form):
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": form})
    )


def test_each_kind_of_field_is_a_design_system_question():
    html = render(EveryKindForm())
    assert html.count('class="ds_question"') == 8
    assert '<label class="ds_label" for="id_name">Name</label>' in html
    assert 'class="ds_hint-text" id="id_name_helptext"' in html
    assert re.search(r'<input[^>]+class="[^"]*ds_input[^"]*"[^>]+id="id_name"', html)
    assert re.search(r'<textarea[^>]+class="[^"]*ds_input', html)
    assert '<div class="ds_select-wrapper">' in html
    assert re.search(r'<select[^>]+class="[^"]*ds_select', html)
    assert 'class="ds_checkbox__input"' in html
    assert '<label class="ds_checkbox__label" for="id_agree">I agree</label>' in html
    assert '<div class="ds_checkboxes ds_field-group">' in html
    assert '<legend class="ds_label">Themes</legend>' in html
    assert 'class="ds_radio__input" type="radio" name="mode" value="online"' in html
    assert '<label class="ds_radio__label" for="id_mode_1">In person</label>' in html
    assert re.search(r'<input[^>]+type="file"[^>]+class="[^"]*portal-file-input', html)
    assert re.search(r'<input[^>]+type="date"[^>]+ds_input--fixed-10', html)
    # Nothing of Bootstrap's left.
    for bootstrap in ("form-control", "form-select", "form-check", "mb-3", "invalid"):
        assert bootstrap not in html


def test_a_field_with_an_error_shows_its_own_message_and_keeps_the_input():
    form = EveryKindForm(
        {"name": "Aileen", "story": "", "city": "d", "themes": ["heat"], "mode": "x"}
    )
    assert not form.is_valid()
    html = render(form)
    # Kept: what was typed and chosen.
    assert 'value="Aileen"' in html
    assert re.search(r'<option value="d" selected>', html)
    assert re.search(r'value="heat" id="id_themes_0" checked', html)
    # Each field with an error: marked, with its message linked to the input.
    assert 'id="div_id_story"' in html
    assert '<div class="ds_question ds_question--error" id="div_id_story">' in html
    assert '<p class="ds_question__error-message" id="id_story_error">' in html
    assert re.search(r'<textarea[^>]+ds_input--error[^>]+aria-invalid="true"', html)
    assert re.search(r'aria-describedby="id_story_error"', html)
    assert '<fieldset aria-describedby="id_mode_error">' in html
    assert 'id="div_id_name"' in html and 'id="id_name_error"' not in html


def test_the_error_summary_links_each_message_to_its_field():
    form = EveryKindForm({"name": "Aileen", "mode": "x"})
    assert not form.is_valid()
    entries = dict(error_entries(form))
    assert "id_story" in entries and entries["id_story"].startswith("Story: ")
    # A group of choices: the link goes to its first choice, which has that id.
    assert "id_mode_0" in entries
    assert 'id="id_mode_0"' in render(form)


def test_base_html_titles_a_page_with_errors_and_summarises_every_form(rf):
    from django.template.loader import render_to_string

    first = EveryKindForm({"name": ""})
    second = EveryKindForm({"name": "Someone"})
    assert not first.is_valid() and not second.is_valid()
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string(
        "base.html", {"forms": [first, second], "site_name": "S"}, request=request
    )
    assert "<title>Error:  · S</title>" in html  # an empty title block here
    assert html.count('class="ds_error-summary"') == 1
    assert html.count('href="#id_story"') == 2  # both forms' entries, one summary
    assert "There is a problem" in html


def test_a_form_nobody_has_checked_yet_is_not_checked_by_the_page(rf):
    """Asking a bound form for its errors runs its clean(); base.html must not
    do that to a form the view never validated (a sign-in form authenticates)."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    class Watching(forms.Form):
        name = forms.CharField()
        cleaned = 0

        def clean(self):
            Watching.cleaned += 1
            return super().clean()

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "base.html", {"form": Watching({"name": ""}), "site_name": "S"}, request=request
    )
    assert Watching.cleaned == 0
    assert "ds_error-summary" not in html


def test_a_template_that_includes_the_summary_too_still_shows_one(rf):
    from django.contrib.auth.models import AnonymousUser

    page = Template(
        '{% extends "base.html" %}{% block content %}'
        '{% include "includes/_error_summary.html" with form=form only %}'
        "{% endblock %}"
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    from django.template import RequestContext

    failed = EveryKindForm({"name": ""})
    failed.is_valid()
    html = page.render(RequestContext(request, {"form": failed, "site_name": "S"}))
    assert html.count('class="ds_error-summary"') == 1
    fresh = page.render(
        RequestContext(request, {"form": EveryKindForm(), "site_name": "S"})
    )
    assert "ds_error-summary" not in fresh
    assert "There is a problem" not in fresh


def test_a_title_that_already_says_error_is_not_prefixed_twice(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import RequestContext

    page = Template(
        '{% extends "base.html" %}{% block title %}'
        "{% if form.errors %}Error: {% endif %}Report &amp; more{% endblock %}"
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    failed = EveryKindForm({"name": ""})
    failed.is_valid()
    html = page.render(RequestContext(request, {"form": failed, "site_name": "S"}))
    title = html.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Error: Report &amp; more · "), repr(title)


def test_looking_for_forms_evaluates_no_lazy_value():
    """Lazy context values (csrf_token, user) stay unevaluated: evaluating
    csrf_token would set a CSRF cookie on a page that has no form."""
    from django.utils.functional import SimpleLazyObject

    from kit.templatetags.kit_tags import forms_with_errors

    evaluated = []

    def token():
        evaluated.append(True)
        return "token"

    context = Context({"csrf_token": SimpleLazyObject(token), "form": EveryKindForm()})
    assert forms_with_errors(context) == []
    assert evaluated == []
