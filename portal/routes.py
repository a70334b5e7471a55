"""Every named URL pattern the portal serves outside Django admin: one walk of the
URL configuration, shared by the access policy test and the address walker."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def named_url_patterns() -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) for each pattern; an unnamed one is an error, so
    no page escapes the lists that classify and measure every page."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                ns = pattern.namespace
                yield from walk(
                    pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace
                )
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise ValueError(f"unnamed URL pattern {pattern}")
                yield f"{namespace}{pattern.name}", pattern

    yield from walk(get_resolver().url_patterns, "")
