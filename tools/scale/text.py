"""Sentences and documents for the scale data set: net zero work in Scottish councils.

Every piece of text is built from the word lists (``wordlists``, read from the files
in ``words/``) with one ``random.Random``, so a seed always gives the same words.
Sentences are filled once into per-topic pools (tens of thousands of distinct
sentences) and documents are assembled from the pools, which keeps a million posts
fast to make while search still meets a realistic spread of words: each topic's
vocabulary is frequent in its own documents and rare elsewhere.
"""

import html
import random

from .wordlists import (
    AREAS,
    BUILDINGS,
    CHAT_SENTENCES,
    FUNDERS,
    GENERAL_SENTENCES,
    PARTNER_BODIES,
    TOPICS,
)


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
