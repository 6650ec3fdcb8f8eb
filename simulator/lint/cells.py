"""The indicator space of a plan, cell by cell, and boxes of cells for reporting.

The space has a dimension for every flag and ordinal indicator that the level, scope and warning
conditions test, and for each number indicator every point at and every interval between the
thresholds those conditions (and the flags' ``derive`` rules) compare it with. A representative
point of each cell is judged by the plan's own conditions through
:class:`simulator.model.situation.Situation`, so derived flags count as the engine counts them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Names, Plan, Situation, UserError, Value
from .base import Context

Coord = bool | str | int
"""A cell coordinate: a flag value, an ordinal value, or the index of a number interval."""
Box = tuple[frozenset[Coord], ...]
"""A product of coordinate sets, one per dimension."""
MAX_CELLS = 400_000


@dataclass(frozen=True)
class Dim:
    """One dimension of the indicator space."""

    name: str
    kind: str
    values: tuple[Coord, ...]
    """Coordinates in order (number dims: interval indices 0..2n)."""
    cuts: tuple[float, ...] = ()
    """For numbers: the thresholds, ascending. Index 2k+1 is the point cuts[k]; even indices are
    the open intervals below, between and above them."""

    def point(self, coord: Coord) -> Value:
        """A representative indicator value of the coordinate."""
        if self.kind != "number":
            return coord
        i, cuts = int(coord), self.cuts
        if i % 2:
            return cuts[i // 2]
        if i == 0:
            return cuts[0] - 1
        if i == 2 * len(cuts):
            return cuts[-1] + 1
        return (cuts[i // 2 - 1] + cuts[i // 2]) / 2

    def describe(self, coords: frozenset[Coord], names: Names) -> str:
        """The coordinate set in words, by the plan's names in their language, e.g. ``50 ≤ 投诉增长 ≤ 200``."""
        name, either = names.indicator(self.name), " 或 " if names.lang == "zh" else " or "
        if self.kind == "flag":
            return either.join(f"{name}={names.value(self.name, bool(v))}" for v in self.values if v in coords)
        if self.kind == "ordinal":
            return f"{name}={'/'.join(names.value(self.name, str(v)) for v in self.values if v in coords)}"
        return either.join(self._run(run, name) for run in _runs(sorted(int(c) for c in coords)))

    def _run(self, run: tuple[int, int], name: str) -> str:
        lo, hi = run
        left = "" if lo == 0 else f"{_num(self.cuts[lo // 2])} ≤ " if lo % 2 else f"{_num(self.cuts[lo // 2 - 1])} < "
        last = 2 * len(self.cuts)
        right = "" if hi == last else f" ≤ {_num(self.cuts[hi // 2])}" if hi % 2 else f" < {_num(self.cuts[hi // 2])}"
        return f"{left}{name}{right}"

    def bounds(self, coords: frozenset[Coord]) -> set[float]:
        """The thresholds that bound the coordinate set (numbers only)."""
        if self.kind != "number":
            return set()
        out: set[float] = set()
        last = 2 * len(self.cuts)
        for lo, hi in _runs(sorted(int(c) for c in coords)):
            if lo > 0:
                out.add(self.cuts[lo // 2] if lo % 2 else self.cuts[lo // 2 - 1])
            if hi < last:
                out.add(self.cuts[hi // 2])
        return out


@dataclass(frozen=True)
class Cell:
    """A cell of the space and how the plan judges it."""

    coords: tuple[Coord, ...]
    values: dict[str, Value]
    holding: tuple[str, ...]
    """Levels whose conditions hold."""
    implied: str
    """What the plan calls for: the top-ranked holding level, else ``warning`` or ``none``."""
    in_scope: bool


def _num(x: float) -> str:
    return f"{x:g}"


def _runs(idx: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive integers."""
    runs: list[tuple[int, int]] = []
    for i in idx:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def dimensions(ctx: Context) -> list[Dim]:
    """The indicators tested by levels, scope, warning entry and the derive rules they use."""
    parts = ("level:", "scope", "warning")
    atoms = [a for a in ctx.atoms() if a.part.startswith(parts) or a.part.startswith("derive:")]
    names = list(dict.fromkeys(a.atom.indicator for a in atoms))
    dims = []
    for name in names:
        ind = ctx.plan.indicators[name]
        if ind.kind == "flag":
            dims.append(Dim(name, "flag", (False, True)))
        elif ind.kind == "ordinal":
            dims.append(Dim(name, "ordinal", tuple(ind.values)))
        else:
            cuts = sorted({float(a.atom.operand) for a in atoms if a.atom.indicator == name and a.atom.op != "in"})
            dims.append(Dim(name, "number", tuple(range(2 * len(cuts) + 1)), tuple(cuts)))
    return dims


def enumerate_cells(plan: Plan, dims: Sequence[Dim]) -> list[Cell]:
    """Every distinct cell (after derived flags), judged by the plan's conditions."""
    size = 1
    for d in dims:
        size *= len(d.values)
    if size > MAX_CELLS:
        raise UserError(f"the plan's indicator space has {size} cells, more than the {MAX_CELLS} lint can enumerate")
    situation = Situation(plan)
    cells: dict[tuple[Coord, ...], Cell] = {}
    for raw in itertools.product(*(d.values for d in dims)):
        situation.update({d.name: d.point(c) for d, c in zip(dims, raw, strict=True)})
        values = dict(situation.values)
        coords = tuple(bool(values[d.name]) if d.kind == "flag" else c for d, c in zip(dims, raw, strict=True))
        if coords not in cells:
            holding = tuple(lv.id for lv in plan.levels if situation.holds(lv.when))
            cells[coords] = Cell(coords, values, holding, situation.implied(), situation.holds(plan.scope))
    return list(cells.values())


def boxes(coords: Sequence[tuple[Coord, ...]], dims: Sequence[Dim]) -> list[Box]:
    """Merge cells into boxes: products of coordinate sets covering exactly the given cells."""
    current = {tuple(frozenset([c]) for c in cell) for cell in coords}
    changed = True
    while changed:
        changed = False
        for d in range(len(dims)):
            groups: dict[tuple[frozenset[Coord], ...], set[Coord]] = {}
            for box in current:
                groups.setdefault(box[:d] + box[d + 1 :], set()).update(box[d])
            merged = {(*key[:d], frozenset(s), *key[d:]) for key, s in groups.items()}
            changed = changed or len(merged) < len(current)
            current = merged
    return sorted(current, key=lambda b: [sorted(dims[i].values.index(c) for c in s) for i, s in enumerate(b)])
