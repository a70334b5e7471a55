"""Private conversations. Every page is for approved members (the default), and
a conversation is found only among the reader's own: anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.models import Member
from network.models.forums import can_moderate

from . import queries, services
from .forms import MessageForm, ReportForm, StartConversationForm
from .models import Message, MessageReport

PER_PAGE = 20


def _mine(request, pk):
    return get_object_or_404(queries.conversations_for(request.user), pk=pk)


def conversation_list(request):
    page = Paginator(queries.conversations_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/conversations/list.html", {"page": page})


def conversation_start(request):
    """Write to one or more members: ``?to=<id>`` (repeatable) and ``?subject=``
    come from the contact buttons on profiles, case studies, talks and the "ask
    the officer" page."""
    if request.method == "POST":
        form = StartConversationForm(request.POST, starter=request.user)
    else:
        form = StartConversationForm(
            initial={
                "to": [i for i in request.GET.getlist("to") if i.isdigit()],
                "subject": request.GET.get("subject", "")[:200],
            },
            starter=request.user,
        )
    if form.is_bound and form.is_valid():
        try:
            conversation = services.start_conversation(
                request.user,
                recipients=form.cleaned_data["to"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except services.ConversationRefused as refused:
            form.add_error(refused.field, str(refused))
        else:
            return redirect(conversation)
    recipients = _recipients(form)
    return render(
        request,
        "network/conversations/start.html",
        {"form": form, "recipients": recipients},
    )


def _recipients(form) -> list[Member]:
    ids = form["to"].value() or []
    ids = [int(i) for i in ids if str(i).isdigit()]
    return list(form.fields["to"].queryset.filter(pk__in=ids)[:20])


def conversation_detail(request, pk):
    conversation = _mine(request, pk)
    form = MessageForm(request.POST or None)
    if form.is_valid():
        try:
            services.send_message(
                conversation, author=request.user, body=form.cleaned_data["body"]
            )
        except services.ConversationRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(conversation)
    services.mark_read(request.user, conversation)
    paginator = Paginator(
        queries.messages_for(conversation, viewer=request.user), PER_PAGE
    )
    # The newest messages first come into view: the last page unless one is asked.
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    context = {
        "conversation": conversation,
        "page": page,
        "form": form,
        "blocked": queries.blocked_ids(request.user),
    }
    return render(request, "network/conversations/detail.html", context)


@require_POST
def conversation_leave(request, pk):
    conversation = _mine(request, pk)
    services.leave_conversation(request.user, conversation)
    messages.success(
        request,
        _("You have left “%(subject)s”.") % {"subject": conversation.subject},
    )
    return redirect("network:conversations")


@require_POST
def member_block(request, pk):
    other = get_object_or_404(Member.objects.approved(), pk=pk)
    if request.POST.get("undo"):
        services.unblock_member(request.user, other)
        messages.success(
            request, _("%(member)s can message you again.") % {"member": other}
        )
    else:
        services.block_member(request.user, other)
        messages.success(
            request,
            _("You will get no new messages from %(member)s.") % {"member": other},
        )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("network:conversations")


def message_report(request, pk):
    message = get_object_or_404(
        Message.objects.select_related("conversation", "author"),
        pk=pk,
        conversation__participants__member=request.user,
        conversation__participants__left_at__isnull=True,
    )
    form = ReportForm(request.POST or None)
    if form.is_valid():
        services.report_message(
            message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Thank you: the moderators will read this message.")
        )
        return redirect(message.conversation)
    return render(
        request,
        "network/conversations/report.html",
        {"message": message, "form": form},
    )


def report_list(request):
    """Moderators read the messages members reported, and nothing else."""
    if not can_moderate(request.user):
        raise PermissionDenied
    if request.method == "POST":
        report = get_object_or_404(MessageReport, pk=request.POST.get("report", 0))
        services.resolve_report(report)
        return redirect("network:message_reports")
    page = Paginator(queries.open_reports(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "network/conversations/reports.html", {"page": page})
