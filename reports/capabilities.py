"""Capabilities: the plan's chapters, each rated from the duties scored in it.

A duty belongs to the chapter of its section's leading number (``simulator.model.chapter_of``). The
rating follows HSEEP: P performed without challenges, S with some, M with major challenges,
U unable to be performed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.model import chapter_of
from simulator.score import RuleSummary

FIELDS = ("met", "incomplete", "late", "missed", "cancelled", "open")
"""The per-rule counts of ``summary.json``."""

def rate(met: int, late: int, missed: int, incomplete: int = 0) -> str:
    """The HSEEP rating of a capability's scored duties; ``-`` when none was scored.

    P: all met on time and complete. S: at least 90% so, or none missed and at least half so.
    M: at least half done, on time or late, complete or not. U: otherwise.
    """
    scored = met + incomplete + late + missed
    if scored == 0:
        return "-"
    on_time, done = met / scored, (met + incomplete + late) / scored
    if on_time == 1:
        return "P"
    if on_time >= 0.9 or (missed == 0 and on_time >= 0.5):
        return "S"
    if done >= 0.5:
        return "M"
    return "U"


@dataclass(frozen=True)
class Capability:
    """A plan chapter as tested by a run."""

    chapter: int
    rules: tuple[str, ...]
    counts: dict[str, int]
    """``FIELDS`` summed over its rules, plus ``scored`` (met + incomplete + late + missed)."""

    @property
    def rating(self) -> str:
        """P, S, M, U, or ``-`` when no duty was scored."""
        return rate(self.counts["met"], self.counts["late"], self.counts["missed"], self.counts["incomplete"])


def capabilities(rules: Mapping[str, RuleSummary]) -> list[Capability]:
    """The chapters that the ``rules`` of a summary touch, in chapter order."""
    by_chapter: dict[int, list[str]] = {}
    for rule, rec in rules.items():
        by_chapter.setdefault(chapter_of(rec.section), []).append(rule)
    out = []
    for chapter in sorted(by_chapter):
        names = by_chapter[chapter]
        counts = {f: sum(rules[r].count(f) for r in names) for f in FIELDS}
        counts["scored"] = sum(counts[f] for f in ("met", "incomplete", "late", "missed"))
        out.append(Capability(chapter, tuple(names), counts))
    return out
