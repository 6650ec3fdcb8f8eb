"""What the report's section builders share.

The inputs, the comparison runs, the language, and the way values name their source in the
run's summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from simulator.drill import AUTO_ACTOR, Parts, Trainee, parts
from simulator.model import Lang, Names, list_separator

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
    def parts(self) -> Parts | None:
        """A drill's split between its trainees and the auto-responder; None for a batch run."""
        if not self.inp.is_drill:
            return None
        trainees = [Trainee(str(t["name"]), tuple(str(r) for r in t["roles"])) for t in self.inp.info.trainees]
        return parts(self.inp.log, self.inp.score, self.inp.plan, trainees)

    def p(self, part: str, field: str, kind: Kind = "int") -> Val:
        """A figure of a part of a drill, with source ``part:PART.FIELD``.

        ``part``: ``trainees`` (every trainee), ``trainee/NAME``, ``role/ROLE`` or ``auto`` (the
        auto-responder's). ``field``: met, incomplete, late, missed, scored, duty_score (the credit
        earned over the duties scored, in percent), correct, judged, decision_pct.
        """
        split = self.parts
        assert split is not None
        kind_of, _, name = part.partition("/")
        if kind_of == "trainee":
            score = split.trainees[name]
        elif kind_of == "role":
            score = split.roles[name]
        else:
            score = split.auto if part == "auto" else split.trainee
        figures = {
            "met": score.met,
            "incomplete": score.incomplete,
            "late": score.late,
            "missed": score.missed,
            "scored": score.met + score.incomplete + score.late + score.missed,
            "duty_score": score.compliance_pct,
            "correct": score.correct,
            "judged": len(score.decisions),
            "decision_pct": score.decision_pct,
        }
        return Val(figures[field], f"part:{part}.{field}", kind)

    def ours(self, rule: str) -> bool:
        """Whether a rule is the trainees' to answer for (in a batch run, every rule is the run's)."""
        return self.parts is None or self.parts.is_trainees(rule)

    def ours_actor(self, actor: str) -> bool:
        """Whether a decision by ``actor`` is the trainees' (in a batch run, every decision is the run's)."""
        return self.parts is None or actor != AUTO_ACTOR

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
        return list_separator(self.lang)

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
