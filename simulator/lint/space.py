"""Plan checks over the indicator space: level gaps and overlaps, scope and reachability.

The space is enumerated by :mod:`simulator.lint.cells`; cells with the same outcome are merged
into boxes for the report.

"Event space" means the cells where a complaint event is open (the ``event_open`` flag), where
the plan must grade what it sees.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from ..model import WARNING, Lang, Names, Text, Value, list_separator
from ..rules import EVENT_OPEN
from .base import Context, Finding
from .cells import Box, Cell, Coord, boxes, dimensions, enumerate_cells

SHOWN_BOXES = 3


class Space:
    """The enumerated space of a plan and the words for its boxes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.dims = dimensions(ctx)
        self.cells = enumerate_cells(ctx.plan, self.dims)
        names = [d.name for d in self.dims]
        self.event = [c for c in self.cells if EVENT_OPEN not in names or c.values[EVENT_OPEN] is True]

    def domain(self, cells: Sequence[Cell]) -> list[frozenset[Coord]]:
        """Per dimension, the coordinates present among ``cells``."""
        return [frozenset(c.coords[i] for c in cells) for i in range(len(self.dims))]

    def words(self, box: Box, domain: Sequence[frozenset[Coord]], names: Names) -> str:
        """The box in words in the language of ``names``, leaving out dimensions it does not restrict."""
        parts = [d.describe(s, names) for d, s, full in zip(self.dims, box, domain, strict=True) if s != full]
        return list_separator(names.lang).join(parts) or ("所有情形" if names.lang == "zh" else "every case")

    def example(self, box: Box, cells: Sequence[Cell]) -> dict[str, Value]:
        """The indicator values of the first cell inside the box."""
        inside = next(c for c in cells if all(x in s for x, s in zip(c.coords, box, strict=True)))
        return {d.name: inside.values[d.name] for d in self.dims}

    def bound_lines(self, found: Sequence[Box], prefix: str) -> list[int]:
        """Sorted lines of the comparisons, in conditions whose part starts with ``prefix``, that bound the boxes."""
        wanted = {(d.name, v) for box in found for d, s in zip(self.dims, box, strict=True) for v in d.bounds(s)}
        atoms = self.ctx.atoms()
        bounding = [a.loc for a in atoms if a.part.startswith(prefix) and (a.atom.indicator, a.atom.operand) in wanted]
        return sorted(self.ctx.lines(bounding))

    def report(
        self, cells: Sequence[Cell], within: Sequence[Cell] | None = None
    ) -> tuple[Text, tuple[dict[str, Value], ...], list[Box]]:
        """Words in both languages (the first few boxes), an example per box, and the boxes covering ``cells``.

        Dimensions are left out of the words where the boxes span all their values in ``within``
        (the event space by default). Indicators and their values are named as the plan names them.
        """
        found = boxes([c.coords for c in cells], self.dims)
        domain = self.domain(self.event if within is None else within)
        said: dict[str, str] = {}
        langs: tuple[Lang, ...] = ("zh", "en")
        for lang in langs:
            names = Names(self.ctx.plan, lang)
            shown = [self.words(b, domain, names) for b in found[:SHOWN_BOXES]]
            more = len(found) - SHOWN_BOXES
            if more > 0:
                shown.append(f"…另有 {more} 种" if lang == "zh" else f"… {more} more")
            said[lang] = ("；" if lang == "zh" else "; ").join(shown)
        return Text(zh=said["zh"], en=said["en"]), tuple(self.example(b, cells) for b in found), found


def check_space(space: Space) -> Iterator[Finding]:
    """Gaps, overlaps, unreachable levels and warning, and levels outside the scope."""
    yield from _gaps(space)
    yield from _overlaps(space)
    yield from _unreachable(space)
    yield from _scope(space)


def _level_lines(ctx: Context) -> tuple[int, ...]:
    return ctx.lines([("levels", i, "when") for i in range(len(ctx.plan.levels))])


def _gaps(space: Space) -> Iterator[Finding]:
    ctx, plan = space.ctx, space.ctx.plan
    gap = [c for c in space.event if not c.holding]
    groups: dict[tuple[bool, bool], list[Cell]] = {}
    for c in gap:
        groups.setdefault((c.in_scope, c.implied == WARNING), []).append(c)
    for (in_scope, warned), cells in sorted(groups.items()):
        words, examples, found = space.report(cells)
        lines = space.bound_lines(found, "level:") + space.bound_lines(found, "derive:")
        scope_en = "inside the plan's scope" if in_scope else "outside the plan's scope"
        scope_zh = "属于预案适用范围" if in_scope else "不在预案适用范围内"
        warn_en = "; only the warning state covers it" if warned else ""
        warn_zh = ";仅预警状态覆盖" if warned else ""
        yield Finding(
            "LEVEL-GAP",
            tuple(lv.rule for lv in plan.levels),
            tuple(dict.fromkeys(lines)) or _level_lines(ctx),
            Text(
                zh=f"已接报的事件在以下情形不属于任何响应级别({scope_zh}{warn_zh}):{words.zh}",
                en=f"With an event open, no response level applies when {words.en} ({scope_en}{warn_en}).",
            ),
            examples,
        )


def _overlaps(space: Space) -> Iterator[Finding]:
    ctx, plan = space.ctx, space.ctx.plan
    for a, b in itertools.combinations(plan.levels, 2):
        if a.rank != b.rank:
            continue
        both = [c for c in space.cells if a.id in c.holding and b.id in c.holding]
        if not both:
            continue
        words, examples, _ = space.report(both, space.cells)
        ia, ib = plan.levels.index(a), plan.levels.index(b)
        yield Finding(
            "LEVEL-OVERLAP",
            (a.rule, b.rule),
            ctx.lines([("levels", ia, "rank"), ("levels", ib, "rank"), ("levels", ia, "when"), ("levels", ib, "when")]),
            Text(
                zh=f"{a.id} 与 {b.id} 级别相同(rank {a.rank}),在以下情形同时成立,无法判定:{words.zh}",
                en=f"{a.id} and {b.id} share rank {a.rank} and both hold when {words.en}: the order does not settle it.",
            ),
            examples,
        )


def _unreachable(space: Space) -> Iterator[Finding]:
    ctx, plan = space.ctx, space.ctx.plan
    implied = {c.implied for c in space.cells}
    for i, lv in enumerate(plan.levels):
        if lv.id not in implied:
            yield Finding(
                "LEVEL-UNREACHABLE",
                (lv.rule,),
                ctx.lines([("levels", i, "when")]),
                Text(
                    zh=f"{lv.id} 的条件成立时总有更高级别同时成立(或从不成立),该级别永远不会被判定。",
                    en=f"{lv.id} is never the level the conditions call for: whenever it holds, a higher level holds too.",
                ),
            )
    if WARNING not in implied:
        w = plan.warning
        yield Finding(
            "WARNING-UNREACHABLE",
            (w.rule,),
            ctx.lines([("warning", "enter_when")]),
            Text(
                zh="预警条件只在某个响应级别已成立时才成立,预警状态永远不会被启用。",
                en="The warning's conditions never hold unless a response level's do: the warning state can never apply.",
            ),
        )


def _scope(space: Space) -> Iterator[Finding]:
    ctx, plan = space.ctx, space.ctx.plan
    for i, lv in enumerate(plan.levels):
        outside = [c for c in space.event if c.implied == lv.id and not c.in_scope]
        if not outside:
            continue
        words, examples, _ = space.report(outside)
        yield Finding(
            "SCOPE-LEVEL",
            (plan.scope_rule, lv.rule),
            ctx.lines([("scope",), ("levels", i, "when")]),
            Text(
                zh=f"{lv.id} 判定的事件不在预案适用范围({plan.scope_rule})内:{words.zh}",
                en=f"{lv.id} grades events outside the plan's scope ({plan.scope_rule}): {words.en}.",
            ),
            examples,
        )
