"""The Scottish Cities Alliance's cities, Scotland's 32 councils and the partner
bodies (from shared/reference/councils.csv), the network's themes, and the roles."""

from django.db import migrations
from django.utils.text import slugify

from network.roles import COORDINATORS, NETWORK_ADMINS, grant_permissions

# name, latitude, longitude
CITIES = [
    ("Aberdeen", "57.14970", "-2.09430"),
    ("Dundee", "56.46200", "-2.97070"),
    ("Dunfermline", "56.07170", "-3.45220"),
    ("Edinburgh", "55.95330", "-3.18830"),
    ("Glasgow", "55.86420", "-4.25180"),
    ("Inverness", "57.47780", "-4.22470"),
    ("Perth", "56.39500", "-3.43080"),
    ("Stirling", "56.11650", "-3.93690"),
]

# name, kind, gss_code, city, email_domains, population_thousands, character,
# councillors
ORGANISATIONS = [
    ("Aberdeen City Council", "council", "S12000033", "Aberdeen", "aberdeencity.gov.uk", 224, "city", 45),
    ("Aberdeenshire Council", "council", "S12000034", "", "aberdeenshire.gov.uk", 263, "rural", 70),
    ("Angus Council", "council", "S12000041", "", "angus.gov.uk", 114, "mixed", 28),
    ("Argyll and Bute Council", "council", "S12000035", "", "argyll-bute.gov.uk", 86, "rural", 36),
    ("City of Edinburgh Council", "council", "S12000036", "Edinburgh", "edinburgh.gov.uk", 514, "city", 63),
    ("Clackmannanshire Council", "council", "S12000005", "", "clacks.gov.uk", 51, "urban", 18),
    ("Comhairle nan Eilean Siar", "council", "S12000013", "", "cne-siar.gov.uk", 26, "islands", 29),
    ("Dumfries and Galloway Council", "council", "S12000006", "", "dumgal.gov.uk", 146, "rural", 43),
    ("Dundee City Council", "council", "S12000042", "Dundee", "dundeecity.gov.uk", 148, "city", 29),
    ("East Ayrshire Council", "council", "S12000008", "", "east-ayrshire.gov.uk", 120, "mixed", 32),
    ("East Dunbartonshire Council", "council", "S12000045", "", "eastdunbarton.gov.uk", 109, "urban", 22),
    ("East Lothian Council", "council", "S12000010", "", "eastlothian.gov.uk", 112, "mixed", 22),
    ("East Renfrewshire Council", "council", "S12000011", "", "eastrenfrewshire.gov.uk", 97, "urban", 18),
    ("Falkirk Council", "council", "S12000014", "", "falkirk.gov.uk", 159, "urban", 30),
    ("Fife Council", "council", "S12000047", "Dunfermline", "fife.gov.uk", 372, "mixed", 75),
    ("Glasgow City Council", "council", "S12000049", "Glasgow", "glasgow.gov.uk", 622, "city", 85),
    ("The Highland Council", "council", "S12000017", "Inverness", "highland.gov.uk", 236, "rural", 74),
    ("Inverclyde Council", "council", "S12000018", "", "inverclyde.gov.uk", 77, "urban", 22),
    ("Midlothian Council", "council", "S12000019", "", "midlothian.gov.uk", 96, "urban", 18),
    ("Moray Council", "council", "S12000020", "", "moray.gov.uk", 94, "rural", 26),
    ("North Ayrshire Council", "council", "S12000021", "", "north-ayrshire.gov.uk", 133, "mixed", 33),
    ("North Lanarkshire Council", "council", "S12000050", "", "northlan.gov.uk", 340, "urban", 77),
    ("Orkney Islands Council", "council", "S12000023", "", "orkney.gov.uk", 22, "islands", 21),
    ("Perth and Kinross Council", "council", "S12000048", "Perth", "pkc.gov.uk", 153, "mixed", 40),
    ("Renfrewshire Council", "council", "S12000038", "", "renfrewshire.gov.uk", 186, "urban", 43),
    ("Scottish Borders Council", "council", "S12000026", "", "scotborders.gov.uk", 116, "rural", 34),
    ("Shetland Islands Council", "council", "S12000027", "", "shetland.gov.uk", 23, "islands", 23),
    ("South Ayrshire Council", "council", "S12000028", "", "south-ayrshire.gov.uk", 112, "mixed", 28),
    ("South Lanarkshire Council", "council", "S12000029", "", "southlanarkshire.gov.uk", 329, "mixed", 64),
    ("Stirling Council", "council", "S12000030", "Stirling", "stirling.gov.uk", 93, "mixed", 23),
    ("West Dunbartonshire Council", "council", "S12000039", "", "west-dunbarton.gov.uk", 88, "urban", 22),
    ("West Lothian Council", "council", "S12000040", "", "westlothian.gov.uk", 183, "urban", 33),
    ("Scottish Cities Alliance", "partner", "", "", "scottishcities.org.uk", None, "", None),
    ("Improvement Service", "partner", "", "", "improvementservice.org.uk", None, "", None),
    ("Scottish Government", "partner", "", "", "gov.scot", None, "", None),
    ("Keep Scotland Beautiful", "partner", "", "", "keepscotlandbeautiful.org", None, "", None),
]  # fmt: skip

THEMES = [
    ("Low-carbon heat", "Heat networks, heat pumps and decarbonising how buildings are heated."),
    ("Energy efficiency", "Retrofit, insulation and using less energy in homes and public buildings."),
    ("Transport", "Active travel, public transport, electric vehicles and low-emission zones."),
    ("Circular economy", "Waste, reuse, repair and resource efficiency."),
    ("Buildings", "New build and existing estate: standards, design and operation."),
    ("Renewables", "Solar, wind, hydro and local energy generation and storage."),
    ("Adaptation", "Preparing places and services for a changing climate."),
    ("Nature", "Nature-based solutions, green space and biodiversity."),
    ("Engagement", "Working with communities, businesses and staff on net zero."),
]  # fmt: skip


def load(apps, schema_editor):
    City = apps.get_model("network", "City")
    Organisation = apps.get_model("network", "Organisation")
    Theme = apps.get_model("network", "Theme")
    cities = {}
    for name, lat, lon in CITIES:
        cities[name], _ = City.objects.update_or_create(
            slug=slugify(name),
            defaults={"name": name, "latitude": lat, "longitude": lon},
        )
    for name, kind, gss, city, domains, population, character, seats in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": kind,
                "gss_code": gss,
                "city": cities.get(city),
                "email_domains": [d for d in domains.split(";") if d],
                "population_thousands": population,
                "character": character,
                "councillors": seats,
            },
        )
    for order, (name, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slugify(name),
            defaults={"name": name, "description": description, "order": order},
        )
    grant_permissions(apps, COORDINATORS, [])
    grant_permissions(
        apps,
        NETWORK_ADMINS,
        [
            "network.approve_member",
            "network.view_member",
            "network.change_member",
            "network.add_organisation",
            "network.change_organisation",
            "network.view_organisation",
            "network.add_theme",
            "network.change_theme",
            "network.view_theme",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
