"""No view of the portal is longer than 30 lines; most are under 15.

A view parses, authorises and calls a query, a service or a cached part
(kit/parts.py): when one grows past this, what it does belongs in one of those.
Counted: every line of the function but its docstring and blank lines, for every
function (or class-based view's method) a URL of ours routes to.
Run with ``-s`` to see the longest: ``pytest tests/test_view_lengths.py -s``.
"""

import ast
import inspect
import textwrap

from django.urls import URLPattern, URLResolver, get_resolver

OURS = ("portal", "network", "casestudies", "events", "training")
MOST_LINES = 30
USUAL_LINES = 15
LONGEST_SHOWN = 12


def _callbacks(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def _functions(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        for name in ("get", "post", "put", "delete", "dispatch", "get_context_data"):
            method = view_class.__dict__.get(name)
            if method is not None:
                yield method
        return
    yield inspect.unwrap(callback)


def view_lengths() -> dict[str, int]:
    """{module.function: lines} of every view of ours."""
    found = {}
    for callback in _callbacks(get_resolver().url_patterns):
        for function in _functions(callback):
            module = getattr(function, "__module__", "") or ""
            if module.split(".")[0] not in OURS:
                continue
            found[f"{module}.{function.__qualname__}"] = _lines(function)
    return found


def _lines(function) -> int:
    source = textwrap.dedent(inspect.getsource(function))
    tree = ast.parse(source).body[0]
    lines = source.splitlines()
    docstring = set()
    first = tree.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        docstring = set(range(first.lineno - 1, first.end_lineno))
    start = tree.lineno - 1  # decorators are not the view's lines
    return sum(
        1
        for number, line in enumerate(lines)
        if number >= start and number not in docstring and line.strip()
    )


def test_no_view_is_longer_than_30_lines_and_most_are_under_15():
    lengths = view_lengths()
    longest = sorted(lengths.items(), key=lambda item: -item[1])
    print(f"\nThe {LONGEST_SHOWN} longest of {len(lengths)} views (lines):")
    for name, lines in longest[:LONGEST_SHOWN]:
        print(f"  {lines:3}  {name}")
    too_long = [(name, lines) for name, lines in longest if lines > MOST_LINES]
    assert too_long == []
    short = sum(1 for lines in lengths.values() if lines < USUAL_LINES)
    assert short > len(lengths) / 2
    assert len(lengths) > 100  # the walk found the portal's views
