"""What the report's section builders share.

The inputs, the comparison runs, the language, and the way values name their source in the
run's summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from simulator.model import Lang, Names

from .inputs import Inputs, Variant
from .model import Frag, Kind, Mark, Piece, Val


def lookup(doc: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a summary's JSON form — keys, list items by position — as ``summary.json`` names it.

    The path is the value's provenance: the report shows where each number comes from, and a
    test finds the same value at the same path of ``summary.json``. None if there is none.
    """
    node: Any = doc
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
        if node is None:
            return None
    return node


@dataclass(frozen=True)
class Ctx:
    """What the section builders share: the inputs, the comparison runs, the language."""

    inp: Inputs
    variants: list[Variant]
    lang: Lang

    @cached_property
    def _docs(self) -> list[dict[str, Any]]:
        """The JSON forms of the run's summary and of each comparison run's, as paths name them."""
        return [self.inp.summary.to_json()] + [v.result.summary.to_json() for v in self.variants]

    def s(self, path: str, kind: Kind = "int") -> Val:
        """A value of the run's summary."""
        return Val(lookup(self._docs[0], path), f"summary:{path}", kind)

    def v(self, k: int, path: str, kind: Kind = "int") -> Val:
        """A value of the summary of comparison run ``k``."""
        return Val(lookup(self._docs[k + 1], path), f"variant:{k}/summary:{path}", kind)

    def total(self, field: str, k: int | None = None) -> Val:
        """The sum of a count over all rules of the run's summary (or of comparison run ``k``)."""
        summary = self.inp.summary if k is None else self.variants[k].result.summary
        src = f"total:{field}" if k is None else f"variant:{k}/total:{field}"
        return Val(summary.total(field), src)

    @cached_property
    def names(self) -> Names:
        """The plan's names of its things in the report's language."""
        return Names(self.inp.plan, self.lang)

    def duty_names(self, rule: str) -> str:
        """The names of the duties of a rule that the run opened, in order, once each."""
        names = dict.fromkeys(o.name(self.lang) for o in self.inp.summary.obligations if o.rule_id == rule)
        return "; ".join(names)

    @property
    def sep(self) -> str:
        """The list separator of the language."""
        return "、" if self.lang == "zh" else ", "

    def joined(self, frags: list[Frag], sep: str | None = None) -> Frag:
        """Text runs joined by ``sep`` (by default the list separator of the language)."""
        out: list[Piece] = []
        for i, f in enumerate(frags):
            if i:
                out.append(self.sep if sep is None else sep)
            out.extend(f)
        return tuple(out)


def rating_mark(letter: str) -> Mark:
    """A rating letter as a styled token (``-`` for not rated)."""
    return Mark(letter, f"rating-{'N' if letter == '-' else letter}")
