"""Cross-checks of a scenario's injects against the plan and each other, each problem located in the file.

What their conditions and ``after`` refer to must exist: indicators (and ``level``, ``warning``),
levels, actions, duties' rule IDs, other injects' ids.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import (
    LEVEL,
    WARNING_STATE,
    AllWhen,
    AnyWhen,
    Atom,
    Decided,
    DutyIs,
    Indicator,
    Plan,
    Problem,
    Scenario,
    Text,
)
from .loader import Loc, atom_problem, unknown
from .yamlsource import SourceDoc, problem

Term = Atom | Decided | DutyIs | AnyWhen | AllWhen


def iter_terms(cond: Term, loc: Loc) -> Iterator[tuple[Loc, Atom | Decided | DutyIs]]:
    """Every term of an inject's condition with its location path, ``cond`` standing at ``loc``."""
    if isinstance(cond, AnyWhen | AllWhen):
        key, members = ("any", cond.any) if isinstance(cond, AnyWhen) else ("all", cond.all)
        for i, c in enumerate(members):
            yield from iter_terms(c, (*loc, key, i))
    else:
        yield loc, cond


def with_state(plan: Plan) -> Plan:
    """``plan`` with ``level`` and ``warning`` among its indicators, as an inject's condition reads them."""
    state = {
        LEVEL: Indicator(name=Text(zh="响应级别", en="level"), kind="ordinal", values=list(plan.level_order()), initial="none"),
        WARNING_STATE: Indicator(name=Text(zh="预警状态", en="warning"), kind="flag", initial=False),
    }
    return plan.model_copy(update={"indicators": {**plan.indicators, **state}})


def check_injects(sc: Scenario, plan: Plan, doc: SourceDoc) -> Iterator[Problem]:
    """Unknown names in the injects' conditions and ``after``; duplicate inject ids."""
    readable = with_state(plan)
    rules = {ob.rule for ob in plan.obligations}
    ids: dict[str, int] = {}
    for i, inj in enumerate(sc.injects):
        if inj.id is not None:
            if inj.id in ids:
                yield problem(doc, ("injects", i, "id"), f"inject id '{inj.id}' is taken by injects[{ids[inj.id]}]")
            ids.setdefault(inj.id, i)
    for i, inj in enumerate(sc.injects):
        for loc, term in iter_terms(inj.when, ("injects", i, "when")) if inj.when is not None else ():
            if isinstance(term, Decided) and term.decision not in plan.actions:
                yield problem(doc, (*loc, "decision"), unknown("action", term.decision, plan.actions))
            elif isinstance(term, DutyIs) and term.duty not in rules:
                yield problem(doc, (*loc, "duty"), unknown("duty (rule ID)", term.duty, rules))
            elif isinstance(term, Atom) and (message := atom_problem(readable, term)):
                yield problem(doc, loc, message)
        after = inj.after
        if after is not None and after.decision is not None and after.decision not in plan.actions:
            yield problem(doc, ("injects", i, "after", "decision"), unknown("action", after.decision, plan.actions))
        if after is not None and after.inject is not None and after.inject not in ids:
            yield problem(doc, ("injects", i, "after", "inject"), unknown("inject id", after.inject, ids, "the scenario has"))
