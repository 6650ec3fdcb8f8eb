"""The plan's timed team targets and whether a run met them.

A team target is a timed duty of the plan that a team's capacity decides rather than a decision:
one met by a team task (TEAM-VERIFY's reports, TEAM-SUPPLY's list), by a callback campaign
(TEAM-COMMS's first round, WARN-1) or by a share of complaints answered in time (TEAM-COMMS's 90%
in 7 days). They are read from the plan's obligations by the kind of their ``met_by``, never by
rule ID, so a plan file with other targets needs no code change.

Whether a run met them is read from its event log through :func:`simulator.score.scoring.score`, so a
SimPy engine run and a kernel replication are judged by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import MetByAnswered, MetByCallbacks, MetByTask, Plan, Text
from ..record import EventLog, ObligationOpened
from .scoring import score


@dataclass(frozen=True)
class Target:
    """A timed team target of the plan."""

    key: str
    """Unique, readable name: the rule ID and what meets it, e.g. ``TEAM-COMMS/answered-90%-168h``."""
    index: int
    """Position of the duty in the plan's obligations."""
    rule: str
    section: str
    name: Text
    owner: str
    """The team that owes it."""
    kind: str
    """``task``, ``callbacks`` or ``answered_fraction``."""


def team_targets(plan: Plan) -> list[Target]:
    """Every duty of ``plan`` met by a task, a callback campaign or an answered share, in plan order."""
    out: list[Target] = []
    for index, ob in enumerate(plan.obligations):
        met_by = ob.met_by
        if isinstance(met_by, MetByTask):
            kind, what = "task", met_by.task
        elif isinstance(met_by, MetByCallbacks):
            kind, what = "callbacks", "callbacks"
        elif isinstance(met_by, MetByAnswered):
            kind, what = "answered_fraction", f"answered-{100 * met_by.answered_fraction:g}%-{met_by.within_h:g}h"
        else:
            continue  # met by an action: a decision's duty, not a team target
        key = f"{ob.rule}/{what}"
        if any(t.key == key for t in out):
            key = f"{key}#{index}"
        out.append(Target(key, index, ob.rule, ob.section, ob.name, ob.owner, kind))
    return out


def select(targets: list[Target], wanted: Iterable[str]) -> list[Target]:
    """The targets named by rule ID or key; all of them when ``wanted`` is empty.

    Raises ``ValueError`` naming the known targets when a name matches none.
    """
    names = list(wanted)
    if not names:
        return targets
    chosen = [t for t in targets if t.rule in names or t.key in names]
    unknown = [n for n in names if not any(n in (t.rule, t.key) for t in targets)]
    if unknown:
        known = ", ".join(t.key for t in targets)
        raise ValueError(f"no timed team target '{unknown[0]}'; the plan's targets are: {known}")
    return chosen


def evaluate(log: EventLog, plan: Plan, targets: list[Target]) -> dict[str, bool | None]:
    """Whether each target held in the run of ``log``.

    True when every instance of it that counted was met on time, False when one was late or
    missed, None when none counted (never opened, cancelled, or not yet due at the end).
    """
    index_of = {e.oid: e.index for e in log.of(ObligationOpened)}
    by_index: dict[int, list[str]] = {}
    for duty in score(log, plan).duties:
        by_index.setdefault(index_of[duty.oid], []).append(duty.status)
    out: dict[str, bool | None] = {}
    for t in targets:
        scored = [s for s in by_index.get(t.index, []) if s in ("met", "late", "missed")]
        out[t.key] = all(s == "met" for s in scored) if scored else None
    return out
