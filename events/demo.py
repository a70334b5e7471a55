"""The network's events for a demo portal: the first (April 2021, with slides,
recordings and feedback), the transport and circular economy event (end of 2021),
an adaptation event last year, and three coming up (one full, with a waiting
list). Safe to run twice."""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from network.models import Theme

from . import services
from .models import Event, Feedback, Registration, Session, Speaker


def _local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


FIRST = {
    "title": "Low-carbon heat and energy efficiency",
    "description": (
        "The network's first event for officers. After a conversation about what "
        "COP26 in Glasgow means for Scotland's cities, the Scottish Government "
        "brings us up to date on heat and energy efficiency policy. In the second "
        "half, officers from Dundee and Stirling present projects they delivered, "
        "with the details and the lessons learned."
    ),
    "format": Event.Format.ONLINE,
    "online_url": "https://meet.example.org/net-zero-network-april-2021",
    "starts_at": _local(2021, 4, 22, 10),
    "ends_at": _local(2021, 4, 22, 12, 30),
    "audience": Event.Audience.OFFICERS,
    "capacity": 80,
    "state": Event.State.PUBLISHED,
    "is_public": True,
    "recording_url": "https://video.example.org/net-zero-network-april-2021",
}
# start, end, title, description, speaker keys, guests (name, organisation)
FIRST_AGENDA = [
    (
        (10, 0),
        (10, 10),
        "Welcome",
        "Why a peer-to-peer network, and how it will work.",
        ["coordinator"],
        [],
    ),
    (
        (10, 10),
        (10, 40),
        "A conversation about COP26",
        "What the UN climate conference in Glasgow this November means for Scotland's cities, and how councils can make the most of it.",
        [],
        [("Dr Eilidh Ross", "Sustainable Scotland Network")],
    ),
    (
        (10, 40),
        (11, 10),
        "Scottish Government policy update",
        "The Heat in Buildings Strategy, the Energy Efficient Scotland route map and what is coming for local heat and energy efficiency strategies (LHEES).",
        [],
        [
            (
                "Graham Wallace",
                "Scottish Government, Heat and Energy Efficiency Division",
            )
        ],
    ),
    (
        (11, 15),
        (11, 40),
        "Dundee: district heating and council housing retrofit",
        "How Dundee delivered a heat network for council buildings and retrofitted multi-storey flats: procurement, costs and lessons learned.",
        ["dundee"],
        [],
    ),
    (
        (11, 40),
        (12, 5),
        "Stirling: decarbonising the council estate",
        "Heat pumps in schools and community buildings, and what monitoring the first year taught us.",
        ["stirling"],
        [],
    ),
    (
        (12, 5),
        (12, 30),
        "Questions and answers",
        "Open questions to the morning's speakers.",
        ["coordinator"],
        [],
    ),
]

SECOND = {
    "title": "Transport and circular economy",
    "description": (
        "The network's end-of-year event: low-emission zones and active travel, "
        "and how cities cut waste and keep materials in use."
    ),
    "format": Event.Format.HYBRID,
    "venue": "Glasgow City Chambers",
    "address": "George Square\nGlasgow G2 1DU",
    "online_url": "https://meet.example.org/net-zero-network-december-2021",
    "starts_at": _local(2021, 12, 2, 10),
    "ends_at": _local(2021, 12, 2, 13),
    "audience": Event.Audience.OFFICERS,
    "capacity": 60,
    "state": Event.State.PUBLISHED,
    "is_public": True,
}
SECOND_AGENDA = [
    ((10, 0), (10, 10), "Welcome", "", ["coordinator"], []),
    (
        (10, 10),
        (10, 50),
        "Glasgow's low-emission zone",
        "Designing, consulting on and enforcing Scotland's first LEZ.",
        ["glasgow"],
        [],
    ),
    (
        (10, 50),
        (11, 30),
        "Edinburgh: circular economy in council procurement",
        "Reuse and repair clauses in contracts, and what they saved.",
        ["edinburgh"],
        [],
    ),
    (
        (11, 45),
        (12, 30),
        "Circular communities",
        "Supporting reuse hubs and repair cafés.",
        [],
        [("Anna Kerr", "Zero Waste Scotland")],
    ),
    ((12, 30), (13, 0), "Questions and answers", "", ["coordinator"], []),
]


def _upcoming():
    start = timezone.localtime() + timedelta(days=30)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "title": "Local heat and energy efficiency strategies: one year on",
        "description": (
            "Officers compare how their LHEES are going, with a Scottish Government "
            "update and a workshop on delivery plans."
        ),
        "format": Event.Format.ONLINE,
        "online_url": "https://meet.example.org/net-zero-network-lhees",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "audience": Event.Audience.EVERYONE,
        "capacity": 40,
        "state": Event.State.PUBLISHED,
        "is_public": True,
    }


def _event(fields, themes, agenda, members, coordinator):
    event = Event.objects.filter(title=fields["title"]).first()
    if event:
        return event, False
    event = Event(**fields, created_by=coordinator)
    event.published_at = event.starts_at - timedelta(days=28)
    services.save_event(event, themes=themes)
    day = timezone.localtime(event.starts_at)
    for (sh, sm), (eh, em), title, description, speakers, guests in agenda:
        session = Session(
            event=event,
            starts_at=day.replace(hour=sh, minute=sm),
            ends_at=day.replace(hour=eh, minute=em),
            title=title,
            description=description,
        )
        services.save_session(
            session,
            speaker_members=[members[k] for k in speakers if k in members],
            guest_speakers=guests,
        )
    return event, True


def create_demo(members: dict, stdout) -> None:
    themes = {t.name: t for t in Theme.objects.all()}
    coordinator = members.get("coordinator")
    first, created = _event(
        FIRST,
        [themes["Low-carbon heat"], themes["Energy efficiency"]],
        FIRST_AGENDA,
        members,
        coordinator,
    )
    second, _ = _event(
        SECOND,
        [themes["Transport"], themes["Circular economy"]],
        SECOND_AGENDA,
        members,
        coordinator,
    )
    upcoming, _ = _event(
        _upcoming(),
        [themes["Low-carbon heat"], themes["Energy efficiency"]],
        [],
        members,
        coordinator,
    )
    if created:
        officers = [
            members[k]
            for k in (
                "dundee",
                "stirling",
                "glasgow",
                "edinburgh",
                "aberdeen",
                "inverness",
                "perth",
                "dunfermline",
            )
            if k in members
        ]
        for member in officers:
            Registration.objects.get_or_create(
                event=first,
                member=member,
                defaults={
                    "status": Registration.Status.CONFIRMED,
                    "registered_at": first.starts_at - timedelta(days=10),
                    "confirmed_at": first.starts_at - timedelta(days=10),
                    "attended": True,
                },
            )
        for member in officers[:4]:
            Registration.objects.get_or_create(
                event=upcoming,
                member=member,
                defaults={"status": Registration.Status.CONFIRMED},
            )
    if created:
        _materials_and_feedback(first, second)
    _more_events(themes, members, coordinator)
    stdout.write(
        f"  {Event.objects.count()} events, {Session.objects.count()} sessions, "
        f"{Speaker.objects.count()} speakers; slides and recordings of past events, "
        "a waiting list on an upcoming one"
    )


# A stand-in for a slide deck: the smallest file the upload checks take as a PDF.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FEEDBACK = [
    (5, "The Dundee and Stirling talks were exactly what we needed."),
    (4, "Useful policy update; more time for questions next time."),
    (5, ""),
    (4, "Good to meet officers doing the same job elsewhere."),
]


def _materials_and_feedback(first: Event, second: Event) -> None:
    """Slides and recordings on the past events' talks, and attendees' feedback."""
    talks = [
        s
        for s in [*first.sessions.all(), *second.sessions.all()]
        if s.speakers.exists()
    ]
    for session in talks:
        if session.title in ("Welcome", "Questions and answers"):
            continue
        name = f"{slugify(session.title)[:60]}.pdf"
        session.slides.save(name, ContentFile(DEMO_PDF), save=False)
        session.recording_url = (
            f"https://video.example.org/{slugify(session.event.title)}/{session.pk}"
        )
        session.save(update_fields=["slides", "recording_url"])
    attended = first.registrations.filter(attended=True).order_by("pk")
    for registration, (rating, comment) in zip(attended, FEEDBACK, strict=False):
        Feedback.objects.get_or_create(
            registration=registration,
            defaults={"event": first, "rating": rating, "comment": comment},
        )


def _more_events(themes: dict, members: dict, coordinator) -> None:
    """An adaptation event last year (with materials), a site visit that is full
    with a waiting list, and a briefing for elected members."""
    now = timezone.localtime()
    day = now.replace(hour=10, minute=0, second=0, microsecond=0)
    past, created = _event(
        {
            "title": "Adapting to a changing climate",
            "description": "Flood resilience, heat and nature-based solutions, with "
            "officers from Glasgow and Stirling and Adaptation Scotland.",
            "format": Event.Format.ONLINE,
            "online_url": "https://meet.example.org/net-zero-network-adaptation",
            "starts_at": day - timedelta(days=120),
            "ends_at": day - timedelta(days=120) + timedelta(hours=2),
            "audience": Event.Audience.OFFICERS,
            "capacity": 60,
            "state": Event.State.PUBLISHED,
            "is_public": True,
            "recording_url": "https://video.example.org/net-zero-network-adaptation",
        },
        [themes["Adaptation"], themes["Nature"]],
        [
            (
                (10, 0),
                (10, 40),
                "Glasgow's avenues and rain gardens",
                "Storm water out of the sewers, trees into the streets.",
                ["glasgow"],
                [],
            ),
            (
                (10, 40),
                (11, 20),
                "Stirling: natural flood management",
                "Working with land managers upstream.",
                ["stirling"],
                [],
            ),
            (
                (11, 20),
                (12, 0),
                "Using the national adaptation plan",
                "",
                [],
                [("Dr Kirsty Shaw", "Adaptation Scotland")],
            ),
        ],  # fmt: skip
        members,
        coordinator,
    )
    if created:
        for session in past.sessions.all():
            session.slides.save(
                f"{slugify(session.title)[:60]}.pdf", ContentFile(DEMO_PDF), save=False
            )
            session.save(update_fields=["slides"])
        for key in ("glasgow", "stirling", "perth", "dunfermline", "falkirk"):
            Registration.objects.get_or_create(
                event=past,
                member=members[key],
                defaults={"status": Registration.Status.CONFIRMED, "attended": True},
            )
    visit, created = _event(
        {
            "title": "Site visit: the Queens Quay heat network",
            "description": "A morning at the energy centre that takes heat from the "
            "Clyde, with the council's project team. Places are few: the plant room "
            "is small.",
            "format": Event.Format.IN_PERSON,
            "venue": "Queens Quay energy centre",
            "address": "Queens Quay\nClydebank G81 1BF",
            "starts_at": day + timedelta(days=12),
            "ends_at": day + timedelta(days=12, hours=3),
            "audience": Event.Audience.OFFICERS,
            "capacity": 4,
            "state": Event.State.PUBLISHED,
            "is_public": True,
        },
        [themes["Low-carbon heat"]],
        [
            ((10, 0), (11, 0), "Tour of the energy centre", "", ["glasgow"], []),
        ],  # fmt: skip
        members,
        coordinator,
    )
    if created:
        # Full, with three on the waiting list in the order they asked.
        keys = ["dundee", "edinburgh", "aberdeen", "perth", "stirling", "inverness", "falkirk"]  # fmt: skip
        for n, key in enumerate(keys):
            at = now - timedelta(days=10 - n)
            Registration.objects.get_or_create(
                event=visit,
                member=members[key],
                defaults={
                    "status": Registration.Status.CONFIRMED
                    if n < visit.capacity
                    else Registration.Status.WAITING,
                    "registered_at": at,
                    "confirmed_at": at if n < visit.capacity else None,
                },
            )
    _event(
        {
            "title": "Councillors' briefing: the Climate Change Plan",
            "description": "What the Scottish Government's Climate Change Plan asks "
            "of councils, for elected members, with time for questions.",
            "format": Event.Format.ONLINE,
            "online_url": "https://meet.example.org/net-zero-network-ccp-briefing",
            "starts_at": day + timedelta(days=45),
            "ends_at": day + timedelta(days=45, hours=1),
            "audience": Event.Audience.ELECTED,
            "capacity": 100,
            "state": Event.State.PUBLISHED,
            "is_public": True,
        },
        [themes["Engagement"]],
        [],
        members,
        coordinator,
    )
