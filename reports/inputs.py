"""What a report is made from: a run or drill-session folder, and the comparison runs.

A folder holds ``events.jsonl`` and ``run.json`` (plus ``summary.json``, and ``journal.jsonl``
for a drill). The report reads the event log, the plan and the scenario; it scores the log and
summarises it with the simulator's own functions. Comparison runs — the auto-responder on the
same seed (for drills) and what-if staffing — are fresh runs of the same scenario and seed, in the
same world: the facilitator's cues (held, skipped, fired-now and written injects, read from the
journal) are replayed in them, so that what the facilitator did is never put down to the trainees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from simulator.batch import RunInfo, RunResult, run
from simulator.drill import cues_of
from simulator.model import Cue, Obligation, Plan, Scale, Scenario, Staffing, UserError, scale_roster, scaled
from simulator.record import EventLog, ObligationOpened
from simulator.score import RunSummary, Score, score, summarize

EVENTS = "events.jsonl"


@dataclass
class Inputs:
    """A run or drill session, loaded and scored."""

    folder: Path
    info: RunInfo
    plan: Plan
    scenario: Scenario
    log: EventLog
    score: Score
    summary: RunSummary
    written: date
    """The day the event log was written (UTC)."""
    obligation_of: dict[int, Obligation]
    """The plan obligation behind each obligation instance, by instance ID."""
    cues: tuple[Cue, ...] = ()
    """The facilitator's cues, from the session's journal (none for a batch run or a folder without a journal)."""

    @property
    def is_drill(self) -> bool:
        """Whether this is a drill session (trainees took decisions)."""
        return self.info.kind == "drill"


def load(folder: Path) -> Inputs:
    """Load, score and summarise a run or drill-session folder."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such run or drill-session folder")
    info = RunInfo.read(folder)
    plan, scenario = info.load()
    path = folder / EVENTS
    log = EventLog.read(path)
    if log.meta.plan_id != plan.id or log.meta.scenario_id != scenario.id:
        raise UserError(
            f"{path}: the log is of plan '{log.meta.plan_id}' and scenario '{log.meta.scenario_id}', "
            f"but run.json names plan '{plan.id}' and scenario '{scenario.id}'"
        )
    result = score(log, plan)
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    obligation_of = {e.oid: plan.obligations[e.index] for e in log.of(ObligationOpened)}
    cues = tuple(cues_of(folder))
    return Inputs(folder, info, plan, scenario, log, result, summarize(log, result), written, obligation_of, cues)


@dataclass(frozen=True)
class Variant:
    """A comparison run on the same seed."""

    kind: Literal["auto", "whatif"]
    changes: dict[str, Staffing]
    """The staff the user changed: people round the clock, or the roster scaled (empty for the auto-responder run)."""
    result: RunResult


def check_staff(plan: Plan, changes: Mapping[str, Staffing]) -> None:
    """Reject staff changes that name a team the plan does not have."""
    unknown = sorted(set(changes) - set(plan.teams))
    if unknown:
        raise UserError(f"--what-if: unknown team '{unknown[0]}'; the plan has: {', '.join(plan.teams)}")


def variants(inp: Inputs, what_if: Sequence[Mapping[str, Staffing]] = ()) -> list[Variant]:
    """The auto-responder on the same seed (drills only), then one run per what-if.

    Each ends when the run it is compared with ended: a drill ended early is compared over the same time.
    Each replays the facilitator's cues at their times: the exercise's world, not the trainees' decisions.
    A scaled team keeps the shape of its roster: the run's own staff for it, or its base staff and
    every shift, × the factor, rounded up.
    """
    out: list[Variant] = []
    seed, until, cues = inp.log.meta.seed, inp.log.meta.horizon, inp.cues
    if inp.is_drill:
        staff = inp.info.staff or None
        out.append(Variant("auto", {}, run(inp.plan, inp.scenario, seed=seed, staff=staff, cues=cues, until=until)))
    for changes in what_if:
        check_staff(inp.plan, changes)
        staff = {**inp.info.staff, **{t: n for t, n in changes.items() if isinstance(n, int)}}
        scales = {t: s for t, s in changes.items() if isinstance(s, Scale)}
        staff |= {t: scaled(staff[t], s.factor) for t, s in scales.items() if t in staff}
        scenario = scale_roster(inp.plan, inp.scenario, {t: s for t, s in scales.items() if t not in staff}, "--what-if")
        out.append(Variant("whatif", dict(changes), run(inp.plan, scenario, seed=seed, staff=staff, cues=cues, until=until)))
    return out
