"""Forums, threads and posts. The standard forums plus themed ones; threads whose
sizes follow a long tail (most a handful of posts, a few thousands), some about a
case study or an event; posts by a Zipf-like crowd, numbered 1..n, each watched
and read by its author. A thread's post count, newest post and answer come from
the app's own ``recount_threads`` after the COPY.

Measured at a million posts: COPY into the posts table with its GIN search index
and the author index in place was slower than dropping them and building them
once afterwards, so above ``loader.DROP_INDEXES_ABOVE`` rows they are dropped
(inside the transaction).
"""

from datetime import timedelta

from django.utils.text import slugify
from taggit.models import TaggedItem

from casestudies.models import CaseStudy
from events.models import Event
from network.forums.services import recount_threads
from network.models import Forum, Post, Thread
from network.models.forums import ReadMark, Subscription

from . import text
from . import wordlists as words
from .bulk import IndexesDropped, Progress, copy_rows, next_id
from .draw import sentence_case, weighted

THREAD_FIELDS = (
    "id", "forum", "title", "author", "is_question", "is_pinned", "is_locked",
    "is_hidden", "created_at", "content_type", "object_id",
)  # fmt: skip
POST_FIELDS = (
    "id", "thread", "number", "author", "body", "body_html", "quoted", "created_at",
    "edited_at", "is_deleted", "is_hidden", "hidden_reason", "is_answer",
)  # fmt: skip
TAG_FIELDS = ("content_type", "object_id", "tag")


def load(loader) -> None:
    forums = _forums(loader)
    sizes = _thread_sizes(loader.rng, loader.sizes.threads, loader.sizes.posts)
    first_thread = next_id(Thread)
    loader.explicit_ids += [Thread, Post]
    threads, tags, plans = _threads(loader, forums, sizes, first_thread)
    loader.counts["forums"] = len(forums)
    loader.counts["threads"] = copy_rows(Thread, THREAD_FIELDS, threads)
    loader.counts["thread tags"] = copy_rows(TaggedItem, TAG_FIELDS, tags)
    watching = _copy_posts(loader, plans, sum(sizes))
    recount_threads(Thread.objects.filter(pk__gte=first_thread))
    # Posting watches the thread and marks it read up to the member's post.
    loader.counts["thread subscriptions"] = copy_rows(
        Subscription,
        ["member", "thread", "level"],
        ((m, t, "watching") for m, t, _ in watching),
    )
    loader.counts["read marks"] = copy_rows(
        ReadMark, ["member", "thread", "last_read_number"], watching
    )


def _forums(loader) -> list[tuple[Forum, str | None]]:
    """The three standard forums plus themed ones, up to --forums in all, each
    with the topic its threads are about (None: any topic)."""
    topics = {slugify(name): topic for name, topic in words.FORUM_NAMES}
    missing = max(0, loader.sizes.forums - Forum.objects.count())
    for order, (name, topic) in enumerate(words.FORUM_NAMES, start=10):
        if missing == 0:
            break
        if Forum.objects.filter(slug=slugify(name)).exists():
            continue
        theme_name = words.TOPICS[topic]["themes"][0] if topic else None
        Forum.objects.create(
            name=name,
            slug=slugify(name),
            order=order,
            description=f"Questions, answers and experience on {name.lower()}.",
            theme_id=loader.themes.get(theme_name),
        )
        missing -= 1
    forums = Forum.objects.filter(moderators_only=False).order_by("order", "pk")
    return [(forum, topics.get(forum.slug)) for forum in forums]


def _thread_sizes(r, threads: int, posts: int) -> list[int]:
    """Posts per thread summing to ``posts``: most threads a handful, a few
    thousands (a lognormal with a long tail)."""
    if threads == 0:
        return []
    posts = max(posts, threads)
    raw = [r.lognormvariate(0, 2.0) for _ in range(threads)]
    scale = (posts - threads) / sum(raw)
    sizes = [1 + int(x * scale) for x in raw]
    # Hand the rounding remainder to the largest threads, one post each.
    short = posts - sum(sizes)
    order = sorted(range(threads), key=lambda i: -sizes[i])
    for i in range(short):
        sizes[order[i % threads]] += 1
    return sizes


def _subjects(loader, threads: int) -> list[tuple[str, int, tuple]]:
    """(forum slug, content type, (id, title, topic)) of the case studies (one
    thread in 20) and events (one in 30) that the first threads discuss."""
    r = loader.rng
    case_studies = r.sample(
        loader.published_case_studies,
        min(len(loader.published_case_studies), threads // 20),
    )
    events = r.sample(
        loader.published_events, min(len(loader.published_events), threads // 30)
    )
    return [("case-studies", loader.ct[CaseStudy], s) for s in case_studies] + [
        ("events", loader.ct[Event], s) for s in events
    ]


def _threads(loader, forums, sizes, first_id):
    """The thread rows, their tags, and each thread's plan for its posts."""
    r = loader.rng
    special = {f.slug: f for f, _ in forums}
    general = [(f, t) for f, t in forums if f.slug not in ("case-studies", "events")]
    subjects = _subjects(loader, len(sizes))
    threads, tags, plans = [], [], []
    for index, size in enumerate(sizes):
        thread_id = first_id + index
        if index < len(subjects) and subjects[index][0] in special:
            slug, content_type, (object_id, title, topic) = subjects[index]
            forum = special[slug]
        else:
            forum, topic, title = _general_thread(loader, general)
            content_type = object_id = None
        author = weighted(r, loader.pools.posters, loader.pools.poster_weights)
        created, last = _span(loader, size)
        is_question = r.random() < 0.35
        answer = (
            r.randint(2, size) if is_question and size > 1 and r.random() < 0.6 else 0
        )
        threads.append((
            thread_id, forum.pk, title, author, is_question, index % 400 == 0,
            r.random() < 0.01, r.random() < 0.005, created, content_type, object_id,
        ))  # fmt: skip
        for name in r.sample(words.TOPICS[topic]["tags"], r.randint(0, 2)):
            tags.append((loader.ct[Thread], thread_id, loader.tag_ids[name]))
        plans.append((thread_id, author, topic, created, last, size, answer))
    return threads, tags, plans


def _general_thread(loader, general):
    """A forum (themed ones three times as often), a topic and a title."""
    r = loader.rng
    forum, topic = r.choices(general, [3 if t else 1 for _, t in general])[0]
    topic = topic or loader.topic()
    tag = r.choice(words.TOPICS[topic]["tags"])
    template = r.choice(words.THREAD_TITLES).replace("{tag}", tag)
    return forum, topic, sentence_case(text.fill(template, r, [], topic))


def _span(loader, size: int):
    """When the thread started and when its newest post came: long threads run
    for longer; all end before now."""
    r = loader.rng
    span = min(3 * 365, 2 + size / 3) * 86400
    created = loader.past(3 * 365)
    last = created + timedelta(seconds=int(span * r.uniform(0.5, 1)))
    if last > loader.now:
        created -= last - loader.now
        last = loader.now - timedelta(minutes=r.randint(1, 600))
        created = min(created, last)
    if size == 1:
        last = created  # the opening post is the newest
    return created, last


def _copy_posts(loader, plans, total: int) -> list[tuple[int, int, int]]:
    """COPY every thread's posts; returns (member, thread, last number they wrote)."""
    watching = []
    progress = Progress(loader.stdout, "posts", total)
    rows = _posts(loader, plans, next_id(Post), watching)
    with IndexesDropped(Post, loader.stdout, loader.drop_indexes(total)):
        loader.counts["posts"] = copy_rows(Post, POST_FIELDS, rows, progress)
        loader.timings["posts COPY"] = progress.finish()
    return watching


def _posts(loader, plans, post_id: int, watching: list):
    r, pools = loader.rng, loader.pools
    for thread_pk, author, topic, created, last, size, answer in plans:
        span = (last - created).total_seconds()
        offsets = sorted(r.random() * span for _ in range(size - 2))
        offsets = [0.0, *offsets, span][:size]
        first_post = post_id
        wrote = {}
        for number, offset in enumerate(offsets, start=1):
            who = (
                author
                if number == 1
                else weighted(r, pools.posters, pools.poster_weights)
            )
            wrote[who] = number
            body, body_html = loader.bank.post(topic)
            quoted = None
            if number > 2 and r.random() < 0.03:
                quoted = first_post + r.randrange(number - 1)
            deleted = r.random() < 0.001
            hidden = not deleted and r.random() < 0.001
            if deleted:
                body = body_html = ""
            yield (
                post_id, thread_pk, number, who, body, body_html, quoted,
                created + timedelta(seconds=int(offset)), None, deleted, hidden,
                "Off topic." if hidden else "", number == answer,
            )  # fmt: skip
            post_id += 1
        watching.extend((m, thread_pk, n) for m, n in wrote.items())
