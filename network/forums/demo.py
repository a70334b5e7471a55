"""Demo discussions: forums with threads between officers of different cities."""

from network.demo_tags import ensure_tags
from network.models import Forum, Theme, Thread

from . import services
from .demo_threads import MORE_THREADS

FORUMS = [
    ("Low-carbon heat", "low-carbon-heat", "Heat networks, heat pumps and the buildings they serve.", 10, "Low-carbon heat"),
    ("Transport", "transport", "Active travel, buses, EV charging and low emission zones.", 20, "Transport"),
    ("Circular economy", "circular-economy", "Waste, reuse, procurement and the materials councils buy.", 30, "Circular economy"),
]  # fmt: skip

# forum slug, title, author key, question?, tags, opening post, [(author key, reply)]
THREADS = [
    (
        "low-carbon-heat",
        "Heat network feasibility: what did your study cost?",
        "perth",
        True,
        ["heat networks", "feasibility", "funding"],
        "We are scoping a feasibility study for a heat network around Perth's "
        "public estate. @aileen.murray, Dundee went through this: roughly what did "
        "the study cost, and who funded it?",
        [
            (
                "dundee",
                "Ours came in a little under £60k, 75% funded through the Heat "
                "Network Support Unit. The best money we spent was on a proper "
                "heat demand survey of the anchor loads.",
            ),
            (
                "stirling",
                "Same experience in Stirling: get the anchor loads signed up "
                "early. Happy to share our **procurement brief** if it helps.",
            ),
        ],
    ),
    (
        "transport",
        "Low emission zone signage: lessons from enforcement start",
        "glasgow",
        False,
        ["low emission zones", "signage"],
        "Glasgow's LEZ has been enforced for a while now. Three things we'd do "
        "differently with signage:\n\n1. Start the advance signs further out\n"
        "2. Test the wording with drivers\n3. Coordinate with the trunk road "
        "authority sooner",
        [
            (
                "edinburgh",
                "Really useful, thanks @priya.sharma. We found the same with the "
                "advance signs on the bypass.",
            ),
            (
                "aberdeen",
                "Did you see a change in bus fleet renewal when enforcement began?",
            ),
        ],
    ),
    (
        "circular-economy",
        "Reuse hubs in council depots: anyone running one?",
        "edinburgh",
        True,
        ["reuse", "waste"],
        "We'd like to pilot a reuse hub at one of our recycling centres. "
        '@"Ross Henderson", didn\'t Fife try something like this?',
        [
            (
                "dunfermline",
                "Yes, at two sites, run with a local charity. Footfall was good; "
                "the hard part was storage space for furniture.",
            ),
        ],
    ),
    (
        "general",
        "Welcome: introduce yourself and your council's net zero work",
        "coordinator",
        False,
        ["introductions"],
        "A thread for new members: say who you are, where you work and what "
        "you're working on. Watch this forum to hear when someone new joins in.",
        [
            (
                "inverness",
                "Hamish from Highland: climate change coordinator, working on "
                "decarbonising our rural school estate.",
            ),
        ],
    ),
]


def create_demo(members: dict, stdout) -> None:
    themes = {t.name: t for t in Theme.objects.all()}
    for name, slug, description, order, theme in FORUMS:
        Forum.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "theme": themes.get(theme),
            },
        )
    forums = {f.slug: f for f in Forum.objects.all()}
    # Made in bulk first, so each thread's tagging only finds them.
    ensure_tags(tag for thread in THREADS + MORE_THREADS for tag in thread[4])
    created = 0
    for slug, title, author, question, tags, body, replies in THREADS + MORE_THREADS:
        if Thread.objects.filter(title=title).exists():
            continue
        thread = services.start_thread(
            forums[slug],
            author=members[author],
            title=title,
            body=body,
            tags=tags,
            is_question=question,
        )
        posts = [
            services.post_reply(thread, author=members[key], body=text)
            for key, text in replies
        ]
        if question and posts:
            services.set_helpful_answer(posts[0], by=members[author])
        created += 1
    stdout.write(
        f"  discussions: {len(FORUMS)} themed forums, "
        f"{len(THREADS) + len(MORE_THREADS)} threads ({created} new)"
    )
