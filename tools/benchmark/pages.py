"""The pages the benchmark loads, resolved against whatever data is in the database.

Each entry is (name, path). Pages that need an object pick a representative one:
the thread with the most posts, the newest published case study, and so on.
"""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from network.models import Member


def benchmark_member() -> Member:
    """An approved officer from a city council: the typical reader."""
    member = (
        Member.objects.approved()
        .filter(member_type=Member.MemberType.OFFICER, organisation__city__isnull=False)
        .order_by("pk")
        .first()
    )
    if member is None:
        raise LookupError("No approved officer to sign in as: load data first.")
    return member


def _url(name, *args, query=""):
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def benchmark_pages(member: Member) -> list[tuple[str, str]]:
    from casestudies.models import CaseStudy
    from events.models import Event
    from network.models.forums import Thread

    pages = [("reference", _url("portal:reference"))]
    pages.append(("member home", _url("portal:member_home")))

    case_study = CaseStudy.objects.published().order_by("-published_at").first()
    theme = case_study.themes.first() if case_study else None
    pages += [
        ("case studies", _url("casestudies:list")),
        (
            "case studies filtered",
            _url(
                "casestudies:list",
                query=f"city={case_study.city_id}&theme={theme.slug}"
                if case_study and theme and case_study.city_id
                else "stage=complete",
            ),
        ),
        ("case studies search", _url("casestudies:list", query="q=heat+pump")),
        ("case studies deep page", _url("casestudies:list", query="page=2000")),
    ]
    if case_study:
        pages.append(("case study", _url("casestudies:detail", case_study.pk)))
    pages.append(("impact", _url("casestudies:impact")))

    pages.append(("forums", _url("network:forum_list")))
    thread = (
        Thread.objects.filter(is_hidden=False).order_by("-post_count", "pk").first()
    )
    if thread:
        # ?page=1: without a page, the thread opens at the first unread post
        # (a redirect), which is not the page a reader sees.
        pages.append(
            (
                "thread first page",
                _url("network:thread_detail", thread.pk, query="page=1"),
            )
        )
        last = max(1, -(-thread.post_count // 20))
        pages.append(
            (
                "thread last page",
                _url("network:thread_detail", thread.pk, query=f"page={last}"),
            )
        )

    pages += [
        ("events", _url("events:list")),
        ("events calendar", _url("events:calendar")),
    ]
    event = (
        Event.objects.filter(state="published")
        .annotate(n=Count("registrations"))
        .order_by("-n", "pk")
        .first()
    )
    if event:
        pages.append(("event", _url("events:detail", event.pk)))

    pages += [
        ("directory", _url("network:directory")),
        ("profile", _url("portal:profile", member.pk)),
        ("search everything", _url("portal:search", query="q=heat+network")),
        ("training progress", _url("training:progress")),
    ]
    return [(name, path) for name, path in pages if path]
