"""Discussion pages: thin views that parse, authorise and call services/queries."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kit import parts, versions
from kit.permissions import login_not_required, permission_required_403
from network.models import Forum, NotificationSettings, Post, PostRevision, Thread
from network.models.forums import MODERATE_PERM, can_moderate

from . import queries, services
from .forms import (
    ModerateThreadForm,
    NotificationSettingsForm,
    PostEditForm,
    ReasonForm,
    ReplyForm,
    ResolveFlagsForm,
    ThreadFilterForm,
    ThreadForm,
    ThreadTitleForm,
)

PER_PAGE = 20


def _thread_for(request, pk) -> Thread:
    return get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("forum", "author"),
        pk=pk,
    )


def _post_for(request, pk, **lookup) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread__forum"),
        pk=pk,
        **lookup,
    )


def _post_url(post: Post) -> str:
    return _number_url(post.thread_id, post.number)


def _number_url(thread_id: int, number: int) -> str:
    url = reverse("network:thread_detail", args=[thread_id])
    return f"{url}?page={queries.page_for_number(number)}#post-{number}"


# --- Lists -------------------------------------------------------------------


def forum_list(request):
    """The discussions' front page: the forums, and threads with new posts for you."""
    is_moderator = can_moderate(request.user)
    known = parts.tokens(versions.FORUMS)
    # The list says "last post 5 minutes ago", so the minute is in its key:
    # made again once a minute, it still saves rendering 30 forums every time.
    forums = parts.render(
        request,
        "forum-list",
        known=known,
        moderator=is_moderator,
        minute=timezone.now().strftime("%Y-%m-%d %H:%M"),
    )
    # The member's own, kept until a post anywhere (the forums version) or their
    # own watching or reading (their reading token) changes it.
    watched = versions.cached(
        "forums:watched",
        (known[versions.FORUMS],),
        lambda: (
            queries.watched_threads_with_new_posts(request.user, limit=10)
            if queries.watches_threads(request.user)
            else []
        ),
        member=request.user.pk,
        reading=request.user.reading_token,
    )
    context = {"forums": forums, "watched": watched, "is_moderator": is_moderator}
    return render(request, "network/forums/forum_list.html", context)


@parts.renders("forum-list")
def _forum_list_part(*, moderator, minute) -> dict:
    return {"forums": queries.list_forums(moderator=moderator)}


def _thread_list(request, forum=None):
    forums = Forum.objects.visible_to(request.user)
    form = ThreadFilterForm(request.GET, forums=forums)
    # A stale filter (a forum since hidden, say) shows everything, not an error.
    filters = form.cleaned_data if form.is_valid() else {}
    if forum is not None:
        filters["forum"] = forum
    threads = queries.list_threads(viewer=request.user, **filters)
    page = Paginator(threads, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "forum": forum,
        "watch_level": (
            queries.subscription_level(request.user, forum=forum) if forum else ""
        ),
    }
    return render(request, "network/forums/thread_list.html", context)


def thread_list(request):
    return _thread_list(request)


def forum_detail(request, slug):
    forum = get_object_or_404(Forum.objects.visible_to(request.user), slug=slug)
    return _thread_list(request, forum)


@require_POST
def forum_watch(request, slug):
    forum = get_object_or_404(Forum.objects.visible_to(request.user), slug=slug)
    services.set_subscription(
        request.user, forum=forum, level=request.POST.get("level", "")
    )
    messages.success(
        request, gettext("Your notification choice for this forum is saved.")
    )
    return redirect(forum)


# --- Threads -----------------------------------------------------------------


def thread_create(request):
    forums = Forum.objects.visible_to(request.user)
    initial = {}
    if request.GET.get("forum"):
        initial["forum"] = forums.filter(slug=request.GET["forum"]).first()
    form = ThreadForm(request.POST or None, forums=forums, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        thread = services.start_thread(
            data["forum"],
            author=request.user,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            drivers=data["drivers"],
            is_question=data["is_question"],
        )
        return redirect(thread)
    return render(request, "network/forums/thread_form.html", {"form": form})


def thread_detail(request, pk):
    """A page of posts; with no page asked for, it opens at the first unread post.

    The heading and the page of posts are shared parts ("thread-head",
    "thread-posts"); what differs between readers is in the posts' key.
    """
    known = parts.tokens(versions.FORUMS, versions.PEOPLE)
    thread = _shared_thread(pk, known[versions.FORUMS])
    moderator = can_moderate(request.user)
    if thread is None or not thread.is_visible_for_role(moderator=moderator):
        raise Http404
    last_read, watch_level = queries.reader_state(request.user, thread)
    if "page" not in request.GET and 0 < last_read < thread.post_count:
        return redirect(_number_url(thread.pk, last_read + 1))
    # Posts never leave a thread, so page p holds numbers first..last exactly:
    # its numbers are known without reading a post (nor building a query).
    numbers = Paginator(range(thread.post_count), PER_PAGE)
    page = numbers.get_page(request.GET.get("page"))
    if page.end_index() > last_read:
        services.mark_read(request.user, thread, page.end_index())
    key = _posts_key(request.user, moderator, thread, page, last_read, known)
    context = {
        "thread": thread,
        "head": parts.render(request, "thread-head", known=known, thread_id=pk),
        "posts_html": parts.render(request, "thread-posts", known=known, **key),
        "watch_level": watch_level,
        "is_moderator": key["moderator"],
        "may_retitle": services.may_retitle(request.user, thread),
    }
    return render(request, "network/forums/thread_detail.html", context)


def _shared_thread(pk, forums: int) -> Thread | None:
    """The thread row, the same for everyone: any change to a thread changes the
    forums version."""
    return versions.cached(
        "forums:thread", (forums,), lambda: queries.thread_or_none(pk), pk=pk
    )


def _posts_key(member, moderator, thread, page, last_read: int, known: dict) -> dict:
    """What of a page of posts differs between readers: moderator or not, whether
    they may mark helpful answers, which posts are new to them, and (only for a
    page with a post of theirs) who they are, for their edit and delete links."""
    first, last = page.start_index(), page.end_index()
    authors = versions.cached(
        "forums:page-authors",
        (known[versions.FORUMS], known[versions.PEOPLE]),
        lambda: queries.page_authors(thread, first, last),
        thread=thread.pk,
        page=page.number,
    )
    return {
        "thread_id": thread.pk,
        "page": page.number,
        "moderator": moderator,
        "may_mark_answers": services.may_mark_answers(member, thread),
        # "new" marks the posts after the last one read, unless none was ever
        # read: of this page, none, some or all (then first - 1 stands for all).
        "new_after": max(last_read, first - 1) if 0 < last_read < last else 0,
        "viewer_id": member.pk if member.pk in authors else 0,
    }


@parts.renders("thread-head")
def _thread_head_part(*, thread_id, tokens) -> dict:
    thread = _shared_thread(thread_id, tokens[versions.FORUMS])
    return {
        "thread": thread,
        "tags": list(thread.tags.all()),
        "subject_url": _subject_url(thread),
    }


@parts.renders("thread-posts")
def _thread_posts_part(
    *, thread_id, page, moderator, may_mark_answers, new_after, viewer_id, tokens
) -> dict:
    thread = _shared_thread(thread_id, tokens[versions.FORUMS])
    posts = queries.ThreadPaginator(thread, PER_PAGE).page(page)
    return {
        "thread": thread,
        "is_moderator": moderator,
        "page": posts,
        "posts": list(posts.object_list),
        "last_read": new_after,
        "viewer_id": viewer_id,
        "answers": queries.helpful_answers(thread, moderator=moderator),
        "may_mark_answers": may_mark_answers,
        "reply_form": None if thread.is_locked else ReplyForm(),
    }


def _subject_url(thread: Thread) -> str:
    if not thread.content_type_id:
        return ""
    subject = thread.subject
    return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""


def thread_reply(request, pk):
    thread = _thread_for(request, pk)
    if thread.is_locked:
        messages.error(
            request, gettext("This thread is locked: it takes no more replies.")
        )
        return redirect(thread)
    quoted = _quoted_post(request, thread)
    form = ReplyForm(request.POST or None, initial=_quoting(quoted))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(
                thread,
                author=request.user,
                body=form.cleaned_data["body"],
                quoted=quoted,
            )
        except services.ThreadLocked:
            messages.error(
                request, gettext("This thread is locked: it takes no more replies.")
            )
            return redirect(thread)
        return redirect(_post_url(post))
    context = {"thread": thread, "form": form, "quoted": quoted}
    return render(request, "network/forums/reply_form.html", context)


def _quoted_post(request, thread) -> Post | None:
    """The post a reply quotes (``?quote=`` on the form, ``quoted`` posted), if
    the reader may see it."""
    quote_id = str(request.POST.get("quoted") or request.GET.get("quote") or "")
    if not (quote_id.isascii() and quote_id.isdigit()):
        return None
    return (
        Post.objects.visible_to(request.user)
        .filter(thread=thread, pk=quote_id, is_deleted=False)
        .select_related("author")
        .first()
    )


def _quoting(quoted: Post | None) -> dict:
    if quoted is None:
        return {}
    quote = "\n".join(f"> {line}" for line in quoted.body.splitlines())
    return {
        "quoted": quoted.pk,
        "body": f"> **{quoted.author}** wrote:\n>\n{quote}\n\n",
    }


@require_POST
def thread_watch(request, pk):
    thread = _thread_for(request, pk)
    services.set_subscription(
        request.user, thread=thread, level=request.POST.get("level", "")
    )
    messages.success(
        request, gettext("Your notification choice for this thread is saved.")
    )
    return redirect(thread)


@permission_required_403(MODERATE_PERM)
def thread_moderate(request, pk):
    thread = _thread_for(request, pk)
    form = ModerateThreadForm(request.POST or None)
    if form.is_valid():
        services.moderate_thread(
            thread,
            moderator=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            forum=form.cleaned_data["forum"],
        )
        messages.success(
            request, gettext("Done: the reason is kept in the thread's record.")
        )
        return redirect(thread)
    context = {
        "thread": thread,
        "form": form,
        "actions": thread.moderation_actions.select_related("moderator", "post"),
    }
    return render(request, "network/forums/thread_moderate.html", context)


def thread_retitle(request, pk):
    """The thread's author (while it is open) and moderators rename a thread."""
    thread = _thread_for(request, pk)
    if not services.may_retitle(request.user, thread):
        raise PermissionDenied
    form = ThreadTitleForm(request.POST or None, initial={"title": thread.title})
    if request.method == "POST" and form.is_valid():
        services.retitle_thread(
            thread, title=form.cleaned_data["title"], by=request.user
        )
        messages.success(request, gettext("Title saved."))
        return redirect(thread)
    return render(
        request, "network/forums/thread_retitle.html", {"thread": thread, "form": form}
    )


# --- Posts -------------------------------------------------------------------


def post_goto(request, pk):
    return redirect(_post_url(_post_for(request, pk)))


def post_edit(request, pk):
    # Only the author may edit: everyone else gets a 404 from the lookup.
    post = _post_for(request, pk, author=request.user, is_deleted=False)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.edit_post(post, body=form.cleaned_data["body"])
        return redirect(_post_url(post))
    return render(
        request, "network/forums/post_edit.html", {"post": post, "form": form}
    )


def post_delete(request, pk):
    post = _post_for(request, pk, author=request.user, is_deleted=False)
    if request.method == "POST":
        services.delete_post(post)
        messages.success(
            request, gettext("Your post is deleted; its place in the thread stays.")
        )
        return redirect(_post_url(post))
    return render(request, "network/forums/post_delete.html", {"post": post})


@require_POST
def post_answer(request, pk):
    post = _post_for(request, pk)
    if not services.may_mark_answers(request.user, post.thread):
        raise PermissionDenied
    helpful = request.POST.get("helpful") != "0"
    services.set_helpful_answer(post, by=request.user, helpful=helpful)
    return redirect(_post_url(post))


def post_flag(request, pk):
    post = _post_for(request, pk, is_deleted=False)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_post(
            post, member=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, gettext("Thank you: a moderator will look at this post.")
        )
        return redirect(_post_url(post))
    context = {"post": post, "form": form}
    return render(request, "network/forums/post_flag.html", context)


@permission_required_403(MODERATE_PERM)
def post_hide(request, pk):
    post = _post_for(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hide_post(
            post,
            moderator=request.user,
            reason=form.cleaned_data["reason"],
            hidden=not post.is_hidden,
        )
        return redirect(_post_url(post))
    return render(
        request, "network/forums/post_hide.html", {"post": post, "form": form}
    )


@permission_required_403(MODERATE_PERM)
def post_history(request, pk):
    post = _post_for(request, pk)
    revisions = PostRevision.objects.filter(post=post)
    context = {"post": post, "revisions": revisions}
    return render(request, "network/forums/post_history.html", context)


@permission_required_403(MODERATE_PERM)
def review_queue(request, refused: ResolveFlagsForm | None = None, refused_pk=None):
    """Flagged posts, each with its decision form (a refused one shows its errors
    and what was typed)."""
    page = Paginator(queries.review_queue(), PER_PAGE).get_page(request.GET.get("page"))
    flagged = [
        (post, refused if post.pk == refused_pk else ResolveFlagsForm(post_pk=post.pk))
        for post in page
    ]
    context = {"page": page, "flagged": flagged, "refused": refused}
    return render(request, "network/forums/review_queue.html", context)


@require_POST
@permission_required_403(MODERATE_PERM)
def review_resolve(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = ResolveFlagsForm(request.POST, post_pk=post.pk)
    if not form.is_valid():
        return review_queue(request, refused=form, refused_pk=post.pk)
    hide = request.POST.get("decision") == "hide"
    services.resolve_flags(
        post, moderator=request.user, hide=hide, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        gettext("Post hidden.") if hide else gettext("Post kept; flags closed."),
    )
    return redirect("network:review_queue")


# --- Notifications -----------------------------------------------------------


def notification_list(request):
    page = Paginator(queries.notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/forums/notification_list.html", {"page": page})


@require_POST
def notifications_mark_read(request):
    ids = request.POST.getlist("notification")
    services.mark_notifications_read(
        request.user,
        ids=[i for i in ids if i.isascii() and i.isdigit()] if ids else None,
    )
    return redirect("network:notifications")


def notification_open(request, pk):
    notification = get_object_or_404(queries.notifications_for(request.user), pk=pk)
    services.mark_notifications_read(request.user, ids=[notification.pk])
    return redirect(_post_url(notification.post))


def notification_settings(request):
    prefs, _ = NotificationSettings.objects.get_or_create(member=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=prefs)
    if form.is_valid():
        form.save()
        messages.success(request, gettext("Your email choices are saved."))
        return redirect("network:notification_settings")
    return render(request, "network/forums/notification_settings.html", {"form": form})


def _unsubscribe_invalid(request):
    return render(request, "network/forums/unsubscribe_invalid.html", status=400)


@login_not_required
def notification_unsubscribe(request, token):
    """The unsubscribe link in an email: a page with one button, signed in or not.

    Only the button's POST turns the email off: the link scanners that councils'
    mail systems run open every link with a GET, and must unsubscribe nobody.
    """
    try:
        member, kind = services.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _unsubscribe_invalid(request)
    context = {"kind_label": NotificationSettings.label_for(kind), "done": False}
    if request.method == "POST":
        services.unsubscribe(member, kind)
        context["done"] = True
    return render(request, "network/forums/unsubscribe.html", context)


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST here themselves, with no session or token.
def notification_unsubscribe_one_click(request, token):
    """The ``List-Unsubscribe`` address: a mail client's one-click POST (body
    ``List-Unsubscribe=One-Click``) turns that kind of email off. The signed token
    is the only key. A GET (an older client opening it in a browser) shows the
    page with the button, and changes nothing."""
    if request.method != "POST":
        return redirect("network:notification_unsubscribe", token=token)
    try:
        member, kind = services.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _unsubscribe_invalid(request)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return _unsubscribe_invalid(request)
    services.unsubscribe(member, kind)
    context = {"kind_label": NotificationSettings.label_for(kind), "done": True}
    return render(request, "network/forums/unsubscribe.html", context)
