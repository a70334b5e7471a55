"""Members: council officers, elected members and partners' staff in every approval
state, some with expertise tags; then the fifth of them who write most posts."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from taggit.models import TaggedItem

from network.handles import HandleAllocator
from network.models import Member

from . import wordlists as words
from .bulk import Progress, copy_rows, next_id
from .draw import accumulate, weighted

FIELDS = (
    "id", "email", "password", "full_name", "handle", "job_title", "organisation",
    "member_type", "approval_state", "decided_at", "needs_review", "bio",
    "show_email", "is_active", "date_joined",
)  # fmt: skip
TAG_FIELDS = ("content_type", "object_id", "tag")


def load(loader) -> None:
    first_id = next_id(Member)
    loader.explicit_ids.append(Member)
    expertise = []
    progress = Progress(loader.stdout, "members", loader.sizes.members)
    # COPY skips Member.save(), so handles are numbered here by the same rules,
    # past those the database already holds (a forced second load).
    handles = HandleAllocator(
        Member.objects.values_list("handle", flat=True).iterator(chunk_size=10_000)
    )
    rows = _rows(loader, first_id, handles, expertise)
    loader.counts["members"] = copy_rows(Member, FIELDS, rows, progress)
    progress.finish()
    loader.counts["member expertise tags"] = copy_rows(
        TaggedItem, TAG_FIELDS, expertise
    )
    _choose_posters(loader)


def _rows(loader, first_id, handles, expertise):
    r, organisations = loader.rng, loader.organisations
    # Councils by population; each partner organisation as big as a large council.
    cumulative = list(
        accumulate(
            (o.population_thousands or 100) if o.kind == "council" else 900
            for o in organisations
        )
    )
    password = make_password(None)  # unusable: sign-in only via force_login
    for pk in range(first_id, first_id + loader.sizes.members):
        org = weighted(r, organisations, cumulative)
        kind, title = _kind_and_title(r, org)
        state = _approval_state(r.random())
        first, last = r.choice(words.FIRST_NAMES), r.choice(words.LAST_NAMES)
        joined = loader.past(5 * 365)
        decided = (
            None
            if state == "pending"
            else min(loader.now, joined + timedelta(hours=r.randint(1, 120)))
        )
        bio = _bio(loader, title, org)
        if state == "approved":
            _add_to_pools(loader, pk, org, kind, expertise)
        yield (
            pk, _email(first, last, pk, org), password, f"{first} {last}",
            handles(f"{first} {last}"), title, org.pk, kind, state, decided,
            state == "pending" and r.random() < 0.3, bio, r.random() < 0.2, True,
            joined,
        )  # fmt: skip


def _kind_and_title(r, org) -> tuple[str, str]:
    if org.kind == "partner":
        return "partner", r.choice(words.PARTNER_TITLES)
    if r.random() < 0.13:
        return "elected", r.choice(words.ELECTED_TITLES)
    return "officer", r.choice(words.OFFICER_TITLES)


def _approval_state(roll: float) -> str:
    if roll < 0.02:
        return "pending"
    if roll < 0.025:
        return "rejected"
    if roll < 0.028:
        return "suspended"
    return "approved"


def _email(first: str, last: str, pk: int, org) -> str:
    domain = org.email_domains[0] if org.email_domains else "example.org"
    return f"{first}.{last}.{pk}@{domain}".lower()


def _bio(loader, title: str, org) -> str:
    """A third of members say what they work on."""
    r = loader.rng
    if r.random() >= 0.35:
        return ""
    topic = loader.topic()
    return f"{title} at {org.name}, working on {topic}. " + (
        loader.bank.paragraph(topic, r.randint(1, 3))
    )


def _add_to_pools(loader, pk: int, org, kind: str, expertise: list) -> None:
    r, pools = loader.rng, loader.pools
    pools.approved.append(pk)
    pools.by_org.setdefault(org.pk, []).append(pk)
    if kind == "elected":
        pools.elected.append(pk)
        pools.elected_by_org.setdefault(org.pk, []).append(pk)
    elif kind == "partner":
        pools.partners.append(pk)
    if r.random() < 0.3:
        for name in r.sample(list(loader.tag_ids), r.randint(1, 3)):
            expertise.append((loader.ct[Member], pk, loader.tag_ids[name]))


def _choose_posters(loader) -> None:
    """Some members post far more than others: a Zipf-like weight over a fifth of
    the approved members."""
    r, pools = loader.rng, loader.pools
    active = r.sample(pools.approved, max(1, len(pools.approved) // 5))
    pools.posters = active
    pools.poster_weights = list(
        accumulate(1 / (rank + 10) for rank in range(len(active)))
    )
