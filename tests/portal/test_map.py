"""The member home's map of the network: static/img/scotland.svg, drawn by
bin/draw-map from Natural Earth's coastline. Every city is on it where it is on the
ground, no label covers another or a dot, and it says what it shows."""

import itertools
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse

from network.models import City

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MAP = Path(settings.BASE_DIR) / "static" / "img" / "scotland.svg"


@pytest.fixture(scope="module")
def drawing():
    return ElementTree.parse(MAP).getroot()


def cities(drawing) -> dict[str, dict]:
    """{name: {"dot": (x, y, r), "box": (left, top, right, bottom), "text": str}}."""
    found = {}
    for group in drawing.iter(f"{SVG}g"):
        if group.get("class") != "city":
            continue
        dot = group.find(f"{SVG}circle")
        rect = group.find(f"{SVG}rect")
        left, top = float(rect.get("x")), float(rect.get("y"))
        found[group.get("data-name")] = {
            "dot": tuple(float(dot.get(k)) for k in ("cx", "cy", "r")),
            "box": (
                left,
                top,
                left + float(rect.get("width")),
                top + float(rect.get("height")),
            ),
            "text": group.find(f"{SVG}text").text,
        }
    return found


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def dot_box(dot):
    x, y, r = dot
    return (x - r, y - r, x + r, y + r)


def test_every_city_is_on_the_map_and_named(drawing):
    on_map = cities(drawing)
    names = set(City.objects.values_list("name", flat=True))
    assert len(names) == 8
    assert set(on_map) == names
    assert all(city["text"] == name for name, city in on_map.items())


def test_no_label_covers_another_label_or_any_dot(drawing):
    on_map = cities(drawing)
    for (a, first), (b, second) in itertools.combinations(on_map.items(), 2):
        assert not overlap(first["box"], second["box"]), (a, b)
    for name, city in on_map.items():
        for other in on_map.values():
            assert not overlap(city["box"], dot_box(other["dot"])), name


def test_labels_and_dots_stay_inside_the_map(drawing):
    _, _, width, height = (float(v) for v in drawing.get("viewBox").split())
    for name, city in cities(drawing).items():
        left, top, right, bottom = city["box"]
        assert left >= 0 and top >= 0, name
        assert right <= width and bottom <= height, name
        x, y, _ = city["dot"]
        assert 0 <= x <= width and 0 <= y <= height, name


def test_cities_sit_where_they_are_on_the_ground(drawing):
    """East on the ground is right on the map, north is up (for any two cities more
    than 10 km apart that way)."""
    dots = {name: city["dot"] for name, city in cities(drawing).items()}
    places = {
        c.name: (float(c.longitude), float(c.latitude)) for c in City.objects.all()
    }
    for a, b in itertools.combinations(places, 2):
        (lon_a, lat_a), (lon_b, lat_b) = places[a], places[b]
        if abs(lon_a - lon_b) > 0.17:
            assert (dots[a][0] < dots[b][0]) == (lon_a < lon_b), (a, b)
        if abs(lat_a - lat_b) > 0.09:
            assert (dots[a][1] > dots[b][1]) == (lat_a < lat_b), (a, b)


def test_the_map_says_what_it_shows_and_stays_light(drawing):
    assert drawing.get("role") == "img"
    assert drawing.find(f"{SVG}title").text.startswith("Map of Scotland")
    description = drawing.find(f"{SVG}desc").text
    assert all(
        name in description for name in City.objects.values_list("name", flat=True)
    )
    # A simplified coastline: a few thousand points, not Natural Earth's every one.
    assert MAP.stat().st_size < 30_000


def test_member_home_shows_the_map_at_its_own_size_beside_the_table(
    member_client, drawing
):
    html = member_client.get(reverse("portal:member_home")).content.decode()
    _, _, width, height = drawing.get("viewBox").split()
    frame = re.search(r'<svg viewBox="0 0 (\S+) (\S+)"[^>]*role="img"', html)
    assert frame.groups() == (width, height)
    assert f'width="{width}" height="{height}"></image>' in html
    title = re.search(r'<title id="network-map-title">([^<]*)</title>', html).group(1)
    assert "Aberdeen" in title and "Stirling" in title
    assert '<th scope="row">Dunfermline</th>' in html
