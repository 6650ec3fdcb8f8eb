"""The library of bundled scenarios: what each drill is, how long, how hard, which rules it uses.

The rules a scenario exercises are read from its data and the plan, without running it: the
rules of the levels on its prescribed path and of the changes between them, and the duties its
design opens — by those levels, by its inject kinds, by opening the event, by a warning it
expects, by inject values that make a duty's condition hold, or (for duties opened by finished
team work) by expecting the action that meets them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import NO_LEVEL, WARNING, MetByAction, Obligation, Plan, Problem, Scenario, Text, ValidationFailed, atoms, holds
from .loader import DEFAULT_PLAN, load_scenario, scenarios_dir


@dataclass(frozen=True)
class Entry:
    """One scenario of the library."""

    id: str
    path: Path
    title: Text
    difficulty: str
    horizon_days: float
    injects: int
    level_path: tuple[str, ...]
    """The prescribed path: ``warning`` first when the scenario expects one, then its levels."""
    rules: tuple[str, ...]
    """Rule IDs the scenario exercises, in rule order."""

    def as_json(self) -> dict[str, Any]:
        """The entry as plain JSON data."""
        return {
            "id": self.id,
            "path": str(self.path),
            "title": {"zh": self.title.zh, "en": self.title.en},
            "difficulty": self.difficulty,
            "horizon_days": self.horizon_days,
            "injects": self.injects,
            "level_path": list(self.level_path),
            "rules": list(self.rules),
        }


def bundled() -> list[Path]:
    """The bundled scenario files, by name (the bundled plan left out)."""
    return sorted(p for p in scenarios_dir().glob("*.yaml") if p.name != DEFAULT_PLAN)


def rule_key(rule: str) -> tuple[str, int, str, str]:
    """Sort key for rule IDs: ``REPORT-2`` before ``REPORT-10``.

    The trailing number compares by its count of digits, then its digits: numeric order without
    ``int()``, which refuses more than 4300 digits, and in linear time whatever a plan file names a rule.
    """
    head = rule.rstrip("0123456789")
    number = rule[len(head) :].lstrip("0")
    if len(head) == len(rule):
        return (rule, 0, "", rule)
    return (head.removesuffix("-"), len(number), number, rule)


def expected_actions(scenario: Scenario) -> set[str]:
    """Every action the scenario's injects expect."""
    return {a for inj in scenario.injects for a in inj.expected}


def level_path(scenario: Scenario) -> tuple[str, ...]:
    """The prescribed path, with ``warning`` first when an inject expects the warning to start."""
    warned = "issue_warning" in expected_actions(scenario)
    return ((WARNING,) if warned else ()) + tuple(scenario.expected_levels)


def rules_exercised(plan: Plan, scenario: Scenario) -> tuple[str, ...]:
    """Rule IDs the scenario's level path, injects and expected actions bring into play."""
    rules: set[str] = set()
    previous = NO_LEVEL
    for level in scenario.expected_levels:
        rules.add(plan.level(level).rule)
        if plan.rank(level) > plan.rank(previous) and plan.choices.passive_trigger == "automatic":
            rules.add("ACTIVATE-1")
        elif (t := plan.allows(previous, level)) is not None:
            rules.add(t.rule)
        previous = level
    actions = expected_actions(scenario)
    if "issue_warning" in actions:
        rules.add(plan.warning.rule)
    if actions & {"lifting_assessment", "lift_warning"}:
        rules.add(plan.warning.lift_rule)
    if "stand_down" in actions:
        rules.update(plan.stand_down.rules)
    rules.update(ob.rule for ob in plan.obligations if _opened(plan, scenario, ob, actions))
    return tuple(sorted(rules, key=rule_key))


def _opened(plan: Plan, scenario: Scenario, ob: Obligation, actions: set[str]) -> bool:
    """Whether the scenario, as designed, opens the duty ``ob``."""
    trig = ob.trigger
    levels = set(scenario.expected_levels)
    if trig.on in ("response_start", "level_entered"):
        return bool(levels) and (trig.levels is None or bool(set(trig.levels) & levels))
    if trig.on == "inject":
        return any(inj.kind == trig.inject for inj in scenario.injects)
    if trig.on == "event_open":
        return any(inj.set.get("event_open") is True for inj in scenario.injects)
    if trig.on in ("warning_start", "warning_end"):
        return "issue_warning" in actions
    if trig.on == "condition" and trig.when is not None:
        ordinals = plan.ordinals()
        return any(
            holds(atom, {atom.indicator: value}, ordinals)
            for inj in scenario.injects
            for atom in atoms(trig.when)
            if (value := inj.set.get(atom.indicator)) is not None
        )
    return isinstance(ob.met_by, MetByAction) and ob.met_by.action[0] in actions


def entry(plan: Plan, path: Path) -> Entry:
    """Load one scenario file as a library entry."""
    sc = load_scenario(path, plan)
    return Entry(
        sc.id,
        path,
        sc.title,
        sc.difficulty,
        sc.horizon_days,
        len(sc.injects),
        level_path(sc),
        rules_exercised(plan, sc),
    )


def catalogue(plan: Plan, paths: Iterable[Path] | None = None) -> tuple[list[Entry], list[Problem]]:
    """Entries for the scenario files (the bundled ones by default) and the problems of any that fail to load."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in bundled() if paths is None else paths:
        try:
            entries.append(entry(plan, path))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    return entries, problems
