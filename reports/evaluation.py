"""The evaluator's ratings and observations in the after-action report, beside the automatic ratings.

A hosted drill's evaluator rates each capability (a plan chapter) P / S / M / U with a note and
records observations as the drill runs (``simulator.drill.read_evaluation``). This subsection of
the analysis lists each rated capability with the rating derived from its duties next to the
evaluator's, then the observations in time order. Runs and drills without an evaluation have none.
"""

from __future__ import annotations

from dataclasses import replace

from simulator.drill import read_evaluation

from .capabilities import Capability
from .context import Ctx, rating_mark
from .i18n import RATINGS, chapter_name, pick, tr
from .model import Block, Frag, Para, Section, Table, clock


def with_evaluation(analysis: Section, ctx: Ctx, caps: list[Capability]) -> Section:
    """The analysis section with the evaluator's subsection added, when the drill has an evaluation."""
    if not ctx.inp.is_drill:
        return analysis
    kept = read_evaluation(ctx.inp.folder)
    if not kept.ratings and not kept.observations:
        return analysis
    lang = ctx.lang
    auto = {c.chapter: c.rating for c in caps}
    blocks: list[Block] = [Para((tr("ev.intro", lang),))]
    if kept.ratings:
        rows: list[tuple[Frag, ...]] = [
            (
                (f"§{r.chapter} {chapter_name(r.chapter, lang)}",),
                (rating_mark(auto.get(r.chapter, "-")),),
                (rating_mark(r.letter), " ", pick(RATINGS[r.letter], lang)),
                (r.note or "—",),
                (r.seat,),
            )
            for r in kept.ratings
        ]
        head = tuple(tr(k, lang) for k in ("ev.capability", "ev.auto", "ev.rated", "ev.note", "ev.by"))
        blocks.append(Table(head, tuple(rows)))
    if kept.observations:
        blocks.append(Para((tr("ev.observations", lang),)))
        notes = tuple(((clock(o.t, lang),), (o.seat,), (o.text,)) for o in kept.observations)
        blocks.append(Table(tuple(tr(k, lang) for k in ("ev.time", "ev.by", "ev.text")), notes))
    sub = Section("evaluation", tr("sub.evaluation", lang), tuple(blocks))
    return replace(analysis, sub=(*analysis.sub, sub))
