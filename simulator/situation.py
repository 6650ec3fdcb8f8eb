"""The indicator values of the moment and the level the plan's conditions imply from them."""

from __future__ import annotations

from .conditions import AllOf, AnyOf, Atom, Value, holds
from .plan import NO_LEVEL, Plan

WARNING = "warning"
"""The implied state when the warning conditions hold and no level's do."""


class Situation:
    """Indicator values; derived flags are true when set or when their condition holds."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.raw: dict[str, Value] = {k: v.initial for k, v in plan.indicators.items()}
        self._ordinals = plan.ordinals()
        self._levels = sorted(plan.levels, key=lambda lv: -lv.rank)
        self.values: dict[str, Value] = {}
        self._refresh()

    def set(self, name: str, value: Value) -> list[tuple[str, Value]]:
        """Set an indicator; return the (name, value) pairs whose effective value changed."""
        self.raw[name] = value
        return self._refresh()

    def _refresh(self) -> list[tuple[str, Value]]:
        new = dict(self.raw)
        for name, ind in self.plan.indicators.items():
            if ind.derive is not None and not new[name]:
                new[name] = holds(ind.derive, self.raw, self._ordinals)
        changed = [(k, v) for k, v in new.items() if self.values.get(k) != v]
        self.values = new
        return changed

    def holds(self, cond: Atom | AnyOf | AllOf) -> bool:
        """Whether ``cond`` holds now."""
        return holds(cond, self.values, self._ordinals)

    def implied(self) -> str:
        """The most severe level whose conditions hold, else ``warning`` or ``none``."""
        for lv in self._levels:
            if self.holds(lv.when):
                return lv.id
        return WARNING if self.holds(self.plan.warning.enter_when) else NO_LEVEL
