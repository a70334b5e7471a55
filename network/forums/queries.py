"""Reads for discussion pages and for other parts of the portal (member home,
profiles, the site-wide search). Each returns only what the viewer may see."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from network.models import (
    Flag,
    Forum,
    Member,
    Notification,
    Post,
    ReadMark,
    Subscription,
    Thread,
)
from network.models.forums import can_moderate

POSTS_PER_PAGE = 20


def _with_last_read(threads: QuerySet, member) -> QuerySet:
    """Annotate ``last_read`` (0 when never opened) and ``unread`` (new posts)."""
    last_read = ReadMark.objects.filter(member=member, thread=OuterRef("pk")).values(
        "last_read_number"
    )[:1]
    return threads.annotate(
        last_read=Coalesce(Subquery(last_read), Value(0)),
    ).annotate(unread=F("post_count") - F("last_read"))


def list_forums(*, moderator: bool) -> list[Forum]:
    """Every forum the viewer may see, with its visible threads' count and latest
    post; moderators also count hidden threads and see moderators-only forums."""
    from django.db.models import Count, Max, Q

    forums = Forum.objects.for_role(moderator=moderator)
    visible = Q() if moderator else Q(threads__is_hidden=False)
    return list(
        forums.annotate(
            thread_count=Count("threads", filter=visible),
            last_activity=Max("threads__last_post_at", filter=visible),
        )
    )


def list_threads(
    *,
    viewer,
    forum: Forum | None = None,
    tag: str = "",
    unanswered: bool = False,
    mine: bool = False,
    author=None,
    q: str = "",
) -> QuerySet[Thread]:
    """Threads matching the list filters, pinned first, then latest activity."""
    threads = Thread.objects.visible_to(viewer).select_related("forum", "author")
    if forum:
        threads = threads.filter(forum=forum)
    if tag:
        threads = threads.filter(tags__slug=tag)
    if unanswered:
        threads = threads.filter(is_question=True, has_answer=False)
    if mine:
        threads = threads.filter(posts__author=viewer).distinct()
    if author:
        threads = threads.filter(author=author)
    if q:
        matching = search_posts(q, viewer=viewer).values("thread_id")
        threads = threads.filter(pk__in=matching)
    threads = _with_last_read(threads, viewer)
    return threads.prefetch_related("tags").order_by("-is_pinned", "-last_post_at")


def thread_posts(thread: Thread) -> QuerySet[Post]:
    """Every post in the thread, in order, with what each row of the page shows.

    Hidden and deleted posts keep their place; the template shows their text only
    to moderators (hidden) or to no one (deleted).
    """
    return thread.posts.select_related(
        "author__organisation__city", "quoted__author"
    ).order_by("number")


class ThreadPaginator(Paginator):
    """A thread's posts by page, fetched by post number, never by OFFSET.

    Posts are numbered 1..n in each thread and none leaves it: hidden and deleted
    posts keep their place (the template shows their text only to moderators, or
    to no one), so page p holds exactly numbers (p-1)*20+1 .. p*20 and the last
    page of a 50,000-post thread is one range read on the (thread, number) index.
    The count is the thread's ``post_count`` (the newest post's number).
    """

    def __init__(self, thread: Thread, per_page: int = POSTS_PER_PAGE):
        super().__init__(thread_posts(thread), per_page)
        self.thread = thread

    @cached_property
    def count(self) -> int:
        return self.thread.post_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        posts = self.object_list.filter(
            number__gt=bottom, number__lte=bottom + self.per_page
        )
        return self._get_page(posts, number, self)


def helpful_answers(thread: Thread, *, moderator: bool) -> list[Post]:
    """The thread's posts marked helpful; hidden ones only for moderators."""
    if not thread.has_answer:
        return []
    answers = Post.objects.filter(thread=thread, is_answer=True, is_deleted=False)
    if not moderator:
        answers = answers.filter(is_hidden=False)
    return list(answers.select_related("author__organisation").order_by("number"))


def page_authors(thread: Thread, first: int, last: int) -> frozenset[int]:
    """Who wrote the posts numbered first..last (one page) of the thread."""
    return frozenset(
        thread.posts.filter(number__gte=first, number__lte=last).values_list(
            "author_id", flat=True
        )
    )


def thread_or_none(pk: int) -> Thread | None:
    """The thread with its forum, whoever may see it: see
    ``Thread.is_visible_for_role``."""
    return Thread.objects.select_related("forum").filter(pk=pk).first()


def reader_state(member, thread: Thread) -> tuple[int, str]:
    """(last post number read, watch level) of the member in the thread: 0 when
    never opened, "" for normal notifications.

    Every thread page needs both and little else per member, so they come in one
    round trip, written as SQL: the ORM spends longer building two queries than
    the database spends answering them.
    """
    read, sub = ReadMark._meta.db_table, Subscription._meta.db_table
    sql = (
        f"SELECT (SELECT last_read_number FROM {read} "
        "WHERE member_id = %s AND thread_id = %s), "
        f"(SELECT level FROM {sub} WHERE member_id = %s AND thread_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [member.pk, thread.pk, member.pk, thread.pk])
        last_read, level = cursor.fetchone()
    return last_read or 0, level or ""


def page_for_number(number: int) -> int:
    return max(1, (number - 1) // POSTS_PER_PAGE + 1)


def last_read_number(member, thread: Thread) -> int:
    mark = ReadMark.objects.filter(member=member, thread=thread).first()
    return mark.last_read_number if mark else 0


def subscription_level(member, *, thread=None, forum=None) -> str:
    level = (
        Subscription.objects.filter(member=member, thread=thread, forum=forum)
        .values_list("level", flat=True)
        .first()
    )
    return level or ""


def discussion_for(obj) -> Thread | None:
    """The thread linked to a case study, event or other object, if one was started."""
    content_type = ContentType.objects.get_for_model(obj)
    return (
        Thread.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("forum")
        .first()
    )


# A broad query matches a large share of a million posts: rank only the newest
# matches, never all of them. Equal to the search page's count cap (portal.queries),
# so its "more than 1,000" stays true.
SEARCH_CANDIDATES = 1000


def search_posts(query: str, *, viewer) -> QuerySet[Post]:
    """Posts the viewer may see whose text matches (``search_posts_for_role``)."""
    return search_posts_for_role(query, moderator=can_moderate(viewer))


def search_posts_for_role(query: str, *, moderator: bool) -> QuerySet[Post]:
    """Posts the role may see whose text matches, best match first.

    Only the newest ``SEARCH_CANDIDATES`` matches (by id, i.e. by posting order)
    are ranked, so a broad query costs no more than a narrow one.
    """
    query = (query or "").strip()
    if not query:
        return Post.objects.none()
    search = SearchQuery(query, config="english", search_type="websearch")
    newest = (
        Post.objects.for_role(moderator=moderator)
        .filter(is_deleted=False, search_vector=search)
        .order_by("-pk")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    return (
        Post.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), search))
        .select_related("thread__forum", "author")
        .order_by("-rank", "-created_at")
    )


def watches_threads(member) -> bool:
    """Whether the member watches any thread: one indexed look-up that spares the
    costlier new-posts query for the many who watch none."""
    return Subscription.objects.filter(
        member=member, level=Subscription.Level.WATCHING, thread__isnull=False
    ).exists()


def watched_threads_with_new_posts(member, limit: int = 5) -> list[Thread]:
    """Threads the member watches that have posts they have not read, newest first.

    Each carries ``unread`` (how many) and ``last_read``.
    """
    watched = Subscription.objects.filter(
        member=member, level=Subscription.Level.WATCHING, thread__isnull=False
    ).values("thread_id")
    threads = Thread.objects.visible_to(member).filter(pk__in=watched)
    threads = _with_last_read(threads, member).filter(unread__gt=0)
    return list(
        threads.select_related("forum", "author").order_by("-last_post_at")[:limit]
    )


def recent_posts_by(author, *, moderator: bool, limit: int = 5) -> list[Post]:
    """The author's latest posts that a moderator, or any member, may see."""
    return list(
        Post.objects.for_role(moderator=moderator)
        .filter(author=author, is_deleted=False, is_hidden=False)
        .select_related("thread__forum")
        .order_by("-created_at")[:limit]
    )


# Notifications about posts that everyone may see; moderators see the rest too.
VISIBLE_NOTIFICATION = Q(
    post__is_hidden=False,
    post__thread__is_hidden=False,
    post__thread__forum__moderators_only=False,
)


def _visible_notifications(member) -> QuerySet[Notification]:
    """The member's notifications about posts they may still see (a thread hidden
    or moved to a moderators-only forum since stops showing up here)."""
    is_moderator = Exists(Member.objects.moderators().filter(pk=member.pk))
    return Notification.objects.filter(recipient=member).filter(
        VISIBLE_NOTIFICATION | is_moderator
    )


def notifications_for(member) -> QuerySet[Notification]:
    return _visible_notifications(member).select_related("actor", "post__thread")


def unread_notification_count(member) -> int:
    return _visible_notifications(member).filter(read_at__isnull=True).count()


def review_queue() -> QuerySet[Post]:
    """Flagged posts with open flags, oldest flag first, each with its flags."""
    open_flags = Flag.objects.filter(resolved_at=None).select_related("flagged_by")
    # A semi-join on the open flags, not a DISTINCT over posts joined to flags:
    # that read every flagged post's whole row and took 5 s at a million posts.
    return (
        Post.objects.filter(
            pk__in=Flag.objects.filter(resolved_at=None).values("post_id")
        )
        .select_related("thread__forum", "author")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
        .order_by("pk")
    )


def threads_for_driver(driver, *, moderator: bool) -> QuerySet[Thread]:
    """Threads that name the policy driver, most recently active first."""
    return (
        Thread.objects.for_role(moderator=moderator)
        .filter(drivers=driver)
        .select_related("forum", "author")
        .order_by("-last_post_at", "-pk")
    )


def thread_starters_for_topic(*, theme=None, driver=None) -> QuerySet:
    """Approved members who started a thread every member may see in the theme's
    forums, or one that names the policy driver, by name (ids from the threads'
    indexed foreign keys, no compare of names)."""
    threads = Thread.objects.for_role(moderator=False)
    if theme is not None:
        threads = threads.filter(forum__theme=theme)
    if driver is not None:
        threads = threads.filter(drivers=driver)
    return (
        Member.objects.approved()
        .filter(pk__in=threads.order_by().values("author_id"))
        .select_related("organisation")
        .order_by("full_name", "pk")
    )
