from urllib.parse import urlencode

from django import template

from kit.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """{{ post.body|markdown }}: sanitised HTML from a member's Markdown."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_without_page(context):
    """The current query string minus ``page``, for pagination links."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (and page reset)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(list(params.lists()), doseq=True)


@register.inclusion_tag("includes/_bar_chart.html")
def bar_chart(rows, label, value, caption, unit=""):
    """A horizontal bar chart in SVG (no inline styles, so CSP stays strict).

    ``rows`` are dicts or objects; ``label`` and ``value`` name their keys. Pages
    show the same numbers in a table beside the chart.
    """

    def get(row, key):
        return row[key] if isinstance(row, dict) else getattr(row, key)

    items = [(str(get(row, label)), get(row, value) or 0) for row in rows]
    top = max((float(v) for _, v in items), default=0) or 1
    bars = [
        {"label": name, "value": v, "percent": round(float(v) / top * 100, 1)}
        for name, v in items
    ]
    return {"bars": bars, "caption": caption, "unit": unit}
