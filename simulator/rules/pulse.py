"""The hourly pulse of a crisis: complaint growth, opinion heat and the indicators computed from them.

One definition, used by the SimPy engine and the sweep kernel alike.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping
from itertools import islice

from ..model import MINUTES_PER_HOUR, Opinion, SimTime

COMPUTED = (
    "growth_pct",
    "day_over_day_pct",
    "complaints_drop_pct",
    "heat_drop_pct",
    "hours_since_growth",
    "hours_since_casualty",
)
"""The indicators the pulse computes, in the order it computes them."""


class Pulse:
    """Rolling complaint counts over the plan's growth window, opinion heat and their peaks."""

    def __init__(self, window_h: int, expected: Callable[[int], float], opinion: Opinion, indicators: Collection[str]) -> None:
        """``expected(hour)`` is the baseline count for an hour (negative hours: before the start).

        ``indicators`` are the names the plan declares: :meth:`close_hour` reports those it computes.
        """
        self.window = window_h
        self.opinion = opinion
        self._reported = [(i, name) for i, name in enumerate(COMPUTED) if name in indicators]
        before = [expected(h) for h in range(-2 * window_h, 0)]
        self._actual: deque[float] = deque(before, maxlen=2 * window_h)
        self._expected: deque[float] = deque(before, maxlen=2 * window_h)
        self._peak_excess = 0.0
        self.heat = 0.0
        self._peak_heat = 0.0
        self._hours_since_growth = 0.0
        self._last_casualty: SimTime = 0.0
        self.growth_pct = 0.0

    def add_heat(self, amount: float) -> None:
        """Heat from outside the complaint stream (media coverage, a missed disclosure)."""
        self.heat += amount
        self._peak_heat = max(self._peak_heat, self.heat)

    def disclosed(self, on_time: bool) -> None:
        """A disclosure duty was done on time (damps the heat) or passed its due time (feeds it)."""
        if on_time:
            self.heat *= 1 - self.opinion.disclosure_damping
        else:
            self.add_heat(self.opinion.missed_penalty)

    def casualty(self, now: SimTime) -> None:
        """New casualties were reported."""
        self._last_casualty = now

    def inject(
        self, ordinals: Mapping[str, tuple[str, ...]], before: Mapping[str, object], after: Mapping[str, object], now: SimTime
    ) -> None:
        """What an inject's indicator values do to opinion: new casualties, and the jump of a new media level."""
        if rose(ordinals, "injuries", before, after):
            self.casualty(now)
        media = after.get("media")
        if media != before.get("media") and isinstance(media, str):
            self.add_heat(self.opinion.media_jump.get(media, 0.0))

    def close_hour(self, arrivals: int, expected: float, now: SimTime) -> dict[str, float]:
        """Take an hour's arrivals; return the computed indicators the plan declares, rounded to 0.1."""
        op = self.opinion
        surplus = arrivals / expected - 1 if expected > 0 else 0.0
        self.heat = self.heat * (1 - op.decay_per_h) + op.complaint_weight * max(0.0, surplus)
        self._peak_heat = max(self._peak_heat, self.heat)
        self._actual.append(float(arrivals))
        self._expected.append(expected)
        w = self.window
        # Sums in the window's order, oldest first: the same floats as summing copies of the slices.
        cur, prev = sum(islice(self._actual, w, None)), sum(islice(self._actual, w))
        cur_base = sum(islice(self._expected, w, None))
        self.growth_pct = 100.0 * (cur / cur_base - 1)
        dod = 100.0 * (cur / prev - 1) if prev > 0 else 0.0
        # "Complaints down 80%": measured on the excess over the baseline expected in the window.
        excess = max(0.0, cur - cur_base)
        self._peak_excess = max(self._peak_excess, excess)
        self._hours_since_growth = 0.0 if dod > 0 else self._hours_since_growth + 1
        values = (
            self.growth_pct,
            dod,
            100.0 * (1 - excess / self._peak_excess) if self._peak_excess > 0 else 100.0,
            100.0 * (1 - self.heat / self._peak_heat) if self._peak_heat > 0 else 100.0,
            self._hours_since_growth,
            (now - self._last_casualty) / MINUTES_PER_HOUR,
        )
        return {name: round(values[i], 1) for i, name in self._reported}


def rose(ordinals: Mapping[str, tuple[str, ...]], name: str, before: Mapping[str, object], after: Mapping[str, object]) -> bool:
    """Whether the ordinal indicator ``name`` went up between two readings (new casualties, say)."""
    order = ordinals.get(name)
    if order is None or before.get(name) not in order or after.get(name) not in order:
        return False
    return order.index(str(after[name])) > order.index(str(before[name]))
