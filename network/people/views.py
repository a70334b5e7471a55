"""People: the directory, profile editing and the settings hub.

A member's profile, "ask the officer who did it" and a council's page show what
people did in the other apps, so they live in portal/people.py.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kit import parts, versions
from network.models import Member
from network.roles import must_use_second_factor

from .forms import DirectoryFilterForm, ProfileForm
from .queries import list_members


def directory(request):
    """The count, cards and pages are the same for every reader of the same
    validated filters and page (the part "people-directory"); the form shows
    what this reader typed, with any error (the part "people-directory-form")."""
    form = DirectoryFilterForm(request.GET)
    # A stale filter (a council that went away) shows everyone rather than an error.
    filters = _directory_filters(form.cleaned_data if form.is_valid() else {})
    # Page links carry the validated filters only, so they are the same for
    # everyone who shares this rendering.
    query = urlencode(
        {name: getattr(value, "pk", value) for name, value in filters.items()}
    )
    known = parts.tokens(versions.PEOPLE)
    typed = {name: request.GET.get(name, "") for name in form.fields}
    context = {
        "filter_form": parts.render(
            request, "people-directory-form", known=known, **typed
        ),
        "results": parts.render(
            request,
            "people-directory",
            known=known,
            query=query,
            page=request.GET.get("page", "1")[:10],
        ),
    }
    return render(request, "network/people/directory.html", context)


@parts.renders("people-directory")
def _directory_part(*, query, page) -> dict:
    # The query holds the validated filters, ids for the city and council.
    filters = dict(QueryDict(query).items())
    members = Paginator(list_members(**filters), 20).get_page(page)
    return {"page": members, "filtered": bool(filters), "query": query}


@parts.renders("people-directory-form")
def _directory_form_part(*, q, city, organisation, member_type, tag) -> dict:
    typed = {
        "q": q,
        "city": city,
        "organisation": organisation,
        "member_type": member_type,
        "tag": tag,
    }
    form = DirectoryFilterForm(typed)
    filters = _directory_filters(form.cleaned_data if form.is_valid() else {})
    return {"form": form, "filtered": bool(filters)}


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
        messages.success(request, _("Your profile is saved."))
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
