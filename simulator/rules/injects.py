"""When the injects of a scenario fire: fixed hours, conditions, delays, the facilitator's cues.

An inject fires at its hour, when a condition holds, after another inject or a decision, or when the
facilitator cues it. Both engines drive one :class:`Msel` per run with the same facts at the same instants and fire what
it says, so an inject fires at the same time in the SimPy engine and in the sweep kernel. An inject
is *reached* at its earliest time (``at_h``, or the delay after what its ``after`` waits for); a
reached inject still pending fires as soon as its ``when`` holds. The facts are the indicator
values, the level in force (``level``), the warning state (``warning``), and the decisions carried
out and duty outcomes the injects read (:meth:`Msel.note`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ..model import (
    LEVEL,
    MINUTES_PER_HOUR,
    WARNING_STATE,
    Atom,
    CueOp,
    Decided,
    DutyIs,
    InjectStatus,
    Plan,
    Predicate,
    Scenario,
    SimTime,
    Value,
    decision_key,
    outcome_key,
    when_predicate,
    when_terms,
)

Anchored = list[tuple[SimTime, int]]
"""Injects reached at a time: (when, index)."""


def when_ordinals(plan: Plan) -> dict[str, tuple[str, ...]]:
    """The value orders an inject's condition compares by: the plan's ordinals, and the levels by rank after ``none``."""
    return {**plan.ordinals(), LEVEL: plan.level_order()}


class Msel:
    """The injects of one run and what has become of each."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        self.injects = scenario.injects
        ordinals = when_ordinals(plan)
        self.status: list[InjectStatus] = ["pending"] * len(self.injects)
        self.fired: dict[int, SimTime] = {}
        """Time each fired inject fired."""
        self.facts: dict[str, Value] = {}
        """Decisions carried out and duty outcomes, as ``decision_key`` / ``outcome_key`` → True."""
        self.written = 0
        """Injects the facilitator has written so far (they take the indexes after the scenario's)."""
        self._tests: dict[int, Predicate] = {
            i: when_predicate(inj.when, ordinals) for i, inj in enumerate(self.injects) if inj.when is not None
        }
        self._after: dict[str, list[int]] = {}
        terms = [t for inj in self.injects if inj.when is not None for t in when_terms(inj.when)]
        self.duties = frozenset(t.duty for t in terms if isinstance(t, DutyIs))
        """Rule IDs whose duties' outcomes some inject reads."""
        self.watched = {key for t in terms if (key := _fact(t)) is not None}
        """The facts some inject reads (decisions and duty outcomes in a condition, what an ``after`` waits for)."""
        for i, inj in enumerate(self.injects):
            if inj.after is not None:
                self._after.setdefault(inj.after.key, []).append(i)
                self.watched.add(inj.after.key)
        self._waiting: set[int] = set()
        """Reached injects with a condition, still pending."""
        self._reached: set[int] = set()

    def starts(self) -> Anchored:
        """The injects that wait for nothing but their hour, with it."""
        return [(inj.at_h * MINUTES_PER_HOUR, i) for i, inj in enumerate(self.injects) if inj.after is None]

    def view(self, values: Mapping[str, Value], level: str, warning: bool) -> dict[str, Value]:
        """The facts an inject's condition reads, from the indicator values, the level and the warning state."""
        return {**values, LEVEL: level, WARNING_STATE: warning, **self.facts}

    @property
    def waiting(self) -> bool:
        """Whether a reached inject waits for its condition (the engines check again when a fact changes)."""
        return bool(self._waiting)

    def reach(self, index: int, facts: Mapping[str, Value]) -> bool:
        """Inject ``index`` has reached its earliest time: whether it fires now."""
        self._reached.add(index)
        if index in self._tests and self.status[index] == "pending":
            self._waiting.add(index)
        return self._ready(index, facts)

    def due(self, facts: Mapping[str, Value]) -> list[int]:
        """The reached injects whose condition holds now, in MSEL order."""
        return [i for i in sorted(self._waiting) if self._ready(i, facts)]

    def _ready(self, index: int, facts: Mapping[str, Value]) -> bool:
        test = self._tests.get(index)
        return self.status[index] == "pending" and index in self._reached and (test is None or test(facts))

    def fire(self, index: int, now: SimTime) -> Anchored:
        """Inject ``index`` fires now; return the injects that waited for it, with the times they are reached."""
        if index < len(self.injects):
            self.status[index] = "fired"
            self._waiting.discard(index)
        self.fired[index] = now
        inject_id = self.injects[index].id if index < len(self.injects) else None
        return self.note(f"inject:{inject_id}", now) if inject_id is not None else []

    def note(self, key: str, now: SimTime) -> Anchored:
        """A fact became true now (a decision carried out, an inject fired); return the injects that waited for it.

        Only the first time counts: ``after`` waits for the first.
        """
        if key not in self.watched or key in self.facts:
            return []
        self.facts[key] = True
        return [(max(self.injects[j].at_h * MINUTES_PER_HOUR, now + self._delay(j)), j) for j in self._after.get(key, [])]

    def _delay(self, index: int) -> float:
        after = self.injects[index].after
        return 0.0 if after is None else after.delay_h * MINUTES_PER_HOUR

    # the facilitator's cues

    def refusal(self, op: CueOp, index: int) -> InjectStatus | Literal["unknown", "not_held"] | None:
        """Why the facilitator cannot ``op`` inject ``index`` now (None: it can)."""
        if op == "write":
            return None
        if not 0 <= index < len(self.injects):
            return "unknown"
        status = self.status[index]
        if op == "release":
            return None if status == "held" else "not_held"
        if status == "fired" or (op == "hold" and status != "pending") or (op == "skip" and status == "skipped"):
            return status
        return None

    def cue(self, op: CueOp, index: int, facts: Mapping[str, Value]) -> bool:
        """Hold, release or skip inject ``index``; whether it fires now (a release of one whose time has come)."""
        if op == "hold":
            self.status[index] = "held"
            self._waiting.discard(index)
            return False
        if op == "skip":
            self.status[index] = "skipped"
            self._waiting.discard(index)
            return False
        self.status[index] = "pending"
        return self.reach(index, facts) if index in self._reached else False

    def write(self) -> int:
        """The index of a new written inject."""
        self.written += 1
        return len(self.injects) + self.written - 1


def _fact(term: Atom | Decided | DutyIs) -> str | None:
    """The fact key a term reads beyond the indicators, the level and the warning."""
    if isinstance(term, Decided):
        return decision_key(term.decision)
    return outcome_key(term.duty, term.is_) if isinstance(term, DutyIs) else None
