"""The word lists of the scale data set, read from the text files in ``words/``.

Each file holds one entry a line; lines starting with ``#`` are comments. A topic's
file (``words/topics/NN-name.txt``, drawn in the order of NN) has sections in square
brackets: ``[weight]``, ``[themes]``, ``[tags]``, ``[titles]`` and ``[sentences]``.
The order of the entries matters: the loader draws them by position, so the same
seed gives the same data only while the files stay the same.
"""

from pathlib import Path

WORDS = Path(__file__).resolve().parent / "words"


def _lines(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read(name: str) -> list[str]:
    """The entries of ``words/<name>.txt``, in order."""
    return _lines(WORDS / f"{name}.txt")


def read_topic(path: Path) -> dict[str, list[str]]:
    """A topic's sections: {"weight": ["12"], "themes": [...], ...}."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in _lines(path):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{path.name}: {line!r} comes before any [section]")
        else:
            current.append(line)
    return sections


def read_topics() -> dict[str, dict]:
    """Every topic by name ("heat networks" from 01-heat-networks.txt), in file order,
    with its weight as a number."""
    topics = {}
    for path in sorted((WORDS / "topics").glob("*.txt")):
        name = path.stem.split("-", 1)[1].replace("-", " ")
        sections = read_topic(path)
        topics[name] = {
            "weight": int(sections.pop("weight")[0]),
            **{key: sections[key] for key in ("themes", "tags", "titles", "sentences")},
        }
    return topics


def read_forums() -> list[tuple[str, str | None]]:
    """(forum name, the topic its threads are about or None) from forums.txt."""
    forums = []
    for line in read("forums"):
        name, _, topic = line.partition("|")
        forums.append((name.strip(), topic.strip() or None))
    return forums


FIRST_NAMES = read("first_names")
LAST_NAMES = read("last_names")
OFFICER_TITLES = read("officer_titles")
PARTNER_TITLES = read("partner_titles")
ELECTED_TITLES = read("elected_titles")
AREAS = read("areas")
BUILDINGS = read("buildings")
FUNDERS = read("funders")
PARTNER_BODIES = read("partner_bodies")
GENERAL_SENTENCES = read("general_sentences")
CHAT_SENTENCES = read("chat_sentences")
THREAD_TITLES = read("thread_titles")
EVENT_TITLES = read("event_titles")
SESSION_TITLES = read("session_titles")
PLEDGES = read("pledges")
EVIDENCE_LEARNING = read("evidence_learning")
CO_BENEFITS = read("co_benefits")
LESSONS = read("lessons")
EMISSIONS_METHODS = read("emissions_methods")
FORUM_NAMES = read_forums()
TOPICS = read_topics()
TOPIC_KEYS = list(TOPICS)
# Heat and buildings are the most written-about topics; hydrogen the least.
TOPIC_WEIGHTS = [topic["weight"] for topic in TOPICS.values()]
