"""Demo case studies across the cities. The content is illustrative, written for a
developer's or trainer's portal: the figures are plausible, not official ones.

Safe to run twice: each case study is found by its title before it is created.
"""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from network.demo_tags import ensure_tags
from network.models import Organisation, Theme

from .demo_catalogue import CATALOGUE, OUTSIDE, create_catalogue
from .models import CaseStudy
from .services import add_attachments

PUBLISHED = CaseStudy.Status.PUBLISHED

CASE_STUDIES = [
    {
        "key": "dundee",
        "title": "Dundee: heat pumps and a district heat network for council homes",
        "organisation": "Dundee City Council",
        "partners": ["Scottish Cities Alliance"],
        "themes": ["low-carbon-heat", "energy-efficiency", "buildings"],
        "tags": ["heat pumps", "district heating", "social housing", "fuel poverty"],
        "stage": "delivery",
        "start_date": date(2019, 9, 1),
        "capital_cost": 4_800_000,
        "revenue_cost": 120_000,
        "funding": "Scottish Government Low Carbon Infrastructure Transition Programme; "
        "council capital programme; Energy Company Obligation for the fabric work.",
        "emissions": "610",
        "confidence": "estimated",
        "method": "Gas use of the blocks before the switch, minus modelled electricity "
        "use of the heat pumps, with the UK Government conversion factors for 2021.",
        "summary": "Multi-storey council blocks in Dundee moved from electric storage "
        "heaters and gas to a small district heat network fed by large air-source heat "
        "pumps, with insulation first. Presented at the network's first event, April 2021.",
        "body": """## The problem

Four multi-storey blocks with 380 council homes were heated by ageing electric storage heaters and a few gas boilers. Tenants paid some of the highest heating bills in the city, and a third of households were in fuel poverty.

## What we did

- **Fabric first**: external wall insulation and new windows, so the heat load fell by about 35% before any plant was sized.
- **Energy centre**: three 400 kW air-source heat pumps with a thermal store, in a compound between the blocks.
- **Heat network**: 1.2 km of pre-insulated pipe, a heat interface unit in every flat, and heat meters so tenants pay for what they use.

## Results so far

Two blocks are connected. Tenants' heating bills are down by a fifth on average, and damp complaints fell sharply in the first winter.
""",
        "co_benefits": "Warmer homes, fewer damp and mould repairs, local jobs for the installers, "
        "and lower bills for tenants in fuel poverty.",
        "lessons": "Insulate before sizing the heat pumps. Talk to tenants early and often: a "
        "tenant liaison officer on site was worth every penny. Leave room in the energy "
        "centre for a future connection to the wider city network.",
        "attachment": (
            "dundee-heat-monitoring.csv",
            "month,heat_delivered_mwh,electricity_mwh\n2021-01,410,142\n2021-02,372,128\n2021-03,330,110\n",
        ),
    },
    {
        "key": "stirling",
        "title": "Stirling: a district heat network powered by heat recovered from waste water",
        "organisation": "Stirling Council",
        "partners": ["Scottish Cities Alliance"],
        "themes": ["low-carbon-heat", "renewables"],
        "tags": ["heat networks", "heat pumps", "waste water heat", "public buildings"],
        "stage": "complete",
        "start_date": date(2018, 6, 1),
        "end_date": date(2021, 3, 31),
        "capital_cost": 6_900_000,
        "revenue_cost": 90_000,
        "funding": "Low Carbon Infrastructure Transition Programme; European Regional "
        "Development Fund; council borrowing repaid from heat sales.",
        "emissions": "1350",
        "confidence": "measured",
        "method": "Metered heat sold to each building in the first full year, against the "
        "gas each building burned in the three years before connection.",
        "summary": "A water-source heat pump recovers heat from treated waste water and "
        "feeds a heat network serving public buildings in the Forthside area. Presented at "
        "the network's first event, April 2021.",
        "body": """## The idea

Treated waste water leaves the works at a steady 10 to 15 °C all year. A heat pump can lift that to the 70 °C a heat network needs, using far less electricity than direct heating.

## What was built

- A water-source heat pump and gas back-up boilers in an energy centre beside the works.
- A heat network connecting the council's headquarters, a leisure centre, a school and other public buildings.
- An arms-length company to sell heat and to connect private buildings later.

## How it went

The network delivered its first heat in winter 2020/21. In its first full year the heat pump supplied most of the heat; the back-up boilers ran only on the coldest days.
""",
        "co_benefits": "Stable heat prices for public buildings; a route for new developments "
        "to connect; skills for the council's own energy team.",
        "lessons": "Secure the heat source agreement with the water utility early. Anchor "
        "loads (the public buildings) make the business case; sign them up before "
        "procurement. Budget for the legal work of a heat company.",
    },
    {
        "key": "glasgow",
        "title": "Glasgow: segregated cycle routes from the city centre to the South Side",
        "organisation": "Glasgow City Council",
        "partners": [],
        "themes": ["transport", "engagement"],
        "tags": ["active travel", "cycling", "placemaking"],
        "stage": "complete",
        "start_date": date(2017, 4, 1),
        "end_date": date(2020, 10, 31),
        "capital_cost": 6_500_000,
        "revenue_cost": 40_000,
        "funding": "Sustrans Places for Everyone; council capital.",
        "emissions": "410",
        "confidence": "estimated",
        "method": "Automatic cycle counters before and after, with a survey of modal shift "
        "and average trip length.",
        "summary": "Three kilometres of segregated cycle lanes, wider pavements and new "
        "crossings linking the South Side to the city centre; cycling on the route more "
        "than doubled.",
        "body": """## What we did

We reallocated road space on a main radial route to a two-way segregated cycle track, with bus stop bypasses, continuous footways across side roads and new planting.

## Results

Automatic counters showed cycling on the corridor up 150% in the first year after opening, with women and children making a larger share of trips.
""",
        "co_benefits": "Safer streets, better air quality, more footfall for local shops.",
        "lessons": "Co-design with local businesses before drawings are final. Temporary "
        "measures let people try the layout before permanent works.",
    },
    {
        "key": "edinburgh",
        "title": "Edinburgh: a circular economy programme for council procurement",
        "organisation": "City of Edinburgh Council",
        "partners": ["Improvement Service"],
        "themes": ["circular-economy", "engagement"],
        "tags": ["procurement", "reuse", "furniture"],
        "stage": "delivery",
        "start_date": date(2020, 1, 6),
        "capital_cost": 0,
        "revenue_cost": 180_000,
        "funding": "Zero Waste Scotland support; council revenue budget.",
        "emissions": "260",
        "confidence": "estimated",
        "method": "Zero Waste Scotland carbon metric applied to tonnes of furniture and "
        "IT equipment reused instead of bought new.",
        "summary": "Reuse of office furniture and IT across the council estate, circular "
        "clauses in contracts and a reuse hub shared with third-sector partners.",
        "body": """## What we did

- A reuse hub where surplus furniture and IT equipment are logged, refurbished and offered to council services, schools and charities before anything new is bought.
- Circular economy clauses (take-back, repairability, recycled content) in the furniture, IT and construction frameworks.

## Results

In two years more than 9,000 items were reused, and new furniture spend fell by 40%.
""",
        "co_benefits": "Savings for services; volunteering and training places at the "
        "third-sector partner.",
        "lessons": "Start with the categories where the council buys most. Make the reuse "
        "catalogue easier to use than the purchasing system.",
    },
    {
        "key": "aberdeen",
        "title": "Aberdeen: hydrogen buses and a public refuelling station",
        "organisation": "Aberdeen City Council",
        "partners": ["Scottish Cities Alliance"],
        "themes": ["transport", "renewables"],
        "tags": ["hydrogen", "buses", "zero emission vehicles"],
        "stage": "delivery",
        "start_date": date(2020, 11, 1),
        "capital_cost": 8_300_000,
        "revenue_cost": 350_000,
        "funding": "European funding for hydrogen buses; Scottish Government; council "
        "capital; bus operators.",
        "emissions": "1100",
        "confidence": "measured",
        "method": "Diesel displaced, from the operators' mileage records, against the "
        "carbon intensity of the hydrogen supplied (electrolysis with a renewable tariff).",
        "summary": "A fleet of double-deck hydrogen fuel cell buses on city routes, "
        "refuelled at a council-owned station that also serves council vans.",
        "body": """## What we did

Aberdeen built on its earlier hydrogen bus trials to put a fleet of double-deck fuel cell buses into service, with a refuelling station producing hydrogen by electrolysis.

## How it went

Availability was lower than diesel in the first months while drivers and engineers learned the new vehicles, then rose above 90%. Passengers rate the quiet ride highly.
""",
        "co_benefits": "Cleaner air on busy corridors; skills for the region's energy "
        "transition.",
        "lessons": "Hydrogen supply and price are the biggest risks: contract for both "
        "before ordering vehicles. Train maintenance staff early.",
    },
    {
        "key": "inverness",
        "title": "Inverness: solar canopies and batteries at council depots",
        "organisation": "The Highland Council",
        "partners": [],
        "themes": ["renewables", "transport"],
        "tags": ["solar PV", "batteries", "electric vehicles", "fleet"],
        "stage": "complete",
        "start_date": date(2021, 2, 1),
        "end_date": date(2022, 6, 30),
        "capital_cost": 1_250_000,
        "revenue_cost": 15_000,
        "funding": "Switched On Fleets; council capital.",
        "emissions": "95",
        "confidence": "measured",
        "method": "Metered solar generation used on site, at the grid electricity factor.",
        "summary": "Solar car-port canopies and battery storage at two depots charge the "
        "council's growing electric van fleet.",
        "body": """## What we did

Solar canopies over depot parking, a battery to shift midday generation to overnight charging, and smart chargers that keep within the site's grid connection.

## Results

The depots now cover about 40% of the fleet's charging from their own solar across the year.
""",
        "co_benefits": "Avoided grid upgrade costs; covered parking for staff.",
        "lessons": "Check the grid connection capacity first: it shaped the whole design.",
    },
    {
        "key": "perth",
        "title": "Perth: community-led climate action plans for local places",
        "organisation": "Perth and Kinross Council",
        "partners": [],
        "themes": ["engagement", "adaptation", "nature"],
        "tags": ["community engagement", "climate assemblies", "place plans"],
        "stage": "complete",
        "start_date": date(2021, 5, 1),
        "end_date": date(2022, 11, 30),
        "capital_cost": 0,
        "revenue_cost": 95_000,
        "funding": "Council revenue; Climate Challenge Fund legacy groups.",
        "emissions": None,
        "confidence": "estimated",
        "method": "",
        "summary": "Residents in five places wrote their own climate action plans with "
        "council support, feeding local priorities into the council's climate plan.",
        "body": """## What we did

Facilitated workshops, a climate conversation toolkit and small grants helped community councils and local groups agree what their place would do first: flood resilience, tree planting, active travel and home energy advice.

## Results

Five local plans were adopted and more than 1,200 residents took part.
""",
        "co_benefits": "Stronger community groups; priorities that the council's own plan "
        "now reflects.",
        "lessons": "Give communities money to act on their plans, not only to write them.",
    },
    {
        "key": "dunfermline",
        "title": "Dunfermline: retrofitting a primary school to EnerPHit standard",
        "organisation": "Fife Council",
        "partners": [],
        "themes": ["energy-efficiency", "buildings", "low-carbon-heat"],
        "tags": ["retrofit", "schools", "Passivhaus", "heat pumps"],
        "stage": "planned",
        "start_date": date(2023, 6, 1),
        "capital_cost": 3_400_000,
        "revenue_cost": 0,
        "funding": "Learning Estate Investment Programme; council capital.",
        "emissions": "140",
        "confidence": "estimated",
        "method": "PHPP energy model of the retrofitted school against metered gas and "
        "electricity use in 2019.",
        "summary": "A 1970s primary school will be retrofitted to the EnerPHit "
        "(Passivhaus for refurbishment) standard, with heat pumps replacing gas.",
        "body": """## The plan

Airtightness, external insulation, triple glazing and mechanical ventilation with heat recovery, then a small air-source heat pump sized for the much lower heat demand.

## Why

Retrofitting keeps the embodied carbon of the existing structure and costs less than a new school, while reaching a similar energy performance.
""",
        "co_benefits": "Better air quality and comfort in classrooms.",
        "lessons": "Appoint a Passivhaus designer at feasibility stage.",
    },
]


def create_demo(members: dict, stdout) -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    coordinator = members.get("coordinator")
    ensure_tags(tag for item in CASE_STUDIES for tag in item["tags"])
    created = 0
    for item in CASE_STUDIES:
        author = members[item["key"]]
        case_study, is_new = CaseStudy.objects.get_or_create(
            title=item["title"],
            defaults={
                "summary": item["summary"],
                "body": item["body"],
                "organisation": organisations[item["organisation"]],
                "stage": item["stage"],
                "start_date": item["start_date"],
                "end_date": item.get("end_date"),
                "capital_cost": item["capital_cost"],
                "revenue_cost": item["revenue_cost"],
                "funding_sources": item["funding"],
                "emissions_saved": item["emissions"],
                "emissions_confidence": item["confidence"],
                "emissions_method": item["method"],
                "co_benefits": item["co_benefits"],
                "lessons_learned": item["lessons"],
                "contact": author,
                "status": PUBLISHED,
                "published_at": timezone.now(),
                "published_by": coordinator,
            },
        )
        if not is_new:
            continue
        created += 1
        case_study.authors.set([author])
        case_study.themes.set([themes[slug] for slug in item["themes"]])
        case_study.partners.set([organisations[name] for name in item["partners"]])
        case_study.tags.set(item["tags"])
        if "attachment" in item:
            name, text = item["attachment"]
            add_attachments(
                case_study, [(name, ContentFile(text.encode()))], uploaded_by=author
            )
    # One draft waiting for review, so the review queue has something to show.
    _, is_new = CaseStudy.objects.get_or_create(
        title="Glasgow: e-cargo bike library for small businesses",
        defaults={
            "summary": "Local traders borrow electric cargo bikes for deliveries.",
            "body": "A pilot with ten e-cargo bikes lent to small businesses.",
            "organisation": organisations["Glasgow City Council"],
            "stage": "idea",
            "status": CaseStudy.Status.SUBMITTED,
            "submitted_at": timezone.now(),
            "contact": members["glasgow"],
        },
    )
    if is_new:
        draft = CaseStudy.objects.get(title__startswith="Glasgow: e-cargo")
        draft.authors.set([members["glasgow"]])
        draft.themes.set([themes["transport"]])
    more = create_catalogue(members, coordinator=coordinator)
    stdout.write(
        f"  {len(CASE_STUDIES)} published case studies ({created} new) and 1 for "
        f"review; {len(CATALOGUE)} more in every city and stage and {len(OUTSIDE)} "
        f"from outside the network ({more} new)"
    )
