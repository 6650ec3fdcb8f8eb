"""The indicator values of the moment and the level the plan's conditions imply from them."""

from __future__ import annotations

from collections.abc import Mapping

from .conditions import AllOf, AnyOf, Atom, Predicate, Value, predicate
from .plan import NO_LEVEL, Plan

WARNING = "warning"
"""The implied state when the warning conditions hold and no level's do."""


class Situation:
    """Indicator values; derived flags are true when set or when their condition holds."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.raw: dict[str, Value] = {k: v.initial for k, v in plan.indicators.items()}
        self._ordinals = plan.ordinals()
        derived = [(name, ind.derive) for name, ind in plan.indicators.items() if ind.derive is not None]
        self._derived = [(name, predicate(cond, self._ordinals)) for name, cond in derived]
        levels = sorted(plan.levels, key=lambda lv: -lv.rank)
        self._levels = [(lv.id, predicate(lv.when, self._ordinals)) for lv in levels]
        self._warning = predicate(plan.warning.enter_when, self._ordinals)
        self._tests: dict[int, tuple[Atom | AnyOf | AllOf, Predicate]] = {}
        """Conditions tested through :meth:`holds`, by identity, with their compiled predicates."""
        self.values: dict[str, Value] = {}
        self._refresh()

    def set(self, name: str, value: Value) -> list[tuple[str, Value]]:
        """Set an indicator; return the (name, value) pairs whose effective value changed."""
        return self.update({name: value})

    def update(self, values: Mapping[str, Value]) -> list[tuple[str, Value]]:
        """Set several indicators at once; return the (name, value) pairs whose effective value changed."""
        self.raw.update(values)
        return self._refresh()

    def _refresh(self) -> list[tuple[str, Value]]:
        raw, old = self.raw, self.values
        new = dict(raw)
        for name, derive in self._derived:
            if not new[name]:
                new[name] = derive(raw)
        changed = [(k, v) for k, v in new.items() if old.get(k) != v]
        self.values = new
        return changed

    def holds(self, cond: Atom | AnyOf | AllOf) -> bool:
        """Whether ``cond`` holds now; each condition is compiled once, on its first test."""
        known = self._tests.get(id(cond))
        if known is None or known[0] is not cond:
            known = self._tests[id(cond)] = (cond, predicate(cond, self._ordinals))
        return known[1](self.values)

    def implied(self) -> str:
        """The most severe level whose conditions hold, else ``warning`` or ``none``."""
        values = self.values
        for level, test in self._levels:
            if test(values):
                return level
        return WARNING if self._warning(values) else NO_LEVEL
