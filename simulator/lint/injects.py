"""Scenario checks: injects that can never fire (``INJECT-NEVER``).

An inject can never fire when no values its condition can see make the condition hold — it
contradicts itself, or it asks an indicator for a value that nothing sets (an indicator set only by
injects can take its initial value and the values the scenario's injects set; computed and derived
ones, the level, the warning, decisions and duty outcomes may take any) — when it waits for an
inject that never fires (or, round a cycle, for itself), or when its earliest time is past the
scenario's horizon. The values are over-approximated, so an inject reported never fires in any run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..load import LocPath, SourceDoc, load_plan, load_scenario, load_yaml
from ..model import (
    LEVEL,
    MINUTES_PER_HOUR,
    WARNING_STATE,
    Atom,
    Decided,
    DutyIs,
    Plan,
    Scenario,
    Text,
    Value,
    WhenTerm,
    decision_key,
    outcome_key,
    when_predicate,
    when_terms,
)
from ..rules import when_ordinals
from .base import Finding

MAX_CASES = 200_000
"""The most value combinations one condition is tried with; beyond, the condition is not judged."""


def lint_injects(plan_path: Path | None, scenario_path: Path) -> list[Finding]:
    """The injects of a scenario file that can never fire, each with the file's line of the inject."""
    plan = load_plan(plan_path)
    scenario = load_scenario(scenario_path, plan)
    return list(_never(plan, scenario, load_yaml(scenario_path), str(scenario_path)))


def _never(plan: Plan, sc: Scenario, doc: SourceDoc, file: str) -> Iterator[Finding]:
    impossible = {
        i: why for i, inj in enumerate(sc.injects) if inj.when is not None and (why := _unsatisfiable(plan, sc, inj.when))
    }
    ids = {inj.id: i for i, inj in enumerate(sc.injects) if inj.id is not None}
    horizon = sc.horizon_days * 24 * MINUTES_PER_HOUR
    earliest: dict[int, float | None] = {}

    def first(i: int, seen: frozenset[int]) -> float | None:
        """The earliest time inject ``i`` may fire; None if never."""
        if i in earliest:
            return earliest[i]
        inj = sc.injects[i]
        at: float | None = inj.at_h * MINUTES_PER_HOUR
        if i in impossible or i in seen:
            at = None
        elif inj.after is not None and inj.after.inject is not None:
            before = first(ids[inj.after.inject], seen | {i})
            at = None if before is None else max(at or 0.0, before + inj.after.delay_h * MINUTES_PER_HOUR)
        if not seen:
            earliest[i] = at
        return at

    for i, inj in enumerate(sc.injects):
        name = f"injects[{i}]" + (f" ({inj.id})" if inj.id else "")
        at = first(i, frozenset())
        if i in impossible:
            loc: LocPath = ("injects", i, "when")
            en, zh = (
                f"{name} can never fire: its condition {impossible[i].en}.",
                f"{name} 永远不会发出:其条件{impossible[i].zh}。",
            )
        elif at is None and inj.after is not None:
            loc = ("injects", i, "after")
            en = f"{name} can never fire: it waits for inject '{inj.after.inject}', which never fires."
            zh = f"{name} 永远不会发出:它等待的注入“{inj.after.inject}”永远不会发出。"
        elif at is not None and at > horizon:
            loc = ("injects", i, "after")
            hours, end = at / MINUTES_PER_HOUR, horizon / MINUTES_PER_HOUR
            en = f"{name} can never fire: its earliest time, {hours:g} h, is after the horizon ({end:g} h)."
            zh = f"{name} 永远不会发出:最早时间 {hours:g} 小时晚于场景结束({end:g} 小时)。"
        else:
            continue
        line = doc.locate(loc).line or doc.locate(("injects", i)).line or 0
        rules = tuple(sorted({t.duty for t in when_terms(inj.when) if isinstance(t, DutyIs)})) if inj.when else ()
        yield Finding("INJECT-NEVER", rules, (line,), Text(zh=zh, en=en), file=file)


def _unsatisfiable(plan: Plan, sc: Scenario, cond: WhenTerm) -> Text | None:
    """Why no reachable values make ``cond`` hold (None: some do, or too many cases to try)."""
    terms = when_terms(cond)
    names: list[str] = list(dict.fromkeys(_key(t) for t in terms))
    domains = [_domain(plan, sc, name, [t for t in terms if isinstance(t, Atom) and t.indicator == name]) for name in names]
    cases = 1
    for d in domains:
        cases *= len(d)
    if cases > MAX_CASES:
        return None
    test = when_predicate(cond, when_ordinals(plan))
    if any(test(dict(zip(names, values, strict=True))) for values in itertools.product(*domains)):
        return None
    narrowed = [(n, d) for n, d in zip(names, domains, strict=True) if _narrowed(plan, n)]
    if not narrowed:
        return Text(zh="自相矛盾", en="contradicts itself")
    shown = "; ".join(f"{n} ∈ {{{', '.join(_show(v) for v in d)}}}" for n, d in narrowed)
    return Text(zh=f"在可能的取值下都不成立({shown})", en=f"holds for none of the values the scenario can give ({shown})")


def _key(term: Atom | Decided | DutyIs) -> str:
    if isinstance(term, Decided):
        return decision_key(term.decision)
    return outcome_key(term.duty, term.is_) if isinstance(term, DutyIs) else term.indicator


def _narrowed(plan: Plan, name: str) -> bool:
    """Whether lint knows fewer values of ``name`` than it may take in general (an indicator only injects set)."""
    ind = plan.indicators.get(name)
    return ind is not None and ind.source == "inject" and ind.derive is None


def _domain(plan: Plan, sc: Scenario, name: str, atoms: Sequence[Atom]) -> list[Value]:
    """The values of ``name`` worth trying: every value it can reach, or a point in each stretch between thresholds."""
    if name == LEVEL:
        return list(plan.level_order())
    ind = plan.indicators.get(name)
    if name == WARNING_STATE or ind is None or (ind.kind == "flag" and not _narrowed(plan, name)):
        return [False, True]
    if _narrowed(plan, name):
        return list(dict.fromkeys([ind.initial, *(inj.set[name] for inj in sc.injects if name in inj.set)]))
    if ind.kind == "ordinal":
        return list(ind.values)
    cuts = sorted({float(a.operand) for a in atoms if a.op != "in"})
    points = [*cuts, *((a + b) / 2 for a, b in itertools.pairwise(cuts))]
    return [cuts[0] - 1, *points, cuts[-1] + 1] if cuts else [0.0]


def _show(value: Value) -> str:
    return str(value).lower() if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) else str(value)


def lint_scenarios(plan_path: Path | None, paths: Sequence[Path]) -> list[Finding]:
    """The never-firing injects of several scenario files, in file and line order."""
    return [f for path in paths for f in lint_injects(plan_path, path)]
