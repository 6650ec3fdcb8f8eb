"""The SimPy engine's complaint flow: complaints as plain jobs of the hotline and comms teams.

A complaint arrives; a hotline caller waits for an operator, who may never come before the
caller's patience runs out; then it joins the customer-communication queue and is answered. Each
stage is a callback, not a SimPy process, so a surge of a million complaints costs no million
processes. Every finished complaint becomes a row of the event log's complaint table.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from math import isnan
from typing import cast

import simpy
from simpy.events import Timeout

from ..model import HOTLINE, SimTime
from ..record import ABANDONED, ANSWERED, NAN, OPEN, EventLog
from ..rules import Sampler
from .teams import Team


class Complaint:
    """A complaint in flight: when each stage began so far (NaN for a stage not begun)."""

    __slots__ = ("arrive", "channel", "closed", "comms_start", "hotline_start", "queued", "severity")

    def __init__(self, arrive: SimTime, channel: int, severity: int) -> None:
        self.arrive = arrive
        self.channel = channel
        self.severity = severity
        self.hotline_start = NAN
        self.queued = NAN
        self.comms_start = NAN
        self.closed = False


def _undrawable(name: str) -> Callable[[], float]:
    """A stand-in for a distribution the scenario does not give; fails when drawn from."""

    def fail() -> float:
        raise KeyError(f"the scenario gives no '{name}' distribution")

    return fail


class ComplaintFlow:
    """The complaints of one run, from arrival to answer (or hang-up), with the counts of the hour in progress."""

    def __init__(self, env: simpy.Environment, teams: Mapping[str, Team], samplers: Mapping[str, Sampler], log: EventLog) -> None:
        self.env = env
        self.log = log
        self._hotline = teams["hotline"].resource if "hotline" in teams else None
        self._comms = teams["comms"].resource
        if self._hotline is not None:
            self._hotline.on_start = self._hotline_start
        self._comms.on_start = self._comms_start
        draws = {name: sampler.next for name, sampler in samplers.items()}
        self._patience = draws.get("hotline.patience")
        self._hotline_time = draws.get("hotline.handling", _undrawable("hotline.handling"))
        self._comms_time = draws.get("comms.handling", _undrawable("comms.handling"))
        self._open: list[Complaint] = []
        """Complaints in arrival order, the closed ones among them dropped now and then."""
        self._closed_in_open = 0
        self._registered_at: deque[float] = deque()
        """Registration times within the last growth window (for callback lists)."""
        self._arrived = self._answered = self._abandoned = 0
        """Complaint counts of the hour in progress."""

    def arrive(self, channel: int, severity: int) -> None:
        """A complaint arrives now on ``channel``."""
        c = Complaint(self.env.now, channel, severity)
        self._open.append(c)
        self._arrived += 1
        if channel != HOTLINE:
            self._to_comms(c)
            return
        hotline = self._hotline
        assert hotline is not None, "hotline complaints need a hotline team"
        if self._patience is None:
            hotline.take(c)
            return
        patience = self._patience()  # drawn for every caller, so each keeps its draw from the stream
        hotline.take(c)
        if isnan(c.hotline_start):  # no operator free: the caller waits, but no longer than this
            Timeout(self.env, patience, c).callbacks.append(self._give_up)

    def close_hour(self, window_start: SimTime) -> tuple[int, int, int]:
        """The hour's arrivals, answers and hang-ups, counting afresh from now; forget registrations before ``window_start``."""
        counts = self._arrived, self._answered, self._abandoned
        self._arrived = self._answered = self._abandoned = 0
        while self._registered_at and self._registered_at[0] < window_start:
            self._registered_at.popleft()
        if 2 * self._closed_in_open > len(self._open):
            self._open = [c for c in self._open if not c.closed]
            self._closed_in_open = 0
        return counts

    def registered_since(self, since: SimTime) -> int:
        """How many complaints were registered from ``since`` on (within the growth window)."""
        return sum(1 for t in self._registered_at if t >= since)

    def end(self) -> None:
        """The run ends: every complaint still open becomes a row, open."""
        for c in self._open:
            if not c.closed:
                self.log.complaints.append(c.arrive, c.hotline_start, c.queued, c.comms_start, NAN, c.channel, c.severity, OPEN)
        self._open.clear()

    def _give_up(self, event: simpy.Event) -> None:
        """The caller's patience ran out: hang up, unless an operator picked up before."""
        c = cast(Complaint, event.value)
        if not isnan(c.hotline_start):
            return
        assert self._hotline is not None
        self._hotline.withdraw(c)
        self._close(c)
        self._abandoned += 1
        self.log.complaints.append(c.arrive, NAN, NAN, NAN, self.env.now, c.channel, c.severity, ABANDONED)

    def _hotline_start(self, c: Complaint) -> None:
        c.hotline_start = self.env.now
        Timeout(self.env, self._hotline_time(), c).callbacks.append(self._hotline_done)

    def _hotline_done(self, event: simpy.Event) -> None:
        assert self._hotline is not None
        self._hotline.done()
        self._to_comms(cast(Complaint, event.value))

    def _to_comms(self, c: Complaint) -> None:
        c.queued = now = self.env.now
        self._registered_at.append(now)
        self._comms.take(c)

    def _comms_start(self, c: Complaint) -> None:
        c.comms_start = self.env.now
        Timeout(self.env, self._comms_time(), c).callbacks.append(self._comms_done)

    def _comms_done(self, event: simpy.Event) -> None:
        c = cast(Complaint, event.value)
        self._comms.done()
        self._close(c)
        self._answered += 1
        self.log.complaints.append(
            c.arrive, c.hotline_start, c.queued, c.comms_start, self.env.now, c.channel, c.severity, ANSWERED
        )

    def _close(self, c: Complaint) -> None:
        """Mark ``c`` closed; :meth:`close_hour` drops the closed from the open list now and then."""
        c.closed = True
        self._closed_in_open += 1
