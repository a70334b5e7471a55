"""Word and sentence banks for the scale data set: net zero work in Scottish councils.

Every piece of text is built from these banks with one ``random.Random``, so a seed
always gives the same words. Sentences are filled once into per-topic pools (tens of
thousands of distinct sentences) and documents are assembled from the pools, which
keeps a million posts fast to make while search still meets a realistic spread of
words: each topic's vocabulary is frequent in its own documents and rare elsewhere.
"""

import html
import random


def _words(value: str) -> list[str]:
    return value.split()


FIRST_NAMES = _words(
    """Aileen Alasdair Alison Andrew Angus Anna Bethany Brian Callum Cameron Catriona
Calum Chloe Christine Claire Colin Craig David Deborah Duncan Eilidh Eleanor Elaine Emma
Euan Ewan Fiona Finlay Fraser Gillian Gordon Graham Hamish Hannah Heather Iain Isla Jack
Jamie Janet Jennifer Jill Joanna John Karen Katie Keith Kenneth Kirsty Laura Lewis Lorna
Lucy Magnus Mairi Malcolm Margaret Mark Martin Morag Murdo Neil Niamh Nicola Olivia Owen
Paul Rachel Rhona Robert Rory Ross Ruth Sandy Sarah Scott Shona Sophie Stewart Stuart
Susan Thomas Una Victoria William Yasmin Zainab Priya Amir Tomasz Agnieszka Mohammed
Aisha Kwame Chen Ravi"""
)

LAST_NAMES = _words(
    """Anderson Baird Bell Boyd Brown Buchanan Cameron Campbell Clark Craig Crawford
Cunningham Davidson Dickson Docherty Donaldson Douglas Duncan Ferguson Fleming Forbes
Fraser Gallacher Gibson Gillespie Gordon Graham Grant Gray Hamilton Henderson Hughes
Hunter Hutchison Jamieson Johnston Kelly Kennedy Kerr Lamont Lindsay Logan MacDonald
MacKenzie MacLeod MacRae Marshall Martin McAllister McCallum McDonald McGregor McIntosh
McKay McLean McMillan McPherson Millar Miller Mitchell Moffat Morrison Muir Munro Murray
Nicol Ogilvie Paterson Reid Ritchie Robertson Ross Russell Scott Shaw Simpson Sinclair
Smith Stevenson Stewart Sutherland Taylor Thomson Urquhart Walker Wallace Watson Watt
White Wilson Wright Young Khan Patel Nowak Kowalski Okafor Singh Ahmed Chaudhry"""
)

OFFICER_TITLES = [
    "Sustainability officer", "Climate change officer", "Net zero programme manager",
    "Energy manager", "Senior energy officer", "Heat and energy efficiency officer",
    "Active travel officer", "Transport planner", "Sustainable transport officer",
    "Fleet manager", "Waste strategy officer", "Circular economy lead",
    "Procurement officer", "Sustainable procurement manager", "Estates surveyor",
    "Housing retrofit officer", "Building standards surveyor", "Planning officer",
    "Development planner", "Community engagement officer", "Climate adaptation officer",
    "Biodiversity officer", "Greenspace officer", "Project manager, heat networks",
    "Policy officer, climate", "Senior policy adviser", "Head of sustainability",
    "Data analyst, emissions", "Funding officer", "Regeneration officer",
]  # fmt: skip

PARTNER_TITLES = [
    "Programme manager", "Policy adviser", "Senior analyst", "Network coordinator",
    "Climate lead", "Carbon Literacy trainer", "Improvement adviser", "Research officer",
]  # fmt: skip

ELECTED_TITLES = [
    "Councillor", "Councillor, convener of environment", "Councillor, climate spokesperson",
    "Councillor, depute leader", "Councillor, convener of housing",
    "Councillor, transport committee",
]  # fmt: skip

AREAS = _words(
    """Riverside Woodside Kingsway Millbank Craigmount Springfield Hillhead Broomhill
Bankhead Stenhouse Burnside Westerton Northfield Eastfield Seaview Harbourside Castlehill
Muirhouse Gorgie Tollcross Dalmarnock Govanhill Lochee Kirkton Menzieshill Raploch
Bannockburn Cornton Abbeyhill Torry Kincorth Hilton Balmullo Letham Craigie Dalgety
Inverkeithing Rosyth Kinross Crieff Aviemore Nairn Dingwall Merkinch Balloch Carnoustie
Stonehaven Portobello Leith Partick Maryhill Shettleston Easterhouse Drumchapel"""
)

BUILDINGS = [
    "leisure centre", "primary school", "secondary school", "library", "depot",
    "council offices", "care home", "community centre", "swimming pool", "museum",
    "sheltered housing complex", "tower block", "health centre", "sports hub",
    "civic centre", "nursery", "recycling centre", "park pavilion", "bus station",
    "city chambers",
]  # fmt: skip

FUNDERS = [
    "the Scottish Government's Heat Network Fund", "the Low Carbon Infrastructure "
    "Transition Programme", "Transport Scotland's Active Travel Infrastructure Fund",
    "the Social Housing Net Zero Heat Fund", "the Place Based Investment Programme",
    "Sustrans Places for Everyone", "the council's capital programme",
    "prudential borrowing", "the Vacant and Derelict Land Investment Programme",
    "the Nature Restoration Fund", "Zero Waste Scotland's Circular Economy Investment "
    "Fund", "the Switched On Towns and Cities fund", "a Salix recycling fund loan",
    "the UK Shared Prosperity Fund", "the Energy Efficient Scotland area-based scheme",
]  # fmt: skip

PARTNER_BODIES = [
    "Scottish Water", "Home Energy Scotland", "Zero Waste Scotland", "Sustrans",
    "NatureScot", "SEPA", "Scottish Futures Trust", "the local housing association",
    "the university", "the health board", "Historic Environment Scotland",
    "the community energy co-operative", "the regional transport partnership",
    "Energy Saving Trust", "the local development trust", "Changeworks",
]  # fmt: skip

# Each topic: a theme (by name), tags, title templates, and sentence templates.
TOPICS = {
    "heat networks": {
        "themes": ["Low-carbon heat", "Buildings"],
        "tags": ["heat networks", "district heating", "energy centre", "heat mapping", "LHEES", "waste heat"],
        "titles": [
            "{area} heat network: connecting {n} public buildings",
            "Recovering waste heat from the {area} {building} for a district heat network",
            "A heat network feasibility study for {area}",
            "Extending the {area} district heating scheme to {big} homes",
            "Water source heat pump energy centre for the {area} heat network",
            "Local Heat and Energy Efficiency Strategy: zoning {area} for heat networks",
        ],
        "sentences": [
            "The heat network now supplies {n} public buildings in {area} from a single energy centre.",
            "We mapped heat demand across {area} and found a cluster of anchor loads around the {building}.",
            "Connecting the {building} to the district heating scheme cut its gas use by {pct} per cent.",
            "The energy centre uses a {mw} megawatt water source heat pump drawing on the river.",
            "Waste heat from the nearby {building} is recovered and fed into the network at {temp} degrees.",
            "Our Local Heat and Energy Efficiency Strategy identified {area} as a heat network zone.",
            "Pipe routes were agreed with the roads team so that trenching coincided with planned resurfacing.",
            "Heat loss from the buried pipework was lower than the design assumed, at about {pct} per cent.",
            "Tenants pay a fixed standing charge and a unit rate that is below the price of a gas boiler.",
            "The business case tested three ownership models, including an arm's-length energy company.",
            "Thermal storage lets the heat pumps run overnight when electricity is cheaper and cleaner.",
            "We needed legal advice on wayleaves before the network could cross private land in {area}.",
            "The feasibility study was funded by {funder} and took {months} months to complete.",
            "Anchor customers signed heat supply agreements for {years} years, which secured the borrowing.",
            "Flow temperatures were reduced so that older radiators in the {building} still heat the rooms.",
            "Metering every connection gave us reliable data on heat demand for the next phase.",
            "Heat networks work best where buildings are dense and demand is steady through the day.",
            "The Heat Networks (Scotland) Act gave us a clearer route to consent and licensing.",
        ],
    },
    "heat pumps": {
        "themes": ["Low-carbon heat", "Energy efficiency"],
        "tags": ["heat pumps", "air source heat pumps", "ground source", "gas boiler replacement", "social housing", "fabric first"],
        "titles": [
            "Air source heat pumps for {big} council homes in {area}",
            "Replacing the gas boilers at the {area} {building} with heat pumps",
            "Ground source heat pumps in the new {area} {building}",
            "Hybrid heat pumps in {area}: what tenants told us",
            "Heat pump pilot in off-gas homes around {area}",
        ],
        "sentences": [
            "We installed air source heat pumps in {big} council homes in {area} over {months} months.",
            "The heat pumps replaced gas boilers that were more than {years} years old.",
            "Seasonal performance was measured at {cop}, better than the designers had predicted.",
            "Tenants received a home visit to explain the controls and how to run the system steadily.",
            "Running costs fell for most households, although a few saw higher bills in the coldest month.",
            "Radiators were upsized in {pct} per cent of homes so the heat pump could run at a lower flow temperature.",
            "We insulated lofts and walls first, because a heat pump in a leaky house struggles.",
            "A ground source heat pump with {n} boreholes now heats the {building} in {area}.",
            "Noise from the outdoor units was a concern at planning stage but no complaints followed.",
            "Installers needed extra training and we worked with the college to build local skills.",
            "Electricity network capacity had to be checked with the distribution network operator before installation.",
            "Smart controls let the heat pump pre-heat the building before the occupants arrive.",
            "The gas boiler was kept as a back-up for the first winter and was never needed.",
            "Heat pump installations were funded through {funder}.",
            "Fuel poverty in the estate is expected to fall as bills settle after the first year.",
            "We monitored indoor temperatures and humidity in {n} homes for two heating seasons.",
        ],
    },
    "retrofit": {
        "themes": ["Energy efficiency", "Buildings"],
        "tags": ["retrofit", "insulation", "external wall insulation", "EESSH", "area based schemes", "whole house retrofit", "fuel poverty"],
        "titles": [
            "Whole house retrofit of {big} tenement flats in {area}",
            "External wall insulation across the {area} estate",
            "Deep retrofit of the {area} {building}",
            "Area-based insulation scheme for mixed-tenure blocks in {area}",
            "Retrofitting pre-1919 tenements in {area} without losing their character",
        ],
        "sentences": [
            "External wall insulation was applied to {big} homes in {area} under an area-based scheme.",
            "Mixed tenure blocks were the hardest part, because every owner had to agree to the works.",
            "The retrofit brought homes from EPC band {band} to band B on average.",
            "Airtightness testing showed a {pct} per cent improvement after the works were complete.",
            "We used breathable wood fibre insulation on the traditional stone walls of the tenements.",
            "Loft and underfloor insulation were added before any change to the heating system.",
            "Residents stayed in their homes while the work was done, which needed careful planning.",
            "Damp and mould complaints in the block fell sharply in the winter after insulation.",
            "Triple glazed windows were fitted where the original frames had rotted beyond repair.",
            "A retrofit coordinator visited every household to explain the works and answer questions.",
            "The scheme was funded by {funder} with a contribution from the housing revenue account.",
            "Energy bills for the average household fell by around £{bill} a year.",
            "Planning consent in the conservation area required matching the original render colour.",
            "We trained {n} local tradespeople in retrofit installation standards through the college.",
            "The retrofit plan for the {building} set out a fabric-first sequence over {years} years.",
            "Thermal imaging before and after the works helped residents see the difference.",
        ],
    },
    "active travel": {
        "themes": ["Transport"],
        "tags": ["active travel", "cycling", "walking", "segregated cycle lanes", "school streets", "20mph", "bike hire"],
        "titles": [
            "Segregated cycle route from {area} to the city centre",
            "School streets at {n} primary schools in {area}",
            "A safer walking and cycling network for {area}",
            "Bike library and cargo bike loans in {area}",
            "Reallocating road space on the {area} high street",
        ],
        "sentences": [
            "The segregated cycle route links {area} to the city centre over {km} kilometres.",
            "Cycling counts on the new route rose by {pct} per cent within a year of opening.",
            "School streets close the roads outside {n} primary schools at drop-off and pick-up times.",
            "Parents reported that more children now walk or scoot to school.",
            "A 20mph limit across residential streets in {area} made walking and cycling feel safer.",
            "We consulted residents, businesses and bus operators before reallocating road space.",
            "Some traders worried about losing parking, so we shared footfall data after six months.",
            "The cargo bike library lent bikes to {n} households and local businesses in its first year.",
            "Dropped kerbs and wider pavements made the route usable for wheelchairs and buggies.",
            "Construction was funded by {funder} with match funding from the council.",
            "Bike parking was added at the {building} and at every bus stop along the corridor.",
            "Traffic counts showed that car journeys on the street fell by about {pct} per cent.",
            "Temporary measures let us test the layout before committing to permanent kerbs.",
            "Active travel is the cheapest way to cut transport emissions and improve health at the same time.",
            "Led rides and cycle training gave new riders the confidence to use the route.",
        ],
    },
    "ev charging": {
        "themes": ["Transport", "Renewables"],
        "tags": ["EV charging", "electric vehicles", "fleet electrification", "rapid chargers", "on-street charging"],
        "titles": [
            "EV charging hubs for residents without driveways in {area}",
            "Electrifying the council fleet at the {area} depot",
            "Rapid chargers for taxis in {area}",
            "On-street EV charging in the {area} tenement streets",
            "Solar canopy and battery storage at the {area} EV hub",
        ],
        "sentences": [
            "The charging hub in {area} has {n} rapid chargers and {n2} fast chargers.",
            "Usage grew steadily and the hub now delivers about {big} kilowatt hours a month.",
            "We introduced a tariff that covers electricity and maintenance, after two years of free charging.",
            "Residents without driveways were our priority when choosing on-street charging sites.",
            "The council fleet now has {n} electric vans operating from the {area} depot.",
            "Electric refuse collection vehicles completed full rounds even in winter.",
            "The depot needed a new grid connection, which took {months} months to arrange.",
            "A solar canopy over the car park supplies part of the charging demand.",
            "Charger reliability matters more to drivers than the number of charge points.",
            "Taxi drivers asked for dedicated rapid chargers near the station rank.",
            "The programme was funded through {funder}.",
            "Charge point data helped us plan where the next hubs should go.",
            "Telematics showed that most pool car journeys were under {km} kilometres, well within the range of an electric car.",
            "Fleet emissions fell by {t} tonnes of carbon dioxide a year after electrification.",
        ],
    },
    "circular economy": {
        "themes": ["Circular economy"],
        "tags": ["circular economy", "reuse", "repair cafe", "food waste", "recycling", "construction waste"],
        "titles": [
            "A reuse hub at the {area} recycling centre",
            "Repair cafes in {n} community centres across {area}",
            "Cutting food waste in school kitchens in {area}",
            "Reusing construction materials from the {area} {building} demolition",
            "Furniture reuse for new tenants in {area}",
        ],
        "sentences": [
            "The reuse hub diverted {t} tonnes of furniture and electricals from landfill in its first year.",
            "Repair cafes now run monthly in {n} community centres with volunteer fixers.",
            "Food waste collections were extended to {big} flats in {area}.",
            "Contamination in the recycling bins fell after door-to-door engagement.",
            "Construction waste from the {building} demolition was crushed and reused on site.",
            "New tenants can choose reused furniture, which helps them settle and saves money.",
            "We worked with Zero Waste Scotland to measure the carbon saved by reuse.",
            "School kitchens cut food waste by {pct} per cent by changing portion sizes and menus.",
            "The circular economy plan sets targets for reuse, repair and recycling to {year}.",
            "A sharing library lets residents borrow tools instead of buying them.",
            "Textile collections found a local partner who sorts and resells clothing.",
            "Commercial waste from council buildings is now audited every quarter.",
        ],
    },
    "procurement": {
        "themes": ["Circular economy", "Engagement"],
        "tags": ["procurement", "sustainable procurement", "supply chain", "climate clauses", "whole life carbon"],
        "titles": [
            "Climate clauses in the council's construction contracts",
            "Measuring supply chain emissions across {big} contracts",
            "Low-carbon concrete in the {area} {building} contract",
            "Sustainable procurement training for {n} buyers",
            "Whole life carbon in the tender for the new {area} {building}",
        ],
        "sentences": [
            "Scope 3 emissions from procurement make up most of the council's carbon footprint.",
            "We added climate clauses to every construction contract above £{bill} thousand.",
            "Suppliers are asked for a carbon reduction plan as part of the tender.",
            "The contract for the {building} specified low-carbon concrete with a cement replacement.",
            "Whole life carbon was scored at {pct} per cent of the quality evaluation.",
            "Buyers completed sustainable procurement training with the Scottish Government's tools.",
            "Community benefits in the contract included apprenticeships and local repair skills.",
            "Small suppliers needed support to calculate their emissions, so we ran workshops.",
            "The procurement strategy links every major contract to the council's net zero route map.",
            "Framework agreements made it easier to buy heat pumps and insulation at scale.",
            "Spend analysis helped us find the categories with the highest emissions.",
            "Contract management now checks that the promised carbon savings are delivered.",
        ],
    },
    "hydrogen": {
        "themes": ["Renewables", "Transport"],
        "tags": ["hydrogen", "green hydrogen", "fuel cell buses", "electrolyser", "refuelling"],
        "titles": [
            "Green hydrogen refuelling for buses in {area}",
            "An electrolyser powered by wind at {area}",
            "Hydrogen refuse collection vehicles at the {area} depot",
            "Hydrogen feasibility study for the {area} port",
        ],
        "sentences": [
            "The electrolyser produces green hydrogen from surplus wind power.",
            "Fuel cell buses run on {n} routes and refuel at the {area} depot.",
            "Hydrogen costs more per kilometre than battery electric vehicles for most of our fleet.",
            "We found hydrogen made sense for heavy vehicles on long rural routes.",
            "The refuelling station needed a hazardous substances consent.",
            "Drivers were trained on the new vehicles before they entered service.",
            "The feasibility study compared hydrogen, battery and hybrid options for the port.",
            "Reliability of the early fuel cell buses improved after a software update.",
            "The project was funded through {funder} with industry partners.",
            "Hydrogen is unlikely to play a large part in heating homes in the area.",
        ],
    },
    "solar": {
        "themes": ["Renewables"],
        "tags": ["solar PV", "battery storage", "community energy", "wind", "private wire", "renewables"],
        "titles": [
            "Solar PV on {n} schools in {area}",
            "A solar farm on the closed {area} landfill",
            "Battery storage at the {area} {building}",
            "Community-owned wind turbine near {area}",
            "Private wire from the {area} solar farm to the {building}",
        ],
        "sentences": [
            "Solar panels were installed on the roofs of {n} schools in {area}.",
            "The solar farm on the closed landfill generates about {big} megawatt hours a year.",
            "Battery storage lets the {building} use its own solar power into the evening.",
            "A private wire sells electricity directly to the {building} at a fixed price.",
            "The community energy co-operative raised £{bill} thousand through a share offer.",
            "Income from the turbine funds a local energy advice service.",
            "Grid connection costs were the biggest risk in the business case.",
            "Roof surveys ruled out {pct} per cent of the buildings we first considered.",
            "Generation data is shown on screens in the school foyers for pupils to follow.",
            "Planning for the wind turbine took longer than building it.",
            "We modelled the export tariff and the value of self-consumption before choosing the system size.",
            "The panels are expected to pay back within {years} years.",
        ],
    },
    "engagement": {
        "themes": ["Engagement"],
        "tags": ["community engagement", "citizens assembly", "climate action plan", "Carbon Literacy", "behaviour change", "youth climate"],
        "titles": [
            "A citizens' assembly on climate for {area}",
            "Carbon Literacy training for {n} council staff",
            "Community climate action hubs in {area}",
            "Young people shaping the {area} climate plan",
            "Climate conversations in {area}'s community councils",
        ],
        "sentences": [
            "The citizens' assembly brought together {n} residents chosen to reflect the area.",
            "Members of the assembly heard from experts and made {n2} recommendations to the council.",
            "Carbon Literacy training was completed by {n} staff and elected members.",
            "Community climate hubs gave local groups a small budget and a place to meet.",
            "Young people from {area} presented their priorities to the full council.",
            "We ran drop-in sessions at the {building} so people could comment on the plans.",
            "Engagement worked best when we went to existing groups rather than holding new meetings.",
            "The climate action plan was rewritten in plain language after feedback from residents.",
            "Behaviour change campaigns were more effective when they came from trusted local voices.",
            "We paid participants for their time so that people on low incomes could take part.",
            "Online surveys reached {big} people but missed those without internet access.",
            "Staff climate champions now meet every month to share what they are doing.",
        ],
    },
    "nature": {
        "themes": ["Nature", "Adaptation"],
        "tags": ["nature-based solutions", "biodiversity", "tree planting", "flood risk", "rain gardens", "peatland", "greenspace"],
        "titles": [
            "Rain gardens and swales on {area}'s streets",
            "Planting {big} trees across {area}",
            "Peatland restoration near {area}",
            "Naturalising the {area} burn to reduce flood risk",
            "Pollinator meadows in {n} council parks",
        ],
        "sentences": [
            "Rain gardens on {n} streets in {area} now hold back surface water during storms.",
            "We planted {big} trees with volunteers from local schools and community groups.",
            "Naturalising the burn reduced flood risk to {big} homes downstream.",
            "Mowing regimes in {n} parks were changed to create pollinator meadows.",
            "Peatland restoration blocked drainage ditches across {big} hectares.",
            "Biodiversity surveys recorded more bird and insect species after two summers.",
            "Some residents complained that the meadows looked untidy, so we added signs explaining them.",
            "Climate adaptation planning identified the streets most at risk of surface water flooding.",
            "Street trees provide shade and cool the streets on the hottest days.",
            "Green roofs on the {building} slow rainwater runoff and insulate the roof.",
            "The project was funded by {funder} with support from NatureScot.",
            "Maintenance costs were planned from the start so that the planting would survive.",
        ],
    },
    "buildings": {
        "themes": ["Buildings", "Energy efficiency"],
        "tags": ["Passivhaus", "net zero buildings", "LED lighting", "building energy management", "public estate", "street lighting"],
        "titles": [
            "A Passivhaus {building} in {area}",
            "LED street lighting across {area}",
            "Building energy management across {n} council sites",
            "Rationalising the council estate in {area}",
            "Net zero standard for the new {area} {building}",
        ],
        "sentences": [
            "The new {building} in {area} was built to the Passivhaus standard.",
            "Energy use in the first year was within {pct} per cent of the design prediction.",
            "Replacing {big} street lights with LED lanterns cut their electricity use by {pct} per cent.",
            "A building energy management system now controls heating in {n} council sites.",
            "Heating schedules were matched to opening hours, which saved energy at no cost.",
            "Closing underused buildings reduced the estate's emissions and maintenance backlog.",
            "The net zero standard for new council buildings covers operational and embodied carbon.",
            "Caretakers were trained to use the controls, which mattered more than the technology.",
            "Sub-metering showed that the swimming pool used most of the energy in the {building}.",
            "Ventilation with heat recovery keeps the air fresh without losing warmth.",
            "Design teams must now report expected energy use at every stage of the project.",
            "The lighting upgrade was funded by {funder} and repaid from the energy savings.",
        ],
    },
}  # fmt: skip

GENERAL_SENTENCES = [
    "The project was led by a small team with support from colleagues across the council.",
    "Elected members backed the proposal at committee in {year}.",
    "We shared our approach with {council} and learned from their experience.",
    "Monitoring continues and we will publish updated figures next year.",
    "The biggest lesson was to involve the people who run the buildings from the start.",
    "Delays in the supply chain added {months} months to the programme.",
    "Funding came from {funder}, with the remainder from the council's own budget.",
    "Working with {partner} gave us technical expertise we did not have in house.",
    "Costs rose by around {pct} per cent because of inflation during construction.",
    "The carbon saving was estimated using the government's conversion factors.",
    "We would start the engagement earlier next time.",
    "The work supports the council's target to reach net zero by {year}.",
    "Officers from planning, estates, finance and housing met every fortnight.",
    "Our climate change duties report now includes the project's figures.",
    "Procurement through a national framework saved several months.",
    "Residents' feedback changed the design in several important ways.",
    "The business case was approved after a review of the risks and the payback period.",
    "Data from the first year gave us confidence to scale up the approach.",
    "A clear baseline made it much easier to show what had changed.",
    "The team is happy to share documents and talk to other councils about it.",
    "Staff turnover slowed the project, so we now keep a written record of decisions.",
    "Co-benefits for health, jobs and fuel poverty helped win support for the investment.",
    "The scheme will be extended to {area} in the next phase.",
    "Good relationships with the community council made consultation straightforward.",
]  # fmt: skip

CHAT_SENTENCES = [
    "Thanks for sharing this, it is really useful.",
    "We had a very similar experience in {area}.",
    "Has anyone else tried this approach with {topic}?",
    "Does anyone have a template for the business case they could share?",
    "I would be interested to hear how you handled the procurement.",
    "Happy to talk this through if it would help, just send me a message.",
    "We are about to start something similar and would welcome any advice.",
    "Could you say a bit more about how you measured the savings?",
    "Good question, we are looking at the same thing for {topic}.",
    "Our committee paper on {topic} is due next month, so this is timely.",
    "I agree, the funding timescales make it really hard to plan.",
    "We found that early engagement with elected members made all the difference.",
    "The Improvement Service has guidance on this which might help.",
    "Just to add to this, our experience with {topic} was quite different.",
    "This came up at the network event last month as well.",
    "Did you need planning permission for that?",
    "How long did the whole process take from start to finish?",
    "Very helpful, thank you for the detailed reply.",
    "I will check with our energy team and come back to you.",
    "We are seeing costs of around £{bill} thousand for similar work.",
    "In {area} we ended up going with a phased approach.",
    "Is there a way to share the data between councils on this?",
    "It would be great to visit and see it in person.",
    "Welcome to the network, good to have you here.",
]  # fmt: skip

THREAD_TITLES = [
    "Experiences with {tag}?", "Business case for {tag}: what worked for you",
    "{tag} procurement frameworks", "Question about {tag} and planning",
    "Funding for {tag} in {year}", "Lessons from {tag} projects",
    "Has anyone used consultants for {tag}?", "{tag}: measuring carbon savings",
    "Getting elected members on board with {tag}", "{tag} in rural areas",
    "Community engagement on {tag}", "Data and monitoring for {tag}",
    "Looking for a peer council for {tag}", "Skills and training for {tag}",
    "Costs of {tag} are rising: how are you coping?",
]  # fmt: skip

EVENT_TITLES = [
    "{topic_title}: peer learning session", "Network meeting: {topic_title}",
    "{topic_title} site visit in {city}", "Webinar: {topic_title}",
    "{topic_title} masterclass", "Elected members' briefing on {topic}",
    "{topic_title} roundtable", "Annual network conference {year}",
    "Show and tell: {topic} projects", "{topic_title} procurement clinic",
]  # fmt: skip

SESSION_TITLES = [
    "Welcome and introductions", "What we did in {city}", "Panel discussion on {topic}",
    "Lessons from {topic} projects", "Funding {topic}: what is available",
    "Questions and answers", "Breakout groups", "Site tour", "Next steps and close",
    "Keynote: the route to net zero", "Data and monitoring for {topic}",
    "Case study: {area}",
]  # fmt: skip

PLEDGES = [
    "I will cycle or take the bus to council meetings instead of driving.",
    "I will ask for a climate impact assessment on every committee report.",
    "I will press for the heat network strategy to come to committee this year.",
    "I will switch my home energy supply and insulate the loft.",
    "I will raise active travel funding with community councils in my ward.",
    "I will champion Carbon Literacy training for all elected members.",
    "I will ask for procurement reports to include supply chain emissions.",
    "I will eat less meat and buy local produce.",
    "I will support the school streets programme in my ward.",
    "I will hold a climate surgery with residents every quarter.",
    "I will push for a reuse hub at the recycling centre.",
    "I will ask officers for a plan to electrify the council fleet.",
]  # fmt: skip

EVIDENCE_LEARNING = [
    "How quickly the remaining carbon budget is being used up surprised me.",
    "I had not realised how much of the council's footprint comes from procurement.",
    "The link between fuel poverty and poor insulation moved me.",
    "Learning how climate change affects flooding in our own streets was sobering.",
]  # fmt: skip

CO_BENEFITS = [
    "Warmer homes and lower bills for tenants in fuel poverty.",
    "Local jobs and apprenticeships in the supply chain.",
    "Cleaner air along the busiest streets.",
    "Better health from more walking and cycling.",
    "More green space and wildlife in the neighbourhood.",
    "Less noise and safer streets for children.",
]  # fmt: skip

LESSONS = [
    "Start engagement early and keep it going through construction.",
    "Budget for monitoring from the outset, not as an afterthought.",
    "Secure the grid connection before committing to the design.",
    "A named contact for residents prevented most complaints.",
    "Phase the work so that each stage proves the next.",
    "Agree who maintains the assets before they are built.",
]  # fmt: skip

EMISSIONS_METHODS = [
    "Metered energy use before and after, converted with the government's conversion factors.",
    "Modelled savings from the design stage energy assessment.",
    "Estimated from vehicle kilometres avoided and average emissions per kilometre.",
    "Calculated with Zero Waste Scotland's carbon metric for the tonnages diverted.",
    "Twelve months of smart meter data compared with the previous three years.",
]  # fmt: skip

FORUM_NAMES = [
    ("Heat networks", "heat networks"), ("Heat pumps", "heat pumps"),
    ("Retrofit and insulation", "retrofit"), ("Active travel", "active travel"),
    ("EV charging and fleet", "ev charging"), ("Circular economy and waste", "circular economy"),
    ("Sustainable procurement", "procurement"), ("Hydrogen", "hydrogen"),
    ("Solar and community energy", "solar"), ("Community engagement", "engagement"),
    ("Nature and adaptation", "nature"), ("Council buildings", "buildings"),
    ("Funding and finance", None), ("Data and reporting", None),
    ("Climate change duties reporting", None), ("Elected members' corner", None),
    ("Local Heat and Energy Efficiency Strategies", "heat networks"),
    ("Planning and net zero", None), ("Skills and jobs", None),
    ("Rural and island councils", None), ("Fuel poverty", "retrofit"),
    ("Flooding and resilience", "nature"), ("Public transport", "active travel"),
    ("Schools and young people", "engagement"), ("Carbon Literacy", "engagement"),
    ("Housing associations", "retrofit"), ("Job opportunities", None),
    ("Introductions", None), ("Help with the portal", None),
]  # fmt: skip

TOPIC_KEYS = list(TOPICS)


class _Slots(dict):
    """Fills a template's slots lazily: only the slots a template names are drawn."""

    def __init__(self, rng, councils, topic):
        super().__init__()
        self.rng = rng
        self.councils = councils
        self.topic = topic

    def __missing__(self, key):
        r = self.rng
        value = {
            "area": lambda: r.choice(AREAS),
            "building": lambda: r.choice(BUILDINGS),
            "funder": lambda: r.choice(FUNDERS),
            "partner": lambda: r.choice(PARTNER_BODIES),
            "council": lambda: r.choice(self.councils),
            "city": lambda: r.choice(self.councils),
            "topic": lambda: self.topic,
            "n": lambda: r.randint(3, 40),
            "n2": lambda: r.randint(2, 20),
            "big": lambda: r.choice(
                (120, 150, 200, 250, 300, 400, 500, 750, 1200, 2000, 3500)
            ),
            "pct": lambda: r.randint(8, 65),
            "months": lambda: r.randint(3, 30),
            "years": lambda: r.randint(5, 40),
            "year": lambda: r.randint(2019, 2045),
            "mw": lambda: r.choice(("1.5", "2", "3.2", "5", "8")),
            "temp": lambda: r.choice((55, 60, 65, 70, 75)),
            "cop": lambda: r.choice(("2.8", "3.0", "3.2", "3.4", "3.6")),
            "band": lambda: r.choice("DEF"),
            "km": lambda: r.randint(2, 25),
            "bill": lambda: r.choice((150, 200, 250, 300, 400, 500, 750)),
            "t": lambda: r.randint(12, 900),
        }[key]()
        return value  # not cached: each use of a slot in a template draws afresh


def fill(template: str, rng, councils, topic="net zero") -> str:
    return template.format_map(_Slots(rng, councils, topic))


class TextBank:
    """Pools of filled sentences per topic, with their HTML-escaped forms."""

    def __init__(self, rng: random.Random, councils: list[str], pool_size: int = 4000):
        self.rng = rng
        self.councils = councils
        self.pools = {}
        for key, topic in TOPICS.items():
            templates = topic["sentences"]
            self.pools[key] = self._pool(templates, pool_size, key)
        self.general = self._pool(GENERAL_SENTENCES, pool_size, "net zero")
        self.chat = {
            key: self._pool(CHAT_SENTENCES, pool_size // 4, key) for key in TOPICS
        }

    def _pool(self, templates, size, topic):
        seen, pool = set(), []
        for _ in range(size * 2):
            sentence = fill(self.rng.choice(templates), self.rng, self.councils, topic)
            if sentence not in seen:
                seen.add(sentence)
                pool.append(sentence)
            if len(pool) >= size:
                break
        return pool

    def paragraph(self, topic: str, sentences: int, general_share=0.25) -> str:
        r = self.rng
        pool, general = self.pools[topic], self.general
        return " ".join(
            r.choice(general) if r.random() < general_share else r.choice(pool)
            for _ in range(sentences)
        )

    def post(self, topic: str) -> tuple[str, str]:
        """A forum post of 20-150 words: (Markdown source, the HTML it renders to)."""
        r = self.rng
        count = min(9, 1 + int(r.expovariate(1 / 2.2)))
        chat, pool, general = self.chat[topic], self.pools[topic], self.general
        sentences = [r.choice(chat)]
        for _ in range(count):
            roll = r.random()
            sentences.append(
                r.choice(chat)
                if roll < 0.2
                else r.choice(general)
                if roll < 0.35
                else r.choice(pool)
            )
        if len(sentences) > 4:
            cut = r.randint(2, len(sentences) - 2)
            paragraphs = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
        else:
            paragraphs = [" ".join(sentences)]
        return "\n\n".join(paragraphs), to_html(paragraphs)

    def case_study_body(self, topic: str) -> str:
        """Markdown of roughly 300-600 words under the usual headings."""
        r = self.rng
        parts = []
        for heading, low, high in (
            ("Background", 3, 6),
            ("What we did", 6, 12),
            ("Results", 4, 8),
            ("What we learned", 3, 6),
            ("Next steps", 2, 4),
        ):
            parts.append(f"## {heading}")
            parts.append(self.paragraph(topic, r.randint(low, high)))
        return "\n\n".join(parts)


def to_html(paragraphs: list[str]) -> str:
    """What Markdown makes of plain paragraphs (no markup in generated text)."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
