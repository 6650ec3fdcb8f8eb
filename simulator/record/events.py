"""Typed, immutable records of what happened in a run.

Scoring, metrics, charts and reports read only these records (plus the plan and scenario).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import SimTime


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every record: when it happened."""

    t: SimTime


@dataclass(frozen=True, slots=True)
class InjectFired(Event):
    """An inject of the scenario's MSEL fired."""

    index: int
    kind: str


@dataclass(frozen=True, slots=True)
class InjectCued(Event):
    """The facilitator fired (now), held, released or skipped inject ``index`` of the scenario's MSEL."""

    index: int
    op: str
    by: str
    """The facilitator's seat."""


@dataclass(frozen=True, slots=True)
class InjectWritten(Event):
    """The facilitator wrote an inject; it fires at once (an ``InjectFired`` with this index follows)."""

    index: int
    """After the scenario's injects: the first written one has the index ``len(scenario.injects)``."""
    kind: str
    zh: str
    en: str
    roles: tuple[str, ...]
    """The plan roles it is addressed to (none: everyone)."""
    values: tuple[tuple[str, bool | float | str], ...]
    """Indicator values it sets."""
    by: str


@dataclass(frozen=True, slots=True)
class IndicatorChanged(Event):
    """An indicator took a new value."""

    name: str
    value: bool | float | str


@dataclass(frozen=True, slots=True)
class ImpliedLevel(Event):
    """The level the plan's conditions call for changed (``none``, ``warning`` or a level ID)."""

    level: str


@dataclass(frozen=True, slots=True)
class LevelChanged(Event):
    """The level in force changed."""

    src: str
    dst: str
    by: str
    """``auto`` for the plan's passive trigger, else the deciding role."""
    rule: str


@dataclass(frozen=True, slots=True)
class WarningChanged(Event):
    """The warning state started or ended."""

    active: bool
    by: str
    rule: str


@dataclass(frozen=True, slots=True)
class DecisionMade(Event):
    """A decision entered the port."""

    seq: int
    role: str
    actor: str
    """``auto`` for the auto-responder, else the trainee's name."""
    action: str
    params: tuple[tuple[str, str], ...]
    contents: tuple[str, ...]
    text: tuple[tuple[str, str], ...] = ()
    """The document's text by field, as its author wrote it; written to the log only when there is some."""


@dataclass(frozen=True, slots=True)
class DecisionRejected(Event):
    """A decision the plan or the situation did not allow."""

    seq: int
    action: str
    reason: str
    """Why, in English (see :mod:`simulator.record.reasons`)."""
    rule: str
    code: str = ""
    """The reason's code: empty in logs written before reasons had codes."""
    args: tuple[tuple[str, str], ...] = ()
    """The reason's arguments."""


@dataclass(frozen=True, slots=True)
class StepDone(Event):
    """One step of a decision's chain finished."""

    seq: int
    action: str
    team: str


@dataclass(frozen=True, slots=True)
class ActionDone(Event):
    """A decision's action completed."""

    seq: int
    action: str
    contents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ObligationOpened(Event):
    """A timed duty started to run."""

    oid: int
    index: int
    """Position of the obligation in the plan's list."""
    rule: str
    due: SimTime
    level: str


@dataclass(frozen=True, slots=True)
class ObligationMet(Event):
    """A duty was done (on time or late: compare ``t`` with the opening's ``due``)."""

    oid: int
    by_seq: int
    """The decision that met it; -1 when team work or a campaign met it."""
    missing: tuple[str, ...] = ()
    """Elements the duty requires that the decision's document did not carry (then it is incomplete);
    written to the log only when some are missing."""


@dataclass(frozen=True, slots=True)
class ObligationCancelled(Event):
    """A duty that was not yet due stopped applying (its response or warning ended)."""

    oid: int


@dataclass(frozen=True, slots=True)
class TaskChanged(Event):
    """A team task started or finished."""

    task: str
    done: bool


@dataclass(frozen=True, slots=True)
class CampaignChanged(Event):
    """A callback campaign started (``size`` complainants) or finished."""

    cid: int
    trigger: str
    size: int
    done: bool


@dataclass(frozen=True, slots=True)
class StaffChanged(Event):
    """A team's staff on duty changed."""

    team: str
    staff: int


@dataclass(frozen=True, slots=True)
class Hourly(Event):
    """An hourly snapshot of the complaint stream and the teams."""

    arrivals: int
    answered: int
    abandoned: int
    backlog: tuple[int, ...]
    """Waiting work per team, in the order of ``Meta.teams``."""
    staff: tuple[int, ...]
    """Staff on duty per team during the hour."""
    busy: tuple[float, ...]
    """People-minutes worked per team during the hour."""
    heat: float
    growth_pct: float


@dataclass(frozen=True, slots=True)
class RunEnded(Event):
    """The run reached its horizon."""


SPARSE = frozenset({"text", "missing"})
"""Fields a log line holds only when they are not empty, so logs without them read and write as before."""

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        InjectFired,
        InjectCued,
        InjectWritten,
        IndicatorChanged,
        ImpliedLevel,
        LevelChanged,
        WarningChanged,
        DecisionMade,
        DecisionRejected,
        StepDone,
        ActionDone,
        ObligationOpened,
        ObligationMet,
        ObligationCancelled,
        TaskChanged,
        CampaignChanged,
        StaffChanged,
        Hourly,
        RunEnded,
    )
}
