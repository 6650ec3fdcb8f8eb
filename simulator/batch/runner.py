"""Batch runs: one scenario, one seed, a set of decision makers, to a finished log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic

from ..engine import AutoResponder, Engine, replay
from ..load import load_plan, load_scenario
from ..model import Cue, Decision, Plan, Scenario, Seed, Staff, Strict, UserError, first_problem, read_input
from ..record import EventLog
from ..score import RunSummary, Score, score, summarize

RUN_INFO = "run.json"


MAX_RUN_INFO = 2**20
"""The largest ``run.json`` read (one holds a few paths, staff numbers and trainee names)."""


class _Trainee(Strict):
    name: Annotated[str, pydantic.Field(min_length=1)]
    roles: list[str]


class _RunFile(Strict):
    """``run.json`` as :meth:`RunInfo.write` writes it."""

    scenario: Annotated[str, pydantic.Field(min_length=1)]
    plan: Annotated[str, pydantic.Field(min_length=1)] | None
    seed: Seed
    staff: dict[str, Staff] = pydantic.Field(default_factory=dict)
    kind: Literal["run", "drill"] = "run"
    trainees: list[_Trainee] = pydantic.Field(default_factory=list)


@dataclass(frozen=True)
class RunInfo:
    """What a run folder was made from, so that reports can reload its plan and scenario."""

    scenario: str
    """Path of the scenario file; a relative path is inside the run folder (read resolves it)."""
    plan: str | None
    """Path of the plan file, likewise; None for the bundled plan."""
    seed: int
    staff: dict[str, int] = field(default_factory=dict)
    kind: str = "run"
    """``run`` for a batch run, ``drill`` for a drill session."""
    trainees: list[dict[str, Any]] = field(default_factory=list)
    """For drills: ``{"name": ..., "roles": [...]}`` per trainee."""

    def write(self, out: Path) -> None:
        """Write ``run.json`` into ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        (out / RUN_INFO).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> RunInfo:
        """Read ``run.json`` from a run or session folder; anything but what :meth:`write` writes is an error naming it.

        Relative paths in it are paths inside the folder.
        """
        path = folder / RUN_INFO
        if not path.exists() and not path.is_symlink():
            raise UserError(f"{folder}: not a run or drill-session folder (no {RUN_INFO})")
        try:
            rec = _RunFile.model_validate_json(read_input(path, MAX_RUN_INFO))
        except pydantic.ValidationError as exc:
            raise UserError(f"{path}: not a run record ({first_problem(exc)})") from None
        info = cls(**rec.model_dump())
        plan = None if info.plan is None else str(folder / info.plan)
        return replace(info, scenario=str(folder / info.scenario), plan=plan)

    def load(self) -> tuple[Plan, Scenario]:
        """The plan and scenario this run was made from."""
        plan = load_plan(Path(self.plan) if self.plan else None)
        return plan, load_scenario(Path(self.scenario), plan)


@dataclass
class RunResult:
    """A finished run: its log, score and summary."""

    log: EventLog
    score: Score
    summary: RunSummary

    def write(self, out: Path, info: RunInfo | None = None) -> None:
        """Write ``events.jsonl``, ``summary.json`` and, given ``info``, ``run.json`` into ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        self.log.write(out / "events.jsonl")
        (out / "summary.json").write_text(
            json.dumps(self.summary.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        if info is not None:
            info.write(out)


def run(
    plan: Plan,
    scenario: Scenario,
    *,
    seed: int | None = None,
    staff: Mapping[str, int] | None = None,
    decisions: Iterable[Decision] = (),
    cues: Iterable[Cue] = (),
    auto_roles: Iterable[str] | None = None,
    until: float | None = None,
) -> RunResult:
    """Run ``scenario`` to its horizon, or end it at ``until``.

    The auto-responder acts for ``auto_roles`` (all roles by default) and the recorded
    ``decisions`` and facilitator's ``cues`` are replayed at their times.
    """
    engine = Engine(plan, scenario, seed=seed, staff=staff)
    AutoResponder(engine, auto_roles)
    replay(engine, decisions, cues)
    log = engine.finish(until)
    result = score(log, plan)
    return RunResult(log, result, summarize(log, result))
