"""More demo case studies, written short, so the catalogue shows what it does at a
size worth filtering: every city and some other councils, every project stage,
measured and estimated savings, the policy drivers they serve, complete PBCCD
figures on those under way or done (blank on the rest, for the download page to
list), learning from outside the network, one submitted for review and one draft.
The content is illustrative; the figures are plausible, not official ones.

casestudies.demo.create_demo calls ``create_catalogue``; safe to run twice (each
case study is found by its title).
"""

from datetime import date, timedelta

from django.utils import timezone
from taggit.models import TaggedItem

from network.demo_tags import ensure_tags
from network.models import Organisation, PolicyDriver, Theme

from .models import CaseStudy

# author key, organisation, title, stage, theme slugs, tags, tCO2e a year (or None),
# capital cost (£), start year, measured?, summary, lesson
CATALOGUE = [
    ("dundee", "Dundee City Council", "Dundee: electric refuse collection vehicles", "delivery", ["transport", "circular-economy"], ["electric vehicles", "fleet", "waste"], "180", 2_400_000, 2022, True, "Six electric refuse trucks replaced diesel ones on the city's densest routes, charged overnight at the depot.", "Model the routes first: hills and cold mornings cut range more than the brochure says."),
    ("dundee", "Dundee City Council", "Dundee: a mobility hub at the railway station", "planned", ["transport", "engagement"], ["active travel", "car clubs", "e-bikes"], None, 900_000, 2025, False, "Car club cars, e-bike hire, secure cycle parking and bus information in one place beside the station.", "Ask the operators what they need before drawing the layout."),
    ("stirling", "Stirling Council", "Stirling: solar canopies over council car parks", "complete", ["renewables"], ["solar PV", "car parks", "EV charging"], "95", 1_100_000, 2020, True, "Solar canopies over three council car parks feed EV chargers and the buildings beside them.", "Check the structure's foundations against old mine workings early."),
    ("stirling", "Stirling Council", "Stirling: retrofitting a 1960s primary school", "delivery", ["buildings", "energy-efficiency"], ["schools", "retrofit", "heat pumps"], "70", 3_200_000, 2023, False, "Insulation, triple glazing, mechanical ventilation and an air-source heat pump for a 1960s school, done over two summers.", "Phase the works around the school holidays and keep the head teacher close."),
    ("stirling", "Stirling Council", "Stirling: flood resilience for the riverside", "planned", ["adaptation", "nature"], ["flooding", "nature-based solutions"], None, 5_500_000, 2025, False, "Natural flood management upstream and raised paths along the Forth, to protect homes without high walls.", "Land managers upstream are partners, not just consultees."),
    ("glasgow", "Glasgow City Council", "Glasgow: LED street lighting across the city", "complete", ["energy-efficiency"], ["street lighting", "LED"], "4200", 40_000_000, 2016, True, "Seventy thousand street lights changed to LED with a central management system, dimming late at night.", "Central management paid for itself in fault reports alone."),
    ("glasgow", "Glasgow City Council", "Glasgow: a low emission zone for the city centre", "complete", ["transport"], ["low emission zones", "air quality"], "1900", 5_000_000, 2018, False, "Scotland's first low emission zone, enforced for all vehicles from 2023 after a phase for buses.", "A long lead-in for buses gave the operators time to renew their fleets."),
    ("glasgow", "Glasgow City Council", "Glasgow: heat from the River Clyde for Queens Quay", "delivery", ["low-carbon-heat", "renewables"], ["heat networks", "water-source heat pumps"], "1500", 20_000_000, 2019, True, "Water-source heat pumps take heat from the Clyde for a new district heat network at Queens Quay.", "Design the network for homes not yet built, or it will be too small in ten years."),
    ("glasgow", "Glasgow City Council", "Glasgow: avenues with trees, rain gardens and wider pavements", "delivery", ["adaptation", "transport", "nature"], ["placemaking", "rain gardens", "active travel"], None, 115_000_000, 2019, False, "City-centre streets rebuilt as avenues, with trees and rain gardens that take storm water out of the sewers.", "Agree the maintenance budget before the first tree goes in."),
    ("edinburgh", "City of Edinburgh Council", "Edinburgh: Passivhaus council homes at Craigmillar", "complete", ["buildings", "energy-efficiency"], ["Passivhaus", "social housing", "new build"], "60", 14_000_000, 2019, True, "A hundred council homes built to Passivhaus, with heating bills a fraction of their neighbours'.", "Airtightness testing at every stage, not just at the end."),
    ("edinburgh", "City of Edinburgh Council", "Edinburgh: reuse and repair clauses in council contracts", "complete", ["circular-economy"], ["procurement", "reuse", "repair"], "320", 0, 2020, False, "Furniture, IT and fit-out contracts now score reuse and repair, and suppliers take back what they deliver.", "Start with one category and publish what it saved."),
    ("edinburgh", "City of Edinburgh Council", "Edinburgh: the city centre transformation", "planned", ["transport", "engagement"], ["active travel", "placemaking", "buses"], None, 320_000_000, 2024, False, "A ten-year plan to give the city centre's streets to people walking, cycling and taking the bus.", "Trials with planters and paint let people try a change before it is built."),
    ("aberdeen", "Aberdeen City Council", "Aberdeen: hydrogen buses and a refuelling station", "complete", ["transport", "renewables"], ["hydrogen", "buses"], "800", 25_000_000, 2015, True, "One of Europe's first hydrogen bus fleets, with the city's own refuelling station.", "Keep a fleet's worth of spare parts: a new technology has few suppliers."),
    ("aberdeen", "Aberdeen City Council", "Aberdeen: heat from waste at Torry", "delivery", ["low-carbon-heat", "circular-economy"], ["energy from waste", "heat networks"], "2300", 150_000_000, 2019, False, "Heat from the energy-from-waste plant at Torry feeds a heat network for homes and public buildings nearby.", "Agree the heat price formula with the plant operator before construction."),
    ("dundee", "Dundee City Council", "Dundee: community growing spaces on vacant land", "idea", ["nature", "engagement"], ["food growing", "vacant land", "community"], None, 150_000, 2026, False, "Turning vacant and derelict sites into community gardens and orchards, with local groups holding the leases.", "Short leases let groups start while the land's future is decided."),
    ("inverness", "The Highland Council", "Highland: heat pumps for rural schools", "complete", ["low-carbon-heat", "buildings"], ["heat pumps", "schools", "rural"], "260", 4_100_000, 2019, True, "Oil boilers in twelve rural schools replaced with ground- and air-source heat pumps.", "Check the electricity supply to remote schools before anything else."),
    ("inverness", "The Highland Council", "Inverness: active travel links across the city", "delivery", ["transport"], ["active travel", "cycling", "walking"], "150", 7_000_000, 2021, False, "Segregated routes linking the city centre, the university campus and new housing to the east.", "Route the paths where people already walk, not where land is free."),
    ("inverness", "The Highland Council", "Highland: peatland restoration on council land", "planned", ["nature", "adaptation"], ["peatland", "carbon sequestration"], None, 600_000, 2025, False, "Restoring degraded peatland on council-owned estates with Peatland ACTION funding.", "Survey the peat depth first: it decides what can be done."),
    ("perth", "Perth and Kinross Council", "Perth: a riverside solar farm on a closed landfill", "delivery", ["renewables", "circular-economy"], ["solar PV", "landfill"], "900", 8_000_000, 2022, False, "A solar farm on a capped landfill site, with a private wire to council buildings.", "A capped landfill limits what you can dig: design the cable routes around it."),
    ("perth", "Perth and Kinross Council", "Perth: electric pool cars for council staff", "complete", ["transport"], ["electric vehicles", "fleet", "pool cars"], "55", 600_000, 2020, True, "Grey-fleet mileage replaced by a pool of electric cars booked online.", "Booking has to be easier than using your own car."),
    ("dunfermline", "Fife Council", "Fife: green hydrogen for council vehicles in Levenmouth", "delivery", ["renewables", "transport"], ["hydrogen", "fleet"], "120", 6_000_000, 2021, False, "Electrolysers powered by local wind make hydrogen for refuse trucks and vans.", "Train mechanics before the vehicles arrive."),
    ("dunfermline", "Fife Council", "Dunfermline: a low-carbon district heating study", "planned", ["low-carbon-heat"], ["heat networks", "feasibility"], None, 80_000, 2024, False, "A feasibility study for a heat network around the hospital, the college and the town centre.", "Map the heat demand properly before choosing the source."),
    ("dunfermline", "Fife Council", "Fife: reuse shops at recycling centres", "complete", ["circular-economy", "engagement"], ["reuse", "waste", "charities"], "140", 300_000, 2019, True, "Reuse shops at two recycling centres, run with local charities, resell furniture and bikes.", "Storage for bulky furniture was the hardest part."),
    ("falkirk", "Falkirk Council", "Falkirk: a climate emergency action plan with residents", "complete", ["engagement"], ["citizens' assembly", "climate action plan"], None, 90_000, 2021, False, "A citizens' panel helped write the council's climate action plan and checks it each year.", "Give the panel real decisions, not a consultation."),
    ("orkney", "Orkney Islands Council", "Orkney: smart charging for island electric vehicles", "complete", ["renewables", "transport"], ["EV charging", "smart grid", "islands"], "35", 450_000, 2018, True, "Chargers that charge when local wind would otherwise be curtailed.", "Work with the network operator from the first day."),
    ("angus", "Angus Council", "Angus: LED lighting and controls in council buildings", "complete", ["energy-efficiency", "buildings"], ["LED", "public buildings"], "110", 700_000, 2020, True, "LED lighting with presence detection in offices, libraries and leisure centres.", "Survey every building: the drawings were often wrong."),
    # Waiting for review, and a draft still being written.
    ("aberdeen", "Aberdeen City Council", "Aberdeen: an offshore wind skills partnership", "idea", ["renewables", "engagement"], ["offshore wind", "skills", "just transition"], None, 500_000, 2026, False, "Training oil and gas workers for offshore wind with the college and employers.", "Employers must commit to interviews, not just support."),
    ("perth", "Perth and Kinross Council", "Perth: rain gardens in school playgrounds", "idea", ["adaptation", "nature"], ["rain gardens", "schools"], None, 120_000, 2026, False, "Playground rain gardens that hold storm water and give pupils somewhere to learn outdoors.", "Pupils designing it made them look after it."),
]  # fmt: skip
# The last two: one submitted for review, one draft.
SUBMITTED_TITLE = CATALOGUE[-2][2]
DRAFT_TITLE = CATALOGUE[-1][2]

# Learning from outside the network, added by the coordinator: place, country,
# place name, source organisation, link, licence, title, stage, theme slugs, tags,
# tCO2e a year, summary, lesson. The links are placeholders.
OUTSIDE = [
    ("abroad", "Denmark", "Copenhagen", "City of Copenhagen", "https://example.org/copenhagen-district-heating", "Used with permission", "Copenhagen: district heating for nearly every home", "complete", ["low-carbon-heat"], ["heat networks", "district heating"], "650000", "Nearly all of the city's buildings are on a district heat network fed by waste heat, biomass and heat pumps, built up over fifty years.", "A heat plan that required connection made the network pay."),
    ("uk", "United Kingdom", "Bristol", "Bristol City Council", "https://example.org/bristol-city-leap", "Open Government Licence v3.0", "Bristol: a joint venture to decarbonise the city's energy", "delivery", ["renewables", "low-carbon-heat"], ["joint venture", "heat networks", "solar PV"], None, "A twenty-year partnership with private investors to build heat networks, solar and retrofit across the city.", "A long partnership needs a small, strong client team on the council side."),
    ("scotland", "United Kingdom", "Isle of Eigg", "Isle of Eigg Heritage Trust", "https://example.org/eigg-electric", "CC BY 4.0", "Eigg: a community-owned island electricity grid", "complete", ["renewables", "engagement"], ["community energy", "islands", "mini-grid"], "120", "The islanders own a grid run on hydro, wind and solar, with a cap on each home's use so that it is shared fairly.", "A simple, visible rule on sharing power kept everyone on side."),
]  # fmt: skip

# The policy drivers a case study serves, from its themes (network.PolicyDriver
# slugs); every network case study with complete PBCCD figures also serves PBCCD.
DRIVERS_BY_THEME = {
    "low-carbon-heat": ["lhees", "heat-in-buildings"],
    "energy-efficiency": ["heat-in-buildings"],
    "buildings": ["heat-in-buildings"],
    "transport": ["climate-change-plan"],
    "circular-economy": ["circular-economy-act"],
    "adaptation": ["adaptation-plan"],
    "engagement": ["just-transition"],
}
# The PBCCD report's primary source saved, from a case study's first theme.
SOURCE_BY_THEME = {
    "low-carbon-heat": CaseStudy.Source.NATURAL_GAS,
    "buildings": CaseStudy.Source.NATURAL_GAS,
    "energy-efficiency": CaseStudy.Source.GRID_ELECTRICITY,
    "renewables": CaseStudy.Source.GRID_ELECTRICITY,
    "transport": CaseStudy.Source.DIESEL,
    "circular-economy": CaseStudy.Source.WASTE,
}


def _pbccd_figures(stage, theme_slugs, emissions, capital, year) -> dict:
    """The PBCCD projects table's figures for a case study under way or done with a
    saving, worked out from its own (illustrative); others leave them blank, so
    the download page has missing values to list."""
    source = SOURCE_BY_THEME.get(theme_slugs[0])
    if stage not in ("delivery", "complete") or not emissions or source is None:
        return {}
    return {
        "funding_sources": "Council capital programme; Scottish Government grant.",
        "operational_cost": (capital or 0) // 50,
        "lifetime_years": 25 if "low-carbon-heat" in theme_slugs else 15,
        "savings_from_year": year + 1,
        "primary_source": source,
        "cost_saving": int(float(emissions) * 150),
        "behaviour_change": "engagement" in theme_slugs,
    }


def create_catalogue(members: dict, *, coordinator) -> int:
    """Create the catalogue's case studies that are not there yet; return how many."""
    organisations = {o.name: o for o in Organisation.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    existing = set(CaseStudy.objects.values_list("title", flat=True))
    now = timezone.now()
    created = 0
    tagged = []
    tag_named = ensure_tags(
        [name for item in CATALOGUE for name in item[5]]
        + [name for item in OUTSIDE for name in item[9]]
    )
    drivers = {d.slug: d for d in PolicyDriver.objects.all()}
    for index, (
        key,
        organisation,
        title,
        stage,
        theme_slugs,
        tags,
        emissions,
        capital,
        year,
        measured,
        summary,
        lesson,
    ) in enumerate(CATALOGUE):
        if title in existing:
            continue
        status = {
            SUBMITTED_TITLE: CaseStudy.Status.SUBMITTED,
            DRAFT_TITLE: CaseStudy.Status.DRAFT,
        }.get(title, CaseStudy.Status.PUBLISHED)
        published = status == CaseStudy.Status.PUBLISHED
        author = members[key]
        pbccd = _pbccd_figures(stage, theme_slugs, emissions, capital, year)
        case_study = CaseStudy.objects.create(
            **pbccd,
            title=title,
            summary=summary,
            body=f"## What we did\n\n{summary}\n\n## What we learned\n\n{lesson}\n",
            organisation=organisations[organisation],
            stage=stage,
            start_date=date(year, 4, 1),
            capital_cost=capital,
            emissions_saved=emissions,
            emissions_confidence=CaseStudy.Confidence.MEASURED
            if measured
            else CaseStudy.Confidence.ESTIMATED,
            emissions_method="Metered use before and after, with the UK Government "
            "conversion factors."
            if measured
            else "Modelled from the design figures."
            if emissions
            else "",
            lessons_learned=lesson,
            contact=author,
            status=status,
            submitted_at=now if status == CaseStudy.Status.SUBMITTED else None,
            # Spread over the past year, so "newest first" has an order to show.
            published_at=now - timedelta(days=9 * index) if published else None,
            published_by=coordinator if published else None,
        )
        case_study.authors.set([author])
        case_study.themes.set([themes[slug] for slug in theme_slugs])
        served = {d for slug in theme_slugs for d in DRIVERS_BY_THEME.get(slug, [])}
        if pbccd:
            served.add("pbccd")
        case_study.drivers.set([drivers[slug] for slug in sorted(served)])
        tagged.extend(
            TaggedItem(content_object=case_study, tag=tag_named[name]) for name in tags
        )
        created += 1
    for (
        place,
        country,
        place_name,
        source,
        url,
        licence,
        title,
        stage,
        theme_slugs,
        tags,
        emissions,
        summary,
        lesson,
    ) in OUTSIDE:
        if title in existing:
            continue
        case_study = CaseStudy.objects.create(
            title=title,
            summary=summary,
            body=f"## What they did\n\n{summary}\n\n## What we can learn\n\n{lesson}\n",
            organisation=None,
            place=place,
            country=country,
            place_name=place_name,
            source_organisation=source,
            source_url=url,
            source_licence=licence,
            added_by=coordinator,
            stage=stage,
            emissions_saved=emissions,
            lessons_learned=lesson,
            status=CaseStudy.Status.PUBLISHED,
            published_at=now - timedelta(days=30),
            published_by=coordinator,
        )
        if coordinator:
            case_study.authors.set([coordinator])
        case_study.themes.set([themes[slug] for slug in theme_slugs])
        tagged.extend(
            TaggedItem(content_object=case_study, tag=tag_named[name]) for name in tags
        )
        created += 1
    # In one go: the tag manager's add costs a handful of queries per tag, and each
    # case study's own save has already changed the catalogue's version.
    TaggedItem.objects.bulk_create(tagged)
    return created
