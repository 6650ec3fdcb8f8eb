"""The trainees' part of a drill, which the report leads with, and the auto-responder's, shown apart.

The trainees' own duties (those of the roles they held) and decisions (those they took), per
trainee and per role; then the auto-responder's part — the roles no trainee held and its
decisions — in a table of its own, labelled as not the trainees'.
"""

from __future__ import annotations

from .context import Ctx
from .i18n import fill, tr
from .model import Frag, Para, Section, Table

FIELDS = ("met", "incomplete", "late", "missed")


def headline(ctx: Ctx) -> Para:
    """The trainees' figures in one sentence, and the auto-responder's apart."""
    p = ctx.p
    mine = fill(
        "tp.headline",
        ctx.lang,
        pct=p("trainees", "duty_score", "pct"),
        met=p("trainees", "met"),
        scored=p("trainees", "scored"),
        dpct=p("trainees", "decision_pct", "pct"),
        correct=p("trainees", "correct"),
        judged=p("trainees", "judged"),
    )
    auto = fill("tp.auto_line", ctx.lang, pct=p("auto", "duty_score", "pct"), dpct=p("auto", "decision_pct", "pct"))
    return Para((*mine, " ", *auto))


def _row(ctx: Ctx, part: str, who: str, role: str) -> tuple[Frag, ...]:
    judged = (ctx.p(part, "correct"), "/", ctx.p(part, "judged"))
    return (
        (who,),
        (role,),
        *((ctx.p(part, f),) for f in FIELDS),
        (ctx.p(part, "duty_score", "pct"),),
        judged,
    )


def trainees_section(ctx: Ctx) -> Section:
    """Each trainee and each role they held; then the auto-responder's part, apart."""
    split, lang = ctx.parts, ctx.lang
    assert split is not None
    head = tuple(tr(f"tp.{k}", lang) for k in ("who", "role", *FIELDS, "pct", "decisions"))
    numeric = frozenset(range(2, 8))
    rows = []
    for name, score in split.trainees.items():
        roles = score.role.split("+")
        rows.append(_row(ctx, f"trainee/{name}", name, ctx.sep.join(ctx.names.role(r) for r in roles)))
        if len(roles) > 1:
            rows += [_row(ctx, f"role/{r}", "", ctx.names.role(r)) for r in roles]
    auto_rows = [_row(ctx, "auto", tr("tp.auto", lang), "")]
    auto_rows += [_row(ctx, f"role/{r}", "", ctx.names.role(r)) for r in split.roles if r not in split.holders]
    auto_head = (tr("tp.who_auto", lang), *head[1:])
    blocks = (
        Table(head, tuple(rows), numeric),
        Para((tr("tp.auto_note", lang),)),
        Table(auto_head, tuple(auto_rows), numeric),
    )
    return Section("trainees", tr("sub.trainees", lang), blocks)
