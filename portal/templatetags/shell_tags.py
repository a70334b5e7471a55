"""The page around every page (templates/base.html): the header and the footer, as
cached parts (portal/shell.py), with the reader's own values put into their holes."""

from django import template

from kit import parts
from portal import shell

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site header: the same for everyone of an audience on a section, but for
    the reader's unread counts and the words in their search box."""
    request = context.get("request")
    audience = shell.audience(context.get("user"))
    notifications = context.get("unread_notifications") or 0
    messages = context.get("unread_messages") or 0
    return parts.render(
        request,
        "site-header",
        fill={
            "unread_notifications": notifications,
            "unread_messages": messages,
            "search_words": (request.GET.get("q") if request else "") or "",
        },
        audience=audience,
        current=shell.current_links(audience, request.path if request else ""),
        notifications_badge=bool(notifications),
        messages_badge=bool(messages),
    )


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The site footer: the same for everyone in a language, but for the address
    the language switch brings the reader back to."""
    request = context.get("request")
    next_path = request.get_full_path() if request else ""
    return parts.render(request, "site-footer", fill={"next_path": next_path})
