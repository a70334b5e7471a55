"""Case studies: mostly councils' own, by topic, at every stage and status, with
their authors, contact, themes, partner organisations and tags."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from taggit.models import TaggedItem

from casestudies.counts import rebuild_counts
from casestudies.models import CaseStudy

from . import text
from . import wordlists as words
from .bulk import IndexesDropped, Progress, copy_rows, next_id
from .draw import accumulate, sentence_case, weighted

FIELDS = (
    "id", "title", "summary", "body", "organisation", "city", "stage", "start_date",
    "end_date", "capital_cost", "revenue_cost", "funding_sources", "emissions_saved",
    "emissions_method", "emissions_confidence", "co_benefits", "lessons_learned",
    "contact", "status", "submitted_at", "published_at", "published_by",
    "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Links:
    """The rows that hang off the case studies, gathered while they are made."""

    themes: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)


def load(loader) -> None:
    n = loader.sizes.case_studies
    first_id = next_id(CaseStudy)
    loader.explicit_ids.append(CaseStudy)
    links = Links()
    progress = Progress(loader.stdout, "case studies", n)
    with IndexesDropped(CaseStudy, loader.stdout, loader.drop_indexes(n)):
        rows = _rows(loader, first_id, links)
        loader.counts["case studies"] = copy_rows(CaseStudy, FIELDS, rows, progress)
        progress.finish()
    through = CaseStudy.themes.through, CaseStudy.partners.through
    loader.counts["case study themes"] = copy_rows(
        through[0], ["casestudy", "theme"], links.themes
    )
    loader.counts["case study partners"] = copy_rows(
        through[1], ["casestudy", "organisation"], links.partners
    )
    loader.counts["case study authors"] = copy_rows(
        CaseStudy.authors.through, ["casestudy", "member"], links.authors
    )
    loader.counts["case study tags"] = copy_rows(
        TaggedItem, ["content_type", "object_id", "tag"], links.tags
    )
    # COPY sends no signals: the kept counts from the app's own rebuild.
    loader.counts["case studies counted"] = rebuild_counts()


def _rows(loader, first_id, links):
    r = loader.rng
    council_weights = list(
        accumulate(o.population_thousands or 100 for o in loader.councils)
    )
    for pk in range(first_id, first_id + loader.sizes.case_studies):
        topic = loader.topic()
        org = (
            weighted(r, loader.councils, council_weights)
            if r.random() < 0.9
            else r.choice(loader.partner_orgs)
        )
        title = sentence_case(
            text.fill(r.choice(words.TOPICS[topic]["titles"]), r, [org.name], topic)
        )
        summary = loader.bank.paragraph(topic, r.randint(2, 3), 0.1)
        body = loader.bank.case_study_body(topic)
        stage, start, end, capital, revenue = _project(loader)
        emissions = _emissions(r)
        status, *dates = _workflow(loader, pk, title, topic)
        contact = _authors(loader, pk, org, links)
        _themes_partners_and_tags(loader, pk, topic, org, links)
        yield (
            pk, title, summary, body, org.pk, org.city_id, stage, start, end,
            capital, revenue, text.fill("{funder}", r, []) if capital else "",
            *emissions,
            " ".join(r.sample(words.CO_BENEFITS, 2)),
            " ".join(r.sample(words.LESSONS, r.randint(1, 2))),
            contact, status, *dates,
        )  # fmt: skip


def _project(loader):
    """Stage, start and end dates, capital and revenue cost."""
    r = loader.rng
    stage = r.choices(("complete", "delivery", "planned", "idea"), (45, 30, 20, 5))[0]
    start = (loader.now - timedelta(days=r.randint(60, 6 * 365))).date()
    end = start + timedelta(days=r.randint(90, 900)) if stage == "complete" else None
    capital = r.randint(2, 4000) * 5000 if r.random() < 0.8 else None
    revenue = r.randint(1, 400) * 1000 if r.random() < 0.5 else None
    return stage, start, end, capital, revenue


def _emissions(r):
    """Tonnes saved (three in four say), how they were worked out, how sure."""
    if r.random() >= 0.75:
        return None, "", "estimated"
    saved = Decimal(str(round(min(r.lognormvariate(4, 1.3), 50000), 1)))
    method = r.choice(words.EMISSIONS_METHODS)
    return saved, method, "measured" if r.random() < 0.4 else "estimated"


def _workflow(loader, pk, title, topic):
    """Status, submitted, published, by whom, created and updated."""
    r = loader.rng
    status = r.choices(("published", "submitted", "draft"), (85, 5, 10))[0]
    created = loader.past(5 * 365)
    submitted = published = publisher = None
    if status != "draft":
        submitted = min(loader.now, created + timedelta(days=r.randint(1, 60)))
    if status == "published":
        published = min(loader.now, submitted + timedelta(days=r.randint(1, 30)))
        publisher = r.choice(loader.pools.partners or loader.pools.approved)
        loader.published_case_studies.append((pk, title, topic))
    updated = published or submitted or created
    return status, submitted, published, publisher, created, updated


def _authors(loader, pk, org, links):
    """One to three authors from the organisation; returns the contact (mostly the
    first author, sometimes a colleague, sometimes nobody)."""
    r = loader.rng
    people = loader.approved_in(org.pk)
    authors = r.sample(people, min(len(people), r.choice((1, 1, 1, 2, 2, 3))))
    contact = authors[0] if r.random() < 0.75 else r.choice(people)
    if r.random() < 0.08:
        contact = None
    links.authors.extend((pk, member_id) for member_id in authors)
    return contact


def _themes_partners_and_tags(loader, pk, topic_key, org, links):
    r, topic = loader.rng, words.TOPICS[topic_key]
    chosen = {
        loader.themes[name]
        for name in topic["themes"][: r.randint(1, 2)]
        if name in loader.themes
    }
    if r.random() < 0.2 and loader.themes:
        chosen.add(r.choice(list(loader.themes.values())))
    links.themes.extend((pk, theme_id) for theme_id in sorted(chosen))
    if r.random() < 0.25:
        for partner in r.sample(loader.partner_orgs, r.randint(1, 2)):
            if partner.pk != org.pk:
                links.partners.append((pk, partner.pk))
    tags = set(r.sample(topic["tags"], min(len(topic["tags"]), r.randint(2, 4))))
    if r.random() < 0.15:
        tags.add(r.choice(list(loader.tag_ids)))
    ct = loader.ct[CaseStudy]
    links.tags.extend((ct, pk, loader.tag_ids[t]) for t in sorted(tags))
