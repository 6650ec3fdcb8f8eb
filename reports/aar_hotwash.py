"""The hot wash in the report: the scenario's guide, the trainer's notes per question, the improvement items.

The notes and items are those kept in the session folder (``hotwash.json``) at the end of the
drill; the guide's questions are the scenario's, in the report's language.
"""

from __future__ import annotations

from simulator.drill import read_hotwash

from .context import Ctx
from .i18n import fill, tr
from .model import Block, Mark, Para, Section, Table


def hotwash_section(ctx: Ctx) -> Section:
    """The guide's expected path and questions with the notes kept for each, then the improvement items."""
    lang, guide = ctx.lang, ctx.inp.scenario.guide
    kept = read_hotwash(ctx.inp.folder)
    blocks: list[Block] = []
    if guide is not None:
        blocks.append(Para(fill("hw.path", lang, path=guide.expected_path(lang))))
    if kept is not None:  # the end screen keeps a note (perhaps empty) for every question of the guide
        questions = [(n.question(lang), n.note) for n in kept.notes]
    else:
        questions = [(q(lang), "") for q in (guide.questions if guide is not None else [])]
    if questions:
        rows = tuple(((q,), (note or tr("hw.no_note", lang),)) for q, note in questions)
        blocks.append(Table((tr("hw.question", lang), tr("hw.notes", lang)), rows))
    items = kept.items if kept is not None else []
    if items:
        head = tuple(tr(f"hw.{k}", lang) for k in ("what", "owner", "due", "rule"))
        items_rows = tuple(((i.what,), (i.owner,), (Mark(i.due, "date"),), (Mark(i.rule or "—", "rule"),)) for i in items)
        blocks.append(Table(head, items_rows))
    if kept is None:
        blocks.append(Para((tr("hw.none", lang),)))
    return Section("hotwash", tr("sub.hotwash", lang), tuple(blocks))
