"""Batch runs: one scenario, one seed, a set of decision makers, to a finished log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .decisions import Decision
from .engine import Engine
from .log import EventLog
from .plan import Plan
from .policies import AutoResponder, replay
from .scenario import Scenario
from .scoring import Score, score
from .summary import summarize


@dataclass
class RunResult:
    """A finished run: its log, score and summary."""

    log: EventLog
    score: Score
    summary: dict[str, Any]

    def write(self, out: Path) -> None:
        """Write ``events.jsonl`` and ``summary.json`` into ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        self.log.write(out / "events.jsonl")
        (out / "summary.json").write_text(json.dumps(self.summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def run(
    plan: Plan,
    scenario: Scenario,
    *,
    seed: int | None = None,
    staff: Mapping[str, int] | None = None,
    decisions: Iterable[Decision] = (),
    auto_roles: Iterable[str] | None = None,
) -> RunResult:
    """Run ``scenario`` to its horizon.

    The auto-responder acts for ``auto_roles`` (all roles by default) and the recorded
    ``decisions`` are replayed at their times.
    """
    engine = Engine(plan, scenario, seed=seed, staff=staff)
    AutoResponder(engine, auto_roles)
    replay(engine, decisions)
    log = engine.finish()
    result = score(log, plan)
    return RunResult(log, result, summarize(log, result))
