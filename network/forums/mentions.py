"""@mentions: how a post names a member, and how the name becomes a link.

Two ways to mention someone, both case-insensitive:

* ``@handle``: the member's handle (network/handles.py), stored and unique: their
  full name in lower case with every run of other characters turned into one dot
  ("Iain MacLeod" is ``@iain.macleod``), numbered when another member has the same
  name (``@gillian.murray.2``). Their profile shows it.
* ``@"Full Name"``: their full name in double quotes, as shown on the portal; it
  names someone only when exactly one approved member has that name, since a
  mention must reach one person and link to one profile.

Only approved members can be mentioned. Mentions inside code are left alone.
"""

import re
from collections import Counter

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.html import escape

from network.models import Member

MENTION_RE = re.compile(
    r"(?<![\w@.\\])@(?:\"(?P<name>[^\"\n]{2,150})\"|(?P<handle>[a-z0-9]+(?:\.[a-z0-9]+)*))",
    re.IGNORECASE,
)
# Fenced blocks and inline code spans: text in them is shown, never parsed.
CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)


def _outside_code(text: str):
    """The parts of the text that are not code."""
    for i, part in enumerate(CODE_RE.split(text or "")):
        if i % 2 == 0:
            yield part


def mentioned_keys(text: str) -> tuple[set[str], set[str]]:
    handles, names = set(), set()
    for part in _outside_code(text):
        for match in MENTION_RE.finditer(part):
            if match["name"]:
                names.add(_name_key(match["name"]))
            else:
                handles.add(match["handle"].lower())
    return handles, names


def _name_key(name: str) -> str:
    return " ".join(name.split()).lower()


class Mentions(list):
    """The members a text mentions, and which handle or quoted name named each,
    so the links go to the member who was told."""

    def __init__(self, by_handle=None, by_name=None):
        self.by_handle = by_handle or {}
        self.by_name = by_name or {}
        members = {m.pk: m for m in [*self.by_handle.values(), *self.by_name.values()]}
        super().__init__(members.values())


def mentioned_members(text: str) -> Mentions:
    """The approved members a text mentions, in one query (none if it mentions no
    one): handles through their unique index, quoted names through the index on the
    lower-cased names of approved members."""
    handles, names = mentioned_keys(text)
    if not handles and not names:
        return Mentions()
    found = list(
        Member.objects.approved()
        .annotate(lower_name=Lower("full_name"))
        .filter(Q(handle__in=handles) | Q(lower_name__in=names))
        .order_by()
    )
    by_handle = {m.handle: m for m in found if m.handle in handles}
    # A name two approved members share names neither of them.
    named = Counter(m.lower_name for m in found if m.lower_name in names)
    by_name = {
        m.lower_name: m
        for m in found
        if m.lower_name in names and named[m.lower_name] == 1
    }
    return Mentions(by_handle, by_name)


def link_mentions(text: str, members: Mentions) -> str:
    """Markdown with each mention of a known member turned into a link to them."""
    if not members:
        return text

    def replace(match):
        if match["name"]:
            member = members.by_name.get(_name_key(match["name"]))
        else:
            member = members.by_handle.get(match["handle"].lower())
        if member is None:
            return match[0]
        label = escape(member.full_name).replace("[", "\\[").replace("]", "\\]")
        return f"[@{label}]({member.get_absolute_url()})"

    parts = CODE_RE.split(text or "")
    return "".join(
        MENTION_RE.sub(replace, part) if i % 2 == 0 else part
        for i, part in enumerate(parts)
    )
