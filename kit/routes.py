"""Every named URL pattern the portal serves outside Django admin: one walk of the
URL configuration, shared by the access policy test and the address walker."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def named_url_patterns() -> Iterator[tuple[str, URLPattern, dict]]:
    """(namespaced name, pattern, its converters) for each pattern, the converters
    of the includes around it counted too (allauth's "keys/<int:pk>/"); an unnamed
    pattern is an error, so no page escapes the lists that classify and measure
    every page."""

    def walk(patterns, namespace, outer):
        for pattern in patterns:
            converters = {**outer, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                ns = pattern.namespace
                inner = f"{namespace}{ns}:" if ns else namespace
                yield from walk(pattern.url_patterns, inner, converters)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise ValueError(f"unnamed URL pattern {pattern}")
                yield f"{namespace}{pattern.name}", pattern, converters

    yield from walk(get_resolver().url_patterns, "", {})
