from urllib.parse import urlencode

from django import template
from django.forms import BaseForm, CheckboxSelectMultiple, RadioSelect
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext

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


def _forms_in(value):
    """The forms a context value holds: a form or formset, or a list of them.

    type(), not isinstance(): isinstance() would evaluate lazy context values such
    as csrf_token, and so set a CSRF cookie on pages that have no form."""
    if issubclass(type(value), (BaseForm, BaseFormSet)):
        yield value
    elif type(value) in (list, tuple):
        for item in value:
            if issubclass(type(item), (BaseForm, BaseFormSet)):
                yield item


@register.simple_tag(takes_context=True)
def forms_with_errors(context):
    """Every bound form (or formset) in the page's context that failed validation.

    base.html asks once, at the top of the page: any answer puts "Error: " before
    the title and one "There is a problem" summary at the top of the content, so
    no form's template can forget either.
    """
    found = []
    seen = set()
    for value in context.flatten().values():
        for form in _forms_in(value):
            # Only forms the view has already validated: asking an unchecked form
            # for its errors would run its clean() (a sign-in form's authenticates).
            if id(form) in seen or getattr(form, "_errors", None) is None:
                continue
            seen.add(id(form))
            if isinstance(form, BaseFormSet):
                has_errors = bool(form.total_error_count())
            else:
                has_errors = bool(form.errors)
            if has_errors:
                # includes/_form_errors.html then knows the page has its summary.
                form.in_error_summary = True
                found.append(form)
    return found


@register.filter
def error_entries(form):
    """(anchor, message) pairs for the error summary: each field's errors link to
    the field itself (its first input for a group of choices), the form's own
    errors to the top of the form. A formset gives its forms' entries."""
    if isinstance(form, BaseFormSet):
        entries = [("", str(error)) for error in form.non_form_errors()]
        for sub in form.forms:
            entries.extend(error_entries(sub))
        return entries
    entries = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            label = f"{field.label}: " if field.label else ""
            entries.append((field_anchor(field), f"{label}{error}"))
    return entries


def field_anchor(field):
    """The id the summary links to: the input, or a group's first choice."""
    if isinstance(field.field.widget, (RadioSelect, CheckboxSelectMultiple)):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.filter
def listed(value):
    """[value], for an include that takes a list of forms."""
    return [value]


@register.filter
def join_names(rows):
    """ "Aberdeen, Dundee, Perth": the names of rows (dicts or objects), for a sentence."""
    return ", ".join(
        str(row["name"] if isinstance(row, dict) else row.name) for row in rows
    )


@register.filter(is_safe=True)
def error_title(title, has_errors):
    """The page's title, with "Error: " in front when a form on it failed: once,
    even where the page's own title block already says it."""
    title = title.strip()
    prefix = gettext("Error:")
    if has_errors and not title.startswith(prefix):
        return f"{prefix} {title}"
    return title
