"""The drill's clock, free of any widget: runs a session in slices and says when to pause.

The console calls :meth:`Driver.tick` from a timer; each tick advances the simulated clock by
``speed`` times the wall time since the previous tick, so the clock keeps its nominal speed when
the machine is busy (the event log does not depend on how the clock is sliced). The driver reads
the drill only through the session's view (:class:`~simulator.drill.DrillView`): :meth:`Driver.drain`
takes the view from its feed cursor and hands back an :class:`Update` — the new events, and the
reasons to pause: an inject fired, or a duty that a trainee answers for is about to fall due.
Ticks may outrun drains (the UI coalesces its refreshes); nothing is lost, as a drain takes
everything since the last one.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field

from simulator.drill import AUTO_ACTOR, DrillSession, DrillView, DutyView
from simulator.model import MINUTES_PER_HOUR
from simulator.record import DecisionMade, Event, Hourly, ObligationOpened, event_from_record

from .settings import SPEEDS, Settings

HISTORY_H = 48
"""Hours of complaint counts the dashboard's sparkline shows."""
MAX_CATCH_UP = 3
"""A late tick advances at most this many ticks' worth of simulated time."""
INJECT_EPS = 1e-6
"""Simulated minutes a slice runs past an inject's time: the inject (and everything else due at
that moment) has happened, and a decision taken now is journaled after it, so that replaying the
journal gives the same order of events."""


@dataclass
class Update:
    """What happened since the last drain."""

    events: list[Event]
    due_soon: list[DutyView] = field(default_factory=list)
    """Trainees' duties that came within the auto-pause window of their due time."""
    overdue: list[DutyView] = field(default_factory=list)
    """Trainees' duties that passed their due time unmet."""
    stopped: str | None = None
    """``inject`` or ``due`` when auto-pause stopped the running clock."""


class Driver:
    """Paces a drill session and keeps the running figures the dashboard shows."""

    def __init__(self, session: DrillSession, settings: Settings) -> None:
        self.session = session
        self.plan = session.plan
        self.tick_s = settings.tick_s
        self.step_min = settings.step_min
        self.speed = settings.speed
        self.running = False
        self.auto_pause = settings.auto_pause
        self.pause_due_min = settings.pause_due_min
        self.arrivals: deque[int] = deque(maxlen=HISTORY_H)
        """Complaints per hour, oldest first."""
        self.last_hour: Hourly | None = None
        self.abandoned_total = 0
        self.opened: dict[int, ObligationOpened] = {}
        """Every duty opened so far, by oid."""
        self.mine: set[int] = set()
        """Sequence numbers of the trainees' decisions."""
        self._warned: set[int] = set()
        self._overdue: set[int] = set()
        self._stopped: str | None = None
        self._inject_times = sorted(i.at_h * MINUTES_PER_HOUR for i in session.scenario.injects if i.timed)
        self.view: DrillView = session.view()
        """The drill as last drained."""
        self.history = self._absorb([event_from_record(r) for r in self.view.feed])
        """Events logged before the UI attached (a resumed session's replay)."""

    @property
    def now(self) -> float:
        """The simulated time in minutes."""
        return self.session.now

    @property
    def finished(self) -> bool:
        """Whether the clock has reached the scenario's end."""
        return self.session.finished

    def current(self) -> DrillView:
        """The drill as it stands now, without taking the feed (what a form opened now should show)."""
        return self.session.view(self.view.cursor)

    def yours(self, duty: DutyView) -> bool:
        """Whether a trainee answers for this duty."""
        return duty.role in self.view.holders

    def faster(self) -> None:
        """The next clock speed up."""
        self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]

    def slower(self) -> None:
        """The next clock speed down."""
        self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]

    def tick(self, wall_s: float | None = None) -> bool:
        """Advance one slice if the clock runs; False when it is paused or the scenario is over.

        The slice is ``speed × wall_s`` simulated seconds: ``wall_s`` is the wall time since the
        last tick (so the clock keeps its speed when ticks come late), ``tick_s`` by default and
        at most ``MAX_CATCH_UP`` ticks' worth. With auto-pause on, a slice that would pass an
        inject ends just after it (by :data:`INJECT_EPS`), so the clock stops at the inject's time.
        """
        if not self.running or self.finished:
            return False
        wall = self.tick_s if wall_s is None else min(wall_s, MAX_CATCH_UP * self.tick_s)
        target = self.now + self.speed * wall / 60.0
        at_inject = False
        if self.auto_pause:
            i = bisect.bisect_left(self._inject_times, self.now)
            if i < len(self._inject_times) and self._inject_times[i] < target:
                target, at_inject = self._inject_times[i] + INJECT_EPS, True
        self.session.advance(target)
        if at_inject:
            self._stop("inject")
        return True

    def step(self) -> None:
        """Advance one manual step."""
        self.session.advance(self.now + self.step_min)

    def drain(self) -> Update:
        """What happened since the last drain: events, pause reasons, duties newly overdue.

        An inject stops the clock in the tick that reaches it (see :meth:`tick`); a trainee's duty
        due within ``pause_due_min`` stops it here, once per duty.
        """
        self.view = self.session.view(self.view.cursor)
        events = self._absorb([event_from_record(r) for r in self.view.feed])
        now = self.view.t
        due_soon, overdue = [], []
        for duty in self.view.duties:
            if not self.yours(duty):
                continue
            if duty.due < now and duty.oid not in self._overdue:
                self._overdue.add(duty.oid)
                overdue.append(duty)
            if duty.due - now <= self.pause_due_min and duty.oid not in self._warned:
                self._warned.add(duty.oid)
                if duty.due >= now:
                    due_soon.append(duty)
        if due_soon:
            self._stop("due")
        stopped, self._stopped = self._stopped, None
        return Update(events, due_soon, overdue, stopped)

    def _stop(self, why: str) -> None:
        if self.auto_pause and self.running:
            self.running = False
            self._stopped = why

    def _absorb(self, events: list[Event]) -> list[Event]:
        for e in events:
            if isinstance(e, Hourly):
                self.arrivals.append(e.arrivals)
                self.abandoned_total += e.abandoned
                self.last_hour = e
            elif isinstance(e, ObligationOpened):
                self.opened[e.oid] = e
            elif isinstance(e, DecisionMade) and e.actor != AUTO_ACTOR:
                self.mine.add(e.seq)
        return events
