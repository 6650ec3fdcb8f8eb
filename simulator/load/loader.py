"""Load a plan and a scenario from YAML, validated, with every problem located in its file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from ..model import (
    NO_LEVEL,
    WARNING,
    AllOf,
    AnyOf,
    Atom,
    Indicator,
    MetByAction,
    MetByTask,
    Plan,
    Problem,
    Scenario,
    UserError,
    ValidationFailed,
)
from .yamlsource import SourceDoc, load_yaml, problem, validate

Loc = tuple[str | int, ...]

COMPUTED = frozenset(
    {"growth_pct", "day_over_day_pct", "complaints_drop_pct", "heat_drop_pct", "hours_since_growth", "hours_since_casualty"}
)
"""Indicators the engine computes from the complaint stream and the clock."""


def scenarios_dir() -> Path:
    """The folder of the bundled plan and scenarios."""
    return Path(str(resources.files("scenarios")))


DEFAULT_PLAN = "plan.yaml"
DEFAULT_SCENARIO = "refund_surge.yaml"


def load_plan(path: Path | None = None) -> Plan:
    """Load and check a plan file (the bundled default when ``path`` is None)."""
    doc = load_yaml(path or scenarios_dir() / DEFAULT_PLAN)
    plan = validate(Plan, doc)
    problems = list(_check_plan(plan, doc))
    if problems:
        raise ValidationFailed(problems)
    return plan


def load_scenario(path: Path | None, plan: Plan) -> Scenario:
    """Load a scenario file (the bundled default when None) and check it against ``plan``."""
    doc = load_yaml(path or scenarios_dir() / DEFAULT_SCENARIO)
    scenario = validate(Scenario, doc)
    problems = list(check_scenario(scenario, plan, doc))
    if problems:
        raise ValidationFailed(problems)
    return scenario


def resolve_scenario(name: str | None) -> Path:
    """A scenario path: a file path as given, or the name of a bundled scenario."""
    if name is None:
        return scenarios_dir() / DEFAULT_SCENARIO
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    bundled = scenarios_dir() / f"{name}.yaml"
    if not bundled.exists():
        names = [p.stem for p in scenarios_dir().glob("*.yaml") if p.name != DEFAULT_PLAN]
        raise UserError(f"{name}: no such file, and {unknown('bundled scenario', name, names, 'bundled are')}")
    return bundled


def iter_atoms(cond: Atom | AnyOf | AllOf, loc: Loc) -> Iterator[tuple[Loc, Atom]]:
    """Every atom of ``cond`` with its location path in the file, ``cond`` standing at ``loc``."""
    if isinstance(cond, AnyOf):
        for i, c in enumerate(cond.any):
            yield from iter_atoms(c, (*loc, "any", i))
    elif isinstance(cond, AllOf):
        for i, c in enumerate(cond.all):
            yield from iter_atoms(c, (*loc, "all", i))
    else:
        yield loc, cond


def _check_plan(plan: Plan, doc: SourceDoc) -> Iterator[Problem]:
    levels: dict[str, int] = {}
    for i, lv in enumerate(plan.levels):
        if lv.id in levels:
            yield problem(doc, ("levels", i, "id"), f"duplicate level id '{lv.id}' (first at levels[{levels[lv.id]}])")
        elif lv.id in (NO_LEVEL, WARNING):
            yield problem(doc, ("levels", i, "id"), f"'{lv.id}' names a state of the plan, not a level; choose another id")
        levels.setdefault(lv.id, i)
    states = set(levels) | {NO_LEVEL}
    conditions: list[tuple[Loc, Atom | AnyOf | AllOf]] = [(("scope",), plan.scope)]
    conditions += [(("levels", i, "when"), lv.when) for i, lv in enumerate(plan.levels)]
    conditions += [(("warning", "enter_when"), plan.warning.enter_when), (("warning", "lift_when"), plan.warning.lift_when)]
    conditions += [(("stand_down", "when"), plan.stand_down.when)]
    conditions += [(("indicators", k, "derive"), v.derive) for k, v in plan.indicators.items() if v.derive]
    conditions += [
        (("obligations", i, "trigger", "when"), ob.trigger.when) for i, ob in enumerate(plan.obligations) if ob.trigger.when
    ]
    for loc, cond in conditions:
        for aloc, atom in iter_atoms(cond, loc):
            message = atom_problem(plan, atom)
            if message:
                yield problem(doc, aloc, message)
    derived = {name for name, ind in plan.indicators.items() if ind.derive is not None}
    for name, ind in plan.indicators.items():
        for aloc, atom in iter_atoms(ind.derive, ("indicators", name, "derive")) if ind.derive else ():
            if atom.indicator in derived:
                message = (
                    f"'{atom.indicator}' is itself derived; a derive condition tests only indicators that are set or computed"
                )
                yield problem(doc, aloc, message)
        if ind.source == "computed" and name not in COMPUTED:
            yield problem(
                doc,
                ("indicators", name, "source"),
                f"the engine computes no indicator '{name}'; computed: {', '.join(sorted(COMPUTED))}",
            )
    if "event_open" not in plan.indicators or plan.indicators["event_open"].kind != "flag":
        yield problem(doc, ("indicators",), "the plan must declare the flag 'event_open' (a complaint event is open)", key=True)
    for i, t in enumerate(plan.transitions):
        for key, value in (("from", t.from_), ("to", t.to)):
            if value not in states:
                yield problem(doc, ("transitions", i, key), f"unknown level '{value}'")
    for name, action in plan.actions.items():
        if action.role not in plan.roles:
            yield problem(doc, ("actions", name, "role"), f"unknown role '{action.role}'")
        for j, step in enumerate(action.steps):
            if step.team not in plan.teams:
                yield problem(doc, ("actions", name, "steps", j, "team"), f"unknown team '{step.team}'")
        for j, element in enumerate(action.contents):
            if element not in plan.elements:
                message = unknown("element", element, plan.elements) if plan.elements else f"unknown element '{element}'"
                yield problem(doc, ("actions", name, "contents", j), f"{message} (name it under 'elements')")
        yield from _check_channels(plan, doc, name)
    for name, task in plan.tasks.items():
        if task.team not in plan.teams:
            yield problem(doc, ("tasks", name, "team"), f"unknown team '{task.team}'")
    for i in range(len(plan.obligations)):
        yield from _check_obligation(plan, doc, i, states)


def _check_channels(plan: Plan, doc: SourceDoc, name: str) -> Iterator[Problem]:
    channels = plan.actions[name].channels
    for level, listed in channels.by_level.items() if channels is not None else ():
        loc: Loc = ("actions", name, "channels", "by_level", level)
        if level not in {lv.id for lv in plan.levels}:
            yield problem(doc, loc, f"unknown level '{level}'", key=True)
        for j, channel in enumerate(listed):
            if channel not in plan.actions[name].contents:
                yield problem(doc, (*loc, j), f"action '{name}' carries no '{channel}'")


def atom_problem(plan: Plan, atom: Atom) -> str | None:
    """What is wrong with a comparison of one of ``plan``'s indicators (None: nothing)."""
    ind = plan.indicators.get(atom.indicator)
    if ind is None:
        return unknown("indicator", atom.indicator, plan.indicators)
    operand = atom.operand
    values = operand if isinstance(operand, list) else [operand]
    if ind.kind == "ordinal":
        bad = [v for v in values if v not in ind.values]
        if bad:
            return f"'{bad[0]}' is not a value of '{atom.indicator}' ({', '.join(ind.values)})"
    elif ind.kind == "flag" and (atom.op not in ("eq", "ne") or not isinstance(operand, bool)):
        return f"'{atom.indicator}' is a flag: compare it with eq/ne true or false"
    elif ind.kind == "number" and any(isinstance(v, (bool, str)) for v in values):
        return f"'{atom.indicator}' is a number: compare it with a number"
    return None


def _check_obligation(plan: Plan, doc: SourceDoc, i: int, states: set[str]) -> Iterator[Problem]:
    ob = plan.obligations[i]
    loc: Loc = ("obligations", i)
    if ob.owner not in plan.teams and ob.owner not in plan.roles:
        yield problem(doc, (*loc, "owner"), f"unknown team or role '{ob.owner}'")
    trig = ob.trigger
    for level in trig.levels or ():
        if level not in states:
            yield problem(doc, (*loc, "trigger", "levels"), f"unknown level '{level}'")
    if trig.on == "inject" and not trig.inject:
        yield problem(doc, (*loc, "trigger"), "an inject trigger needs 'inject' (the inject kind)")
    if trig.on == "task_done" and trig.task not in plan.tasks:
        yield problem(doc, (*loc, "trigger"), f"a task_done trigger needs a known 'task' (got {trig.task!r})")
    if trig.on == "condition" and trig.when is None:
        yield problem(doc, (*loc, "trigger"), "a condition trigger needs 'when'")
    for level in ob.due_by_level or {}:
        if level not in states:
            yield problem(doc, (*loc, "due_by_level", level), f"unknown level '{level}'", key=True)
    met_by = ob.met_by
    if isinstance(met_by, MetByAction):
        for name in met_by.action:
            action = plan.actions.get(name)
            if action is None:
                yield problem(doc, (*loc, "met_by", "action"), unknown("action", name, plan.actions))
                continue
            missing = [c for c in met_by.contents if c not in action.contents]
            if missing:
                yield problem(doc, (*loc, "met_by", "contents"), f"action '{name}' carries no '{missing[0]}'")
            if met_by.step is not None and met_by.step not in {s.team for s in action.steps}:
                yield problem(doc, (*loc, "met_by", "step"), f"action '{name}' has no step by team '{met_by.step}'")
    elif isinstance(met_by, MetByTask) and met_by.task not in plan.tasks:
        yield problem(doc, (*loc, "met_by", "task"), f"unknown task '{met_by.task}'")


def check_scenario(sc: Scenario, plan: Plan, doc: SourceDoc) -> Iterator[Problem]:
    """Cross-checks of a scenario against its plan (teams, tasks, indicators, roles, actions, what injects refer to)."""
    from .injects import check_injects  # it builds on this module's checks

    for name in sc.teams:
        if name not in plan.teams:
            yield problem(doc, ("teams", name), unknown("team", name, plan.teams), key=True)
    needs = {"hotline": ("handling",), "comms": ("handling", "callback")}
    if sc.complaints.channels.get("hotline", 0) <= 0:
        needs.pop("hotline")
    for team, parts in needs.items():
        setup = sc.teams.get(team)
        if setup is None:
            wanted = " and ".join(f"'{p}'" for p in parts)
            yield problem(doc, ("teams",), f"team '{team}' is missing; it needs {wanted} (distributions)", key=True)
            continue
        for part in parts:
            if getattr(setup, part) is None:
                yield problem(doc, ("teams", team), f"team '{team}' needs '{part}' (a distribution)", key=True)
    for name in sc.tasks:
        if name not in plan.tasks:
            yield problem(doc, ("tasks", name), unknown("task", name, plan.tasks), key=True)
    horizon_h = sc.horizon_days * 24
    for i, inj in enumerate(sc.injects):
        if inj.at_h > horizon_h:
            yield problem(doc, ("injects", i, "at_h"), f"{inj.at_h:g} h is after the scenario's horizon ({horizon_h:g} h)")
        for key, value in inj.set.items():
            ind = plan.indicators.get(key)
            if ind is None:
                settable = [k for k, v in plan.indicators.items() if v.source == "inject"]
                yield problem(doc, ("injects", i, "set", key), unknown("indicator", key, settable), key=True)
            elif ind.source == "computed":
                yield problem(
                    doc, ("injects", i, "set", key), f"'{key}' is computed by the engine; an inject cannot set it", key=True
                )
            elif not fits(ind.kind, ind.values, value):
                yield problem(doc, ("injects", i, "set", key), f"{value!r} is not a value of '{key}' ({_expected(ind)})")
        if inj.player is not None and inj.player not in plan.roles:
            yield problem(doc, ("injects", i, "player"), unknown("role", inj.player, plan.roles))
        for j, action in enumerate(inj.expected):
            if action not in plan.actions:
                yield problem(doc, ("injects", i, "expected", j), unknown("action", action, plan.actions))
    for action in sc.responder.latency_min:
        if action not in plan.actions:
            yield problem(doc, ("responder", "latency_min", action), unknown("action", action, plan.actions), key=True)
    media = plan.indicators.get("media")  # the indicator whose new level adds media_jump's heat (rules/pulse)
    for level in sc.opinion.media_jump:
        if media is None:
            yield problem(doc, ("opinion", "media_jump", level), "the plan has no 'media' indicator for it to follow", key=True)
        elif level not in media.values:
            yield problem(doc, ("opinion", "media_jump", level), unknown("media level", level, media.values), key=True)
    if sc.external is not None and sc.external.team not in plan.teams:
        yield problem(doc, ("external", "team"), unknown("team", sc.external.team, plan.teams))
    yield from check_injects(sc, plan, doc)
    levels = {lv.id for lv in plan.levels}
    for i, level in enumerate(sc.expected_levels):
        if level not in levels:
            yield problem(doc, ("expected_levels", i), unknown("level", level, levels))


def _expected(ind: Indicator) -> str:
    if ind.kind == "ordinal":
        return ", ".join(ind.values)
    return "true or false" if ind.kind == "flag" else "a number"


def fits(kind: str, values: list[str], value: object) -> bool:
    """Whether ``value`` is a value of an indicator of ``kind`` (an ordinal's ``values``)."""
    if kind == "flag":
        return isinstance(value, bool)
    if kind == "ordinal":
        return value in values
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def unknown(what: str, name: str, known: Iterable[str], among: str = "the plan has") -> str:
    """'unknown X': with a did-you-mean when a known name is close, else the list of known names."""
    names = sorted(str(k) for k in known)
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        return f"unknown {what} '{name}'; did you mean '{close[0]}'?"
    return f"unknown {what} '{name}'; {among}: {', '.join(names)}"
