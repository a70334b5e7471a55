"""Roboto, the design system's typeface, is the portal's own (static/vendor/,
declared in static/css/fonts.css): Chromium loads it from the portal under the
strict CSP (the page fixture fails on a violation) and draws the page's text,
Gaelic accents included, in it rather than in a fallback."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def loaded_roboto_faces(page) -> set[tuple[str, str]]:
    """The (weight, style) of every Roboto face the page has loaded, once the
    document's fonts have settled."""
    faces = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter((f) => f.family.replaceAll('"', "") === "Roboto")
                .filter((f) => f.status === "loaded")
                .map((f) => [f.weight, f.style]);
        }"""
    )
    return {tuple(face) for face in faces}


def drawn_in_roboto(page, selector: str) -> bool:
    """Whether Chromium drew the element's text in the portal's Roboto alone:
    the fonts it actually used (CDP), each a web font of the Roboto family
    ("Roboto", or "Roboto Light" for the 300 weight), never a system fallback."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
    used = fonts["fonts"]
    assert used, f"no text drawn in {selector}"
    return all(
        font["isCustomFont"] and font["familyName"].startswith("Roboto")
        for font in used
    )


def test_pages_load_and_draw_roboto_from_the_portal(page):
    fonts = []
    page.on(
        "response",
        lambda response: (
            fonts.append(response) if response.url.endswith(".woff2") else None
        ),
    )
    page.goto(reverse("portal:home"))
    faces = loaded_roboto_faces(page)
    # Body text, headings and the leader paragraph, in the weights the design
    # system gives them.
    assert {("300", "normal"), ("400", "normal"), ("700", "normal")} <= faces, faces
    assert drawn_in_roboto(page, "h1")
    assert drawn_in_roboto(page, "main p.ds_leader")
    assert drawn_in_roboto(page, "main p:not(.ds_leader)")
    # The footer's "Cànan": Gaelic's grave accents are in Roboto's Latin file.
    assert drawn_in_roboto(page, "#language-switch-label span")
    assert fonts, "no font file was fetched"
    for response in fonts:
        assert response.url.startswith(page.live_url + "/static/"), response.url
        assert response.status == 200, response.url
        assert response.headers["content-type"] == "font/woff2", response.url


def test_latin_extended_letters_come_from_roboto_too(page):
    """A name with letters beyond Latin-1 (say, a Polish or Czech colleague's)
    loads the Latin Extended file and is drawn in Roboto, not a fallback."""
    page.goto(reverse("portal:home"))
    page.evaluate(
        """() => {
            const p = document.createElement("p");
            p.id = "extended";
            p.textContent = "Łukasz Dvořák";
            document.querySelector("main").append(p);
        }"""
    )
    page.wait_for_function(
        """() => [...document.fonts].some((f) =>
            f.family.replaceAll('"', "") === "Roboto" && f.weight === "400"
            && f.unicodeRange.includes("U+100-2BA") && f.status === "loaded")"""
    )
    assert drawn_in_roboto(page, "#extended")
