"""First come, first served at a capacity that changes: the sweep kernel's queue recursion, compiled.

One exact recursion (Kiefer–Wolfowitz) serves both of the kernel's queues. A heap holds the free
times of the places that may be used now; each customer, in order of joining, starts at the later
of their arrival and the earliest free time and leaves their end time in its place. A capacity
change at time ``u`` follows :class:`~simulator.engine.teams.FlexResource`: lowering it lets people finish
(their end times wait in ``over``, a max-heap kept as negated values, and nobody new starts until
fewer people are busy than the new capacity); raising it takes the latest of that work first and
pads with ``u``. Every entry of ``over`` ends no later than every entry of the heap, which is what
makes this exact.

The loop is compiled with Numba on first import (and cached beside this file), so a replication
pays machine cost per complaint rather than the interpreter's. The kernel imports this module only
when it first queues someone, so commands that never run the kernel never load Numba.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numba import njit

INF = math.inf

Changes = Sequence[tuple[float, int]]
"""Capacity changes: (time, capacity from then on), in time order."""


@njit(inline="always")
def _sift_down(heap: np.ndarray, n: int, pos: int) -> None:
    x = heap[pos]
    while True:
        child = 2 * pos + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= x:
            break
        heap[pos] = heap[child]
        pos = child
    heap[pos] = x


@njit(inline="always")
def _push(heap: np.ndarray, n: int, x: float) -> None:
    """Add ``x`` to the heap of ``n`` entries (the caller counts it)."""
    pos = n
    while pos > 0:
        parent = (pos - 1) // 2
        if heap[parent] <= x:
            break
        heap[pos] = heap[parent]
        pos = parent
    heap[pos] = x


@njit(inline="always")
def _pop(heap: np.ndarray, n: int) -> float:
    """Take the least of the heap's ``n`` entries (the caller counts it)."""
    top: float = heap[0]
    heap[0] = heap[n - 1]
    _sift_down(heap, n - 1, 0)
    return top


@njit("void(float64[::1], float64[::1], float64[::1], int64, float64[::1], int64[::1], float64[::1])", cache=True)
def _recursion(
    arrive: np.ndarray,
    work: np.ndarray,
    patience: np.ndarray,
    capacity: int,
    change_at: np.ndarray,
    change_to: np.ndarray,
    out: np.ndarray,
) -> None:
    places = capacity
    for c in change_to:
        places = max(places, c)
    heap = np.zeros(max(places, 1))
    over = np.empty(max(places, 1))
    n, m, k = capacity, 0, 0
    next_change = change_at[0] if change_at.size else INF
    for i in range(arrive.size):
        a = arrive[i]
        free = heap[0] if n else INF
        t = a if a > free else free
        while t >= next_change and next_change < INF:
            u, cap = change_at[k], change_to[k]
            k += 1
            next_change = change_at[k] if k < change_at.size else INF
            while n > cap:
                x = _pop(heap, n)
                n -= 1
                if x > u:
                    _push(over, m, -x)
                    m += 1
            while n < cap:
                x = u
                if m:
                    x = -_pop(over, m)
                    m -= 1
                _push(heap, n, x if x > u else u)
                n += 1
            free = heap[0] if n else INF
            t = a if a > free else free
        if t - a > patience[i]:
            out[i] = math.nan
        elif t < INF:
            heap[0] = t + work[i]
            _sift_down(heap, n, 0)
            out[i] = t
        else:
            out[i] = INF


def serve(
    arrive: Sequence[float] | np.ndarray,
    work: Sequence[float] | np.ndarray,
    patience: Sequence[float] | np.ndarray | None,
    capacity: int,
    changes: Changes,
) -> np.ndarray:
    """Start times of FCFS service at a time-varying capacity: NaN for a customer who abandons, inf for never.

    ``arrive`` is in order of joining the queue, ``work`` the time each takes, ``patience`` how
    long each waits before leaving (``None``: for ever); ``capacity`` holds from time 0 and
    ``changes`` after.
    """
    a = np.ascontiguousarray(arrive, dtype=np.float64)
    limits = np.full(a.size, INF) if patience is None else np.ascontiguousarray(patience, dtype=np.float64)
    at = np.array([t for t, _ in changes], dtype=np.float64)
    to = np.array([c for _, c in changes], dtype=np.int64)
    out = np.empty(a.size)
    _recursion(a, np.ascontiguousarray(work, dtype=np.float64), limits, int(capacity), at, to, out)
    return out
