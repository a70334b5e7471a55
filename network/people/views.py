"""People: the directory, profiles, "ask the officer who did it", councils, settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from network.models import Member, Organisation, Theme

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
    form = DirectoryFilterForm(request.GET)
    # A stale filter (a council that went away) shows everyone rather than an error.
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(list_members(**filters), 20).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": any(filters.values())}
    return render(request, "network/people/directory.html", context)


def profile(request, pk):
    # Pending, rejected and suspended members have no profile to anyone.
    member = get_object_or_404(listed_members(), pk=pk)
    context = {
        "member": member,
        "is_self": member.pk == request.user.pk,
        **contributions.member_contributions(member, viewer=request.user),
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
