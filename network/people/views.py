"""People: the directory, profiles, "ask the officer who did it", councils, settings."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from network.models import Member, Organisation, Theme
from network.models.forums import can_moderate
from portal import versions

from . import contributions
from .forms import DirectoryFilterForm, ProfileForm
from .queries import (
    council_members,
    expertise_in_use,
    list_members,
    listed_members,
    similar_councils,
)


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


def profile(request, pk):
    """The profile is the same for every reader but for the owner's edit link and
    the posts a moderator may see in the back room, so it is kept rendered under
    the versions of everything it shows, keyed by the member and by whether the
    reader moderates."""
    viewer = request.user
    moderator = can_moderate(viewer)

    def render_profile():
        # Pending, rejected and suspended members have no profile to anyone.
        member = listed_members().filter(pk=pk).first()
        if member is None:
            return {"missing": True}
        # The viewer only decides which posts show, and that is the key's
        # ``moderator``: every reader sharing this rendering sees the same posts.
        context = {
            "member": member,
            **contributions.member_contributions(member, viewer=viewer),
        }
        return {
            "title": member.full_name,
            "head": render_to_string(
                "network/people/includes/_profile_head.html", context
            ),
            "body": render_to_string(
                "network/people/includes/_profile_body.html", context
            ),
        }

    shown = versions.cached(
        "people-profile",
        versions.tokens(
            versions.PEOPLE, versions.CATALOGUE, versions.EVENTS, versions.FORUMS
        ),
        render_profile,
        member=pk,
        moderator=moderator,
    )
    if shown.get("missing"):
        raise Http404("No such member.")
    context = {
        "title": shown["title"],
        "head": mark_safe(shown["head"]),  # noqa: S308 (rendered by our templates)
        "body": mark_safe(shown["body"]),  # noqa: S308
        "is_self": pk == viewer.pk,
        "show_email": viewer.show_email,
    }
    return render(request, "network/people/profile.html", context)


def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect(request.user)
    return render(request, "network/people/profile_edit.html", {"form": form})


def topic(request, theme_slug=None):
    """Ask the officer who did it: who wrote, leads or spoke about a theme or tag."""
    theme = get_object_or_404(Theme, slug=theme_slug) if theme_slug else None
    tag = "" if theme else request.GET.get("tag", "").strip()[:100]
    context = {"theme": theme, "tag": tag, "themes": Theme.objects.all()}
    if theme or tag:
        context.update(contributions.topic_members(theme=theme, tag=tag or None))
        # Members who list it as expertise, so the page helps even before anyone
        # has written about it.
        expertise = theme.name if theme else tag
        context["experts"] = list(list_members(tag=expertise)[:20])
    else:
        context["popular_tags"] = expertise_in_use()
    return render(request, "network/people/topic.html", context)


def council(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("city"), slug=slug
    )
    page = Paginator(council_members(organisation), 20).get_page(
        request.GET.get("page")
    )
    similar = similar_councils(organisation)
    for other in similar:
        other.shared = contributions.shared_by(other.organisation)
    context = {
        "organisation": organisation,
        "page": page,
        "similar": similar,
        **contributions.council_contributions(organisation),
    }
    return render(request, "network/people/council.html", context)


def settings_hub(request):
    """One place for the account, the profile and notification choices."""
    member = Member.objects.prefetch_related("emailaddress_set").get(pk=request.user.pk)
    return render(request, "network/people/settings.html", {"member": member})
