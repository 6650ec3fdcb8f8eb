"""What the plan checks share: the finding record and the plan under analysis with its marks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..load import LocPath, SourceDoc, iter_atoms
from ..model import AllOf, AnyOf, Atom, Plan, Text, Value

Condition = Atom | AnyOf | AllOf


@dataclass(frozen=True)
class Finding:
    """One hole or contradiction in the plan."""

    code: str
    """A stable code such as ``LEVEL-GAP``."""
    rules: tuple[str, ...]
    """The plan's rule IDs involved."""
    lines: tuple[int, ...]
    """Lines of the plan file the finding is about, the main one first."""
    message: Text
    examples: tuple[dict[str, Value], ...] = field(default=())
    """Indicator values that show the problem (for findings over the indicator space)."""
    file: str = ""
    """The file the lines are in, when it is not the plan file (a scenario's)."""

    def as_json(self) -> dict[str, Any]:
        """The finding as plain JSON data."""
        return {
            "code": self.code,
            "rules": list(self.rules),
            "lines": list(self.lines),
            "message": {"zh": self.message.zh, "en": self.message.en},
            "examples": [dict(e) for e in self.examples],
        } | ({"file": self.file} if self.file else {})


@dataclass(frozen=True)
class LocatedAtom:
    """A comparison inside one of the plan's conditions, with its place in the file."""

    loc: LocPath
    atom: Atom
    rule: str
    """The rule the enclosing condition belongs to ('' for a derived flag)."""
    part: str
    """What the condition is: ``level:L1``, ``scope``, ``warning``, ``derive:spread_risk``, ..."""


@dataclass(frozen=True)
class Context:
    """The plan under analysis and its source document."""

    plan: Plan
    doc: SourceDoc

    def line(self, loc: Sequence[str | int], key: bool = False) -> int:
        """The file line of ``loc`` (of its key with ``key=True``); 0 when unknown."""
        return self.doc.locate(loc, key=key).line or 0

    def lines(self, locs: Iterable[Sequence[str | int]]) -> tuple[int, ...]:
        """Distinct lines of several locations, the first given first."""
        return tuple(dict.fromkeys(n for loc in locs if (n := self.line(loc))))

    def conditions(self) -> Iterator[tuple[LocPath, Condition, str, str]]:
        """Every condition of the plan: (location, condition, rule, part)."""
        plan = self.plan
        for i, lv in enumerate(plan.levels):
            yield ("levels", i, "when"), lv.when, lv.rule, f"level:{lv.id}"
        yield ("scope",), plan.scope, plan.scope_rule, "scope"
        yield ("warning", "enter_when"), plan.warning.enter_when, plan.warning.rule, "warning"
        yield ("warning", "lift_when"), plan.warning.lift_when, plan.warning.lift_rule, "lift"
        yield ("stand_down", "when"), plan.stand_down.when, plan.stand_down.rules[0], "stand_down"
        for name, ind in plan.indicators.items():
            if ind.derive is not None:
                yield ("indicators", name, "derive"), ind.derive, "", f"derive:{name}"
        for i, ob in enumerate(plan.obligations):
            if ob.trigger.when is not None:
                yield ("obligations", i, "trigger", "when"), ob.trigger.when, ob.rule, f"obligation:{i}"

    def atoms(self) -> list[LocatedAtom]:
        """Every comparison in every condition of the plan, with its location."""
        return [
            LocatedAtom(loc, atom, rule, part)
            for where, cond, rule, part in self.conditions()
            for loc, atom in iter_atoms(cond, where)
        ]
