"""The map's label boxes are computed from Arial's widths (bin/draw-map); here
Chromium draws the SVG with the fonts it really has and each city's name must fit
inside its box, so the test that no two boxes overlap means no two names do."""

from pathlib import Path

from django.conf import settings

MAP = Path(settings.BASE_DIR) / "static" / "img" / "scotland.svg"

MEASURE = """() => [...document.querySelectorAll("g.city")].map((city) => {
  const text = city.querySelector("text").getBBox();
  const box = city.querySelector("rect").getBBox();
  return {name: city.dataset.name, text: [text.x, text.y, text.x + text.width,
    text.y + text.height], box: [box.x, box.y, box.x + box.width, box.y + box.height]};
})"""


def test_each_city_name_fits_inside_its_label_box(browser):
    page = browser.new_page()
    try:
        page.goto(MAP.as_uri())
        labels = page.evaluate(MEASURE)
    finally:
        page.close()
    assert len(labels) == 8
    for label in labels:
        (tl, tt, tr, tb), (bl, bt, br, bb) = label["text"], label["box"]
        assert bl <= tl and tr <= br, label
        assert bt <= tt + 0.5 and tb <= bb + 0.5, label
