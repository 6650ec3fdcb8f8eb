"""What a drill's decisions cost: its outcomes beside the auto-responder's on the same seed, and why.

The comparison run is the auto-responder alone on the same scenario, plan, seed and staff, with the
facilitator's cues of the drill replayed (the exercise's world, not the trainees' decisions), ended
when the drill ended (``simulator.batch.run``; deterministic, so a report made twice says the
same). Each outcome is read from the two runs' logs and summaries:

========================= ========================================= ============ ========
outcome                   read from                                 unit         floor
========================= ========================================= ============ ========
abandoned calls           ``complaints.abandoned``                  calls        20
complaints arrived        ``complaints.arrived`` (heat feeds them)  complaints   20
still open at the end     ``complaints.open``                       complaints   20
answer time, p90          ``answer_time_h.p90``                     hours        1
hotline wait, p90         ``teams.hotline.wait_min.p90``            minutes      5
peak hotline backlog      ``teams.hotline.peak_backlog``            calls        10
peak comms backlog        ``teams.comms.peak_backlog``              complaints   10
peak opinion heat         the largest ``Hourly.heat`` of the log    heat index   5
========================= ========================================= ============ ========

A difference is **large** when it is at least the outcome's floor and at least
:data:`RELATIVE` (25%) of the auto-responder's value: ``|drill - auto| >= max(floor, 0.25 * |auto|)``.

A large difference is tied to the decisions behind it through what the engine lets each decision
change (``Engine._effect`` and the disclosure duties of the plan), never guessed:

- an outcome of a team depends on the actions that add people to it in the scenario
  (:func:`simulator.rules.reinforcement`: ``open_backup_hotline`` to the hotline,
  ``request_external_support`` to the team the scenario's external support goes to) and on staff
  moved to or from it;
- opinion heat, and the complaints it brings, depend on the plan's public-disclosure duties
  (done on time they damp heat, late or missed they feed it).

A lever is *behind* a difference when the two runs used it differently: an action done in one
run and not in the other, done later (by :data:`LATER_MIN` or more) in one, staff moved in one
run only, or a disclosure duty late or missed more often in one run. Each is named with its
times, role and who took it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Plan, Scenario
from ..record import ActionDone, DecisionMade, EventLog, Hourly
from ..rules import REINFORCING, reinforcement
from ..score import RunSummary, Score, duty_role

RELATIVE = 0.25
"""A large difference is at least this share of the auto-responder's value (and at least the floor)."""
LATER_MIN = 30.0
"""An action done this many minutes later than in the other run counts as taken later."""

Area = Literal["hotline", "comms", "heat"]


@dataclass(frozen=True)
class Outcome:
    """A measure compared across the two runs."""

    key: str
    path: str
    """Where it is read: a dotted path of ``summary.json``, or ``heat:peak``."""
    kind: str
    """How a report shows it (``int``, ``hours``, ``minutes``, ``plain``)."""
    floor: float
    area: Area


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("abandoned", "complaints.abandoned", "int", 20, "hotline"),
    Outcome("arrived", "complaints.arrived", "int", 20, "heat"),
    Outcome("open", "complaints.open", "int", 20, "comms"),
    Outcome("answer_p90", "answer_time_h.p90", "hours", 1, "comms"),
    Outcome("hotline_wait_p90", "teams.hotline.wait_min.p90", "minutes", 5, "hotline"),
    Outcome("hotline_backlog", "teams.hotline.peak_backlog", "int", 10, "hotline"),
    Outcome("comms_backlog", "teams.comms.peak_backlog", "int", 10, "comms"),
    Outcome("heat_peak", "heat:peak", "plain", 5, "heat"),
)


@dataclass(frozen=True)
class Side:
    """One of the two runs as the comparison reads it."""

    log: EventLog
    score: Score
    summary: RunSummary


@dataclass(frozen=True)
class ActionUse:
    """How the two runs used one action: when it was first done in each, by whom."""

    action: str
    role: str
    drill: tuple[float, str, int] | None
    """When it was first done in the drill, by whom, and its decision's sequence number."""
    auto: tuple[float, str, int] | None
    """The same in the auto-responder's run."""

    @property
    def how(self) -> Literal["never", "later", "only_drill", "earlier"]:
        """never: done by the auto-responder only; later/earlier: done later/earlier in the drill; only_drill."""
        if self.drill is None:
            return "never"
        if self.auto is None:
            return "only_drill"
        return "later" if self.drill[0] > self.auto[0] else "earlier"


@dataclass(frozen=True)
class Moved:
    """Staff moved to or from the outcome's team in the drill (the auto-responder moves none)."""

    t: float
    src: str
    dst: str
    n: int
    actor: str
    seq: int


@dataclass(frozen=True)
class Disclosure:
    """A disclosure rule late or missed more often in one run than in the other."""

    rule: str
    name: tuple[str, str]
    """(zh, en) of the duty."""
    role: str | None
    """The role that answers for the duty."""
    drill_bad: int
    auto_bad: int


Cause = ActionUse | Moved | Disclosure


@dataclass(frozen=True)
class Difference:
    """A large difference of one outcome and the decisions behind it."""

    outcome: Outcome
    drill: float
    auto: float
    causes: tuple[Cause, ...]


def value(run: Side, path: str) -> float | None:
    """An outcome's value in a run (None where the run has none, e.g. no hotline)."""
    if path == "heat:peak":
        return max((h.heat for h in run.log.of(Hourly)), default=0.0)
    node: object = run.summary.to_json()
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return float(node) if isinstance(node, int | float) else None


def is_large(outcome: Outcome, drill: float, auto: float) -> bool:
    """Whether the difference passes the outcome's floor and :data:`RELATIVE` of the auto-responder's value."""
    return abs(drill - auto) >= max(outcome.floor, RELATIVE * abs(auto))


def differences(drill: Side, auto: Side, plan: Plan, scenario: Scenario) -> list[Difference]:
    """Every large difference between the drill and the auto-responder's run, with the decisions behind it."""
    out = []
    for outcome in OUTCOMES:
        a, b = value(drill, outcome.path), value(auto, outcome.path)
        if a is None or b is None or not is_large(outcome, a, b):
            continue
        out.append(Difference(outcome, a, b, tuple(_causes(outcome.area, drill, auto, plan, scenario))))
    return out


def _causes(area: Area, drill: Side, auto: Side, plan: Plan, scenario: Scenario) -> list[Cause]:
    if area == "heat":
        return list(_disclosures(drill, auto, plan))
    levers = [a for a in REINFORCING if (more := reinforcement(a, scenario)) is not None and more.team == area]
    causes: list[Cause] = [u for a in levers if (u := _use(a, drill, auto, plan)) is not None]
    causes += [m for m in _moves(drill.log) if area in (m.src, m.dst)]
    return causes


def _done(log: EventLog, action: str) -> tuple[float, str, int] | None:
    """When ``action`` was first done in a log, by whom, and the sequence number of its decision."""
    actors = {e.seq: e.actor for e in log.of(DecisionMade)}
    return next(((e.t, actors[e.seq], e.seq) for e in log.of(ActionDone) if e.action == action), None)


def _use(action: str, drill: Side, auto: Side, plan: Plan) -> ActionUse | None:
    """How the runs differ in using ``action``; None when they used it alike."""
    mine, theirs = _done(drill.log, action), _done(auto.log, action)
    if mine is None and theirs is None:
        return None
    if mine is not None and theirs is not None and abs(mine[0] - theirs[0]) < LATER_MIN:
        return None
    return ActionUse(action, plan.actions[action].role, mine, theirs)


def _moves(log: EventLog) -> list[Moved]:
    done = {e.seq for e in log.of(ActionDone)}
    return [
        Moved(e.t, p["src"], p["dst"], int(p["n"]), e.actor, e.seq)
        for e in log.of(DecisionMade)
        if e.action == "move_staff" and e.seq in done
        for p in (dict(e.params),)
    ]


def _late_or_missed(run: Side, rule: str) -> int:
    return sum(d.rule == rule and d.status in ("late", "missed") for d in run.score.duties)


def _disclosures(drill: Side, auto: Side, plan: Plan) -> list[Disclosure]:
    out = []
    for rule in dict.fromkeys(ob.rule for ob in plan.obligations if ob.disclosure):
        a, b = _late_or_missed(drill, rule), _late_or_missed(auto, rule)
        if a != b:
            ob = next(ob for ob in plan.obligations if ob.rule == rule and ob.disclosure)
            out.append(Disclosure(rule, (ob.name.zh, ob.name.en), duty_role(plan, ob), a, b))
    return out
