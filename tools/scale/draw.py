"""Small drawing helpers the loader's modules share."""

import bisect
import random
from collections.abc import Iterable, Sequence


def accumulate(values: Iterable[float]):
    """Running totals: the cumulative weights ``weighted`` draws from."""
    total = 0.0
    for value in values:
        total += value
        yield total


def weighted(rng: random.Random, items: Sequence, cumulative: Sequence[float]):
    """One of ``items``, drawn with the weights whose running totals are given."""
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def sentence_case(value: str) -> str:
    return value[:1].upper() + value[1:]
