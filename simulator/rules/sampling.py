"""Draws from the scenario's distributions, buffered so that per-draw cost stays small."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

import numpy as np

from ..model import Dist

_BATCH = 4096


class Sampler:
    """An endless stream of draws from one distribution, from its own random generator.

    Draws come in batches of ``_BATCH``; :attr:`next` is the C-level iterator step that hands
    them out one at a time, for hot loops that call it directly.
    """

    __slots__ = ("next",)

    def __init__(self, dist: Dist, rng: np.random.Generator) -> None:
        self.next: Callable[[], float] = chain.from_iterable(_batches(dist, rng)).__next__
        """The next draw (the same stream as calling the sampler)."""

    def __call__(self) -> float:
        """The next draw."""
        return self.next()


def _batches(dist: Dist, rng: np.random.Generator) -> Iterator[list[float]]:
    while True:
        yield draw(dist, rng, _BATCH).tolist()


def draw(dist: Dist, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws from ``dist``."""
    if dist.kind == "fixed":
        return np.full(n, dist.mean)
    if dist.kind == "exponential":
        return rng.exponential(dist.mean, n)
    if dist.kind == "uniform":
        return rng.uniform(dist.low, dist.high, n)
    if dist.cv == 0:
        return np.full(n, dist.mean)
    if dist.kind == "gamma":
        shape = 1.0 / dist.cv**2
        return rng.gamma(shape, dist.mean / shape, n)
    sigma2 = math.log1p(dist.cv**2)
    return rng.lognormal(math.log(dist.mean) - sigma2 / 2, math.sqrt(sigma2), n)


def categorical(shares: Sequence[float], rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` category indices drawn with the given (unnormalised) shares, as ``uint8``.

    The same draws as ``rng.choice(len(shares), n, p=shares / sum)`` — one uniform each, placed
    on the cumulative shares — at a fraction of its cost for the few categories a mix has.
    """
    p = np.asarray(shares, dtype=np.float64)
    cdf = (p / p.sum()).cumsum()
    cdf /= cdf[-1]
    u = rng.random(n)
    out = np.zeros(n, dtype=np.uint8)
    for edge in cdf[:-1].tolist():
        out += u >= edge
    return out
