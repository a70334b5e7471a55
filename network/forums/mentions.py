"""@mentions: how a post names a member, and how the name becomes a link.

Two ways to mention someone, both case-insensitive:

* ``@firstname.lastname``: the member's handle, their full name in lower case with
  every run of other characters turned into one dot ("Iain MacLeod" is
  ``@iain.macleod``, "Cllr Jean Paterson" is ``@cllr.jean.paterson``);
* ``@"Full Name"``: their full name in double quotes, as shown on the portal.

Only approved members can be mentioned. Mentions inside code are left alone.
"""

import re

from django.db.models import Func, Q, Value
from django.db.models.functions import Lower
from django.utils.html import escape

from network.models import Member

MENTION_RE = re.compile(
    r"(?<![\w@.\\])@(?:\"(?P<name>[^\"\n]{2,150})\"|(?P<handle>[a-z0-9]+(?:\.[a-z0-9]+)*))",
    re.IGNORECASE,
)
# Fenced blocks and inline code spans: text in them is shown, never parsed.
CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)


def handle_for(member) -> str:
    return re.sub(r"[^a-z0-9]+", ".", member.full_name.lower()).strip(".")


def _handle_expression():
    """handle_for() in SQL, so mentions are matched in one query."""
    dotted = Func(
        Lower("full_name"),
        Value("[^a-z0-9]+"),
        Value("."),
        Value("g"),
        function="regexp_replace",
    )
    return Func(dotted, Value("."), function="btrim")


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
                names.add(" ".join(match["name"].split()).lower())
            else:
                handles.add(match["handle"].lower())
    return handles, names


def mentioned_members(text: str) -> list[Member]:
    """The approved members a text mentions, in one query (none if it mentions no one)."""
    handles, names = mentioned_keys(text)
    if not handles and not names:
        return []
    members = (
        Member.objects.approved()
        .annotate(handle=_handle_expression(), lower_name=Lower("full_name"))
        .filter(Q(handle__in=handles) | Q(lower_name__in=names))
    )
    return list(members)


def link_mentions(text: str, members: list[Member]) -> str:
    """Markdown with each mention of a known member turned into a link to them."""
    if not members:
        return text
    by_handle = {handle_for(m): m for m in members}
    by_name = {" ".join(m.full_name.split()).lower(): m for m in members}

    def replace(match):
        if match["name"]:
            member = by_name.get(" ".join(match["name"].split()).lower())
        else:
            member = by_handle.get(match["handle"].lower())
        if member is None:
            return match[0]
        label = escape(member.full_name).replace("[", "\\[").replace("]", "\\]")
        return f"[@{label}]({member.get_absolute_url()})"

    parts = CODE_RE.split(text or "")
    return "".join(
        MENTION_RE.sub(replace, part) if i % 2 == 0 else part
        for i, part in enumerate(parts)
    )
