"""The page around every page's content: the site header with its navigation, and
the footer (templates/base.html, through ``{% site_header %}`` and
``{% site_footer %}`` in shell_tags).

Both are the same for everyone who reads the same thing: the header depends on who
reads (a visitor, a member waiting for approval, an approved member, staff), which
links mark the page's section and whether each unread badge shows; the footer on
nothing but the language. So each is a cached part (kit/parts.py) rendered once per
key and language, instead of reversing 23 addresses and translating 27 strings on
every page. What is the reader's own (their unread counts, the words in the search
box, the address the language switch comes back to) fills the parts' holes.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from kit import parts

VISITOR, PENDING, MEMBER, STAFF = "visitor", "pending", "member", "staff"

# The links that can mark the page's section, for the audiences that see them:
# (link, URL name, whether any page whose path contains the link's address is in
# its section, or only that address itself).
SECTION_LINKS = {
    "approved": (
        ("case_studies", "casestudies:list", True),
        ("forums", "network:forum_list", True),
        ("events", "events:list", True),
        ("people", "network:directory", True),
        ("training", "training:home", True),
    ),
    "pending": (
        ("about", "portal:about", False),
        ("public_events", "events:public_list", True),
        ("training_signup", "training:signup", False),
    ),
}
SECTION_LINKS["visitor"] = (
    *SECTION_LINKS["pending"],
    ("login", "account_login", False),
    ("signup", "account_signup", False),
)


def audience(user) -> str:
    """Who reads, as far as the header is concerned."""
    if not (user and user.is_authenticated):
        return VISITOR
    if not user.is_approved:
        return PENDING
    return STAFF if user.is_staff else MEMBER


def current_links(audience: str, path: str) -> list[str]:
    """The links of this audience's navigation that mark the page at ``path``."""
    group = "approved" if audience in (MEMBER, STAFF) else audience
    urls = section_urls()
    return [
        link
        for link, _name, within in SECTION_LINKS[group]
        if (urls[link] in path if within else urls[link] == path)
    ]


def section_urls() -> dict[str, str]:
    return _section_urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=8)
def _section_urls(urlconf: str, prefix: str) -> dict[str, str]:
    # The same for every request of a process: reversed once, not on each page.
    return {
        link: reverse(name, urlconf=urlconf)
        for links in SECTION_LINKS.values()
        for link, name, _within in links
    }


@parts.renders("site-header")
def site_header(*, audience, current, notifications_badge, messages_badge):
    return {
        "site_name": settings.SITE_NAME,
        "signed_in": audience != VISITOR,
        "approved": audience in (MEMBER, STAFF),
        "staff": audience == STAFF,
        "current": current,
        "urls": section_urls(),
        "notifications_badge": notifications_badge,
        "messages_badge": messages_badge,
    }


@parts.renders("site-footer")
def site_footer():
    return {}
