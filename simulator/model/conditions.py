"""Conditions over the plan's indicators: the little language of level thresholds.

A condition is an atom (``{indicator: growth_pct, ge: 300}``), an ``{any: [...]}`` or an
``{all: [...]}``. Ordinal indicators (injuries, media) compare by their position in the
indicator's declared list of values.

An inject's condition (:data:`When`) may test more than the indicators: the level in force and the
warning state (as the indicators ``level`` and ``warning``), a decision carried out or not
(``{decision: open_backup_hotline, taken: false}``) and a duty's outcome
(``{duty: REPORT-1, is: overdue}``). Those facts reach :func:`when_predicate` in the same mapping
as the indicator values, under the keys :func:`decision_key` and :func:`outcome_key`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from .base import Strict

Value = bool | float | str
"""The value of an indicator: a flag, a number or an ordinal level name."""

Op = Literal["gt", "ge", "lt", "le", "eq", "ne", "in"]


class Atom(Strict):
    """One comparison of one indicator with a value."""

    indicator: str
    """The indicator's name, as declared in the plan's ``indicators``."""
    gt: float | str | None = None
    ge: float | str | None = None
    lt: float | str | None = None
    le: float | str | None = None
    eq: bool | float | str | None = None
    ne: bool | float | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_op(self) -> Atom:
        given = [op for op in ("gt", "ge", "lt", "le", "eq", "ne", "in_") if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a condition on '{self.indicator}' needs exactly one of gt, ge, lt, le, eq, ne, in (got {len(given)})"
            )
        return self

    @property
    def op(self) -> Op:
        """The comparison this atom makes."""
        for op in ("gt", "ge", "lt", "le", "eq", "ne"):
            if getattr(self, op) is not None:
                return op
        return "in"

    @property
    def operand(self) -> Any:
        """The value compared against."""
        return self.in_ if self.op == "in" else getattr(self, self.op)


class AnyOf(Strict):
    """True when at least one member holds."""

    any: list[Condition]


class AllOf(Strict):
    """True when every member holds."""

    all: list[Condition]


def _kind(data: Any) -> str:
    if isinstance(data, Mapping):
        for key in ("any", "all"):
            if key in data:
                return key
        return "atom"
    if isinstance(data, AnyOf):
        return "any"
    if isinstance(data, AllOf):
        return "all"
    return "atom"


Condition = Annotated[
    Annotated[Atom, Tag("atom")] | Annotated[AnyOf, Tag("any")] | Annotated[AllOf, Tag("all")],
    Discriminator(_kind),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()

Ordinals = Mapping[str, tuple[str, ...]]
"""For each ordinal indicator, its values from lowest to highest."""


def _rank(ordinals: Ordinals, name: str, value: Value) -> float:
    if name in ordinals and isinstance(value, str):
        return float(ordinals[name].index(value))
    if isinstance(value, (bool, str)):
        raise TypeError(f"indicator '{name}' value {value!r} cannot be ordered")
    return float(value)


Predicate = Callable[[Mapping[str, Value]], bool]
"""A condition made ready to evaluate: a test of the indicator values."""

_COMPARE: dict[str, Callable[[float, float], bool]] = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


def predicate(cond: Atom | AnyOf | AllOf, ordinals: Ordinals) -> Predicate:
    """``cond`` as a function of the indicator values, for conditions tested again and again."""
    if isinstance(cond, AnyOf):
        anyof = [predicate(c, ordinals) for c in cond.any]
        return lambda values: any(p(values) for p in anyof)
    if isinstance(cond, AllOf):
        allof = [predicate(c, ordinals) for c in cond.all]
        return lambda values: all(p(values) for p in allof)
    name, op = cond.indicator, cond.op
    if op == "in":
        members = tuple(cond.in_ or ())
        return lambda values: values[name] in members
    if op == "eq":
        same = cond.eq
        return lambda values: bool(values[name] == same)
    if op == "ne":
        other = cond.ne
        return lambda values: bool(values[name] != other)
    compare, right = _COMPARE[op], _rank(ordinals, name, cond.operand)
    return lambda values: compare(_rank(ordinals, name, values[name]), right)


def holds(cond: Atom | AnyOf | AllOf, values: Mapping[str, Value], ordinals: Ordinals) -> bool:
    """Evaluate ``cond`` once against the current indicator ``values``."""
    return predicate(cond, ordinals)(values)


def atoms(cond: Atom | AnyOf | AllOf) -> list[Atom]:
    """Every atom inside ``cond``, in order."""
    if isinstance(cond, AnyOf):
        return [a for c in cond.any for a in atoms(c)]
    if isinstance(cond, AllOf):
        return [a for c in cond.all for a in atoms(c)]
    return [cond]


# -- the terms of an inject's condition -------------------------------------------------------------

LEVEL, WARNING_STATE = "level", "warning"
"""The names under which an inject's condition tests the level in force and the warning state."""

Outcome = Literal["met", "late", "overdue"]
"""A duty's outcome as a drill sees it: done by its due time, done after it, or its due time passed undone."""


class Decided(Strict):
    """A decision of the plan carried out (its action done), by anyone; ``taken: false``: not yet."""

    decision: str
    """The action, as named in the plan's ``actions``."""
    taken: bool = True


class DutyIs(Strict):
    """Some instance of a duty (by its rule ID) has had this outcome."""

    duty: str
    """The rule ID of one of the plan's obligations (``REPORT-1``)."""
    is_: Outcome = Field(alias="is")


class AnyWhen(Strict):
    """True when at least one member holds."""

    any: list[When]


class AllWhen(Strict):
    """True when every member holds."""

    all: list[When]


def _when_kind(data: Any) -> str:
    if isinstance(data, Mapping):
        return next((key for key in ("any", "all", "decision", "duty") if key in data), "atom")
    kinds: dict[type, str] = {AnyWhen: "any", AllWhen: "all", Decided: "decision", DutyIs: "duty"}
    return kinds.get(type(data), "atom")


When = Annotated[
    Annotated[Atom, Tag("atom")]
    | Annotated[Decided, Tag("decision")]
    | Annotated[DutyIs, Tag("duty")]
    | Annotated[AnyWhen, Tag("any")]
    | Annotated[AllWhen, Tag("all")],
    Discriminator(_when_kind),
]
"""An inject's condition: the plan's condition language with decision and duty terms."""
AnyWhen.model_rebuild()
AllWhen.model_rebuild()
WhenTerm = Atom | Decided | DutyIs | AnyWhen | AllWhen


def decision_key(action: str) -> str:
    """The key under which the facts say that ``action`` has been carried out."""
    return f"decision:{action}"


def outcome_key(rule: str, outcome: str) -> str:
    """The key under which the facts say that a duty of ``rule`` has had ``outcome``."""
    return f"duty:{rule}:{outcome}"


def when_predicate(cond: WhenTerm, ordinals: Ordinals) -> Predicate:
    """An inject's condition as a function of the facts (indicator values, ``level``, ``warning`` and the keys above)."""
    if isinstance(cond, AnyWhen | AllWhen):
        parts = [when_predicate(c, ordinals) for c in (cond.any if isinstance(cond, AnyWhen) else cond.all)]
        combine = any if isinstance(cond, AnyWhen) else all
        return lambda facts: combine(p(facts) for p in parts)
    if isinstance(cond, Decided):
        key, taken = decision_key(cond.decision), cond.taken
        return lambda facts: bool(facts.get(key, False)) is taken
    if isinstance(cond, DutyIs):
        key = outcome_key(cond.duty, cond.is_)
        return lambda facts: bool(facts.get(key, False))
    return predicate(cond, ordinals)


def when_terms(cond: WhenTerm) -> list[Atom | Decided | DutyIs]:
    """Every term inside an inject's condition, in order."""
    if isinstance(cond, AnyWhen):
        return [t for c in cond.any for t in when_terms(c)]
    if isinstance(cond, AllWhen):
        return [t for c in cond.all for t in when_terms(c)]
    return [cond]
