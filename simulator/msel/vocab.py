"""The plan's things in MSEL cells: written by name in one language, read back from an id or either name.

A planner's sheet names roles, actions and inject kinds as people do (``公关部``, ``PR``), drillsim's
export writes them by name in the chosen language, and the reader turns any of them back into the
plan's id. A name stands for its id only when no other thing of the same sort shares it (ignoring
case) and it holds no list separator; otherwise the id is written and only the id is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import INJECT_KINDS, Lang, Names, Plan

SEPARATORS = re.compile(r"[;,;,、\n]")
"""What separates the items of a list cell (expected actions)."""


@dataclass(frozen=True)
class Sort:
    """One sort of thing (roles, actions or inject kinds): its ids and the names that read back to them."""

    names: dict[str, tuple[str, str]]
    """id → (zh, en) name."""
    back: dict[str, str] = field(init=False)
    """Casefolded id or unambiguous name → id."""

    def __post_init__(self) -> None:
        seen: dict[str, set[str]] = {}
        for ident, pair in self.names.items():
            for name in pair:
                seen.setdefault(name.strip().casefold(), set()).add(ident)
        back = {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1 and not SEPARATORS.search(name)}
        back.update({ident.casefold(): ident for ident in self.names})
        object.__setattr__(self, "back", back)

    def read(self, text: str) -> str:
        """The id ``text`` names, or ``text`` itself when it names none (the checks then say so)."""
        return self.back.get(text.strip().casefold(), text.strip())

    def write(self, ident: str, lang: Lang) -> str:
        """The name of ``ident`` in ``lang`` when it reads back to ``ident``, else the id."""
        pair = self.names.get(ident)
        name = pair[lang == "en"] if pair else ident
        return name if self.back.get(name.strip().casefold()) == ident else ident


@dataclass(frozen=True)
class Vocab:
    """Roles, actions and inject kinds of a plan, by name and by id."""

    roles: Sort
    actions: Sort
    kinds: Sort

    @classmethod
    def of(cls, plan: Plan) -> Vocab:
        """The vocabulary of ``plan``, with the usual inject kinds (another kind is written and read as its id)."""
        zh, en = Names(plan, "zh"), Names(plan, "en")
        kind_names = {k: (zh.inject_kind(k), en.inject_kind(k)) for k in INJECT_KINDS}
        return cls(
            Sort({r: (zh.role(r), en.role(r)) for r in plan.roles}),
            Sort({a: (zh.action(a), en.action(a)) for a in plan.actions}),
            Sort(kind_names),
        )
