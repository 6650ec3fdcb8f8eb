"""Draws from the scenario's distributions, buffered so that per-draw cost stays small."""

from __future__ import annotations

import math

import numpy as np

from .scenario import Dist

_BATCH = 4096


class Sampler:
    """An endless stream of draws from one distribution, from its own random generator."""

    __slots__ = ("_buf", "_dist", "_i", "_rng")

    def __init__(self, dist: Dist, rng: np.random.Generator) -> None:
        self._dist = dist
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        """The next draw."""
        if self._i >= len(self._buf):
            self._buf = draw(self._dist, self._rng, _BATCH).tolist()
            self._i = 0
        x = self._buf[self._i]
        self._i += 1
        return x


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
