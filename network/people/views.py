"""People: the directory, profile editing and the settings hub.

A member's profile, "ask the officer who did it" and a council's page show what
people did in the other apps, so they live in portal/people.py.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from kit import versions
from network.models import Member
from network.roles import must_use_second_factor

from .forms import DirectoryFilterForm, ProfileForm
from .queries import list_members


def directory(request):
    """The count, cards and pages are the same for every reader of the same
    filters, so they are kept rendered under the people version, keyed by the
    validated filters and the page; the form keeps what this reader typed."""
    form = DirectoryFilterForm(request.GET)
    # A stale filter (a council that went away) shows everyone rather than an error.
    filters = _directory_filters(form.cleaned_data if form.is_valid() else {})
    # Page links carry the validated filters only, so they are the same for
    # everyone who shares this rendering.
    query = urlencode(
        {name: getattr(value, "pk", value) for name, value in filters.items()}
    )
    page_number = request.GET.get("page", "1")[:10]

    def render_results():
        page = Paginator(list_members(**filters), 20).get_page(page_number)
        context = {"page": page, "filtered": bool(filters), "query": query}
        return render_to_string(
            "network/people/includes/_directory_results.html", context
        )

    people = versions.tokens(versions.PEOPLE)
    results = versions.cached_html(
        request,
        "people-directory",
        people,
        render_results,
        query=query,
        page=page_number,
    )
    # The form shows what was typed (and any error on it), and its choices are
    # the cities and councils: keyed by the typed values, under the same version.
    typed = {name: request.GET.get(name, "") for name in form.fields}
    filter_form = versions.cached_html(
        request,
        "people-directory-form",
        people,
        lambda: render_to_string(
            "network/people/includes/_directory_form.html",
            {"form": form, "filtered": bool(filters)},
        ),
        **typed,
    )
    context = {"filter_form": filter_form, "results": results}
    return render(request, "network/people/directory.html", context)


def _directory_filters(cleaned: dict) -> dict:
    """The filters that narrow the list, words normalised, empty ones dropped."""
    filters = dict(cleaned)
    filters["q"] = " ".join(filters.get("q", "").split())
    filters["tag"] = filters.get("tag", "").strip()
    return {name: value for name, value in filters.items() if value}


def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect(request.user)
    return render(request, "network/people/profile_edit.html", {"form": form})


def settings_hub(request):
    """One place for the account, the profile and notification choices."""
    member = Member.objects.prefetch_related("emailaddress_set").get(pk=request.user.pk)
    context = {
        "member": member,
        "needs_second_factor": must_use_second_factor(request.user),
    }
    return render(request, "network/people/settings.html", context)
