"""Monte-Carlo staffing sweeps: a grid of staffing points, N seeded replications each, and their statistics.

Replication ``r`` of every staffing point uses the seed derived from (base seed, ``r``) alone, so
the points share common random numbers and a sweep gives the same numbers whatever executes it.
Each finished replication is appended to ``replications.jsonl`` and flushed at once; a sweep that
was killed resumes from the replications already there. Outside of the replications nothing is
random: the statistics are Wilson intervals for the probability that a target holds and normal
intervals for means of per-replication measures.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from functools import cached_property
from itertools import product
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np

from ..batch import run
from ..kernel import walk
from ..model import MAX_STAFF, Plan, Scenario, UserError, is_factor
from ..score import Target, team_targets
from .replicate import PERCENTILES, Kept, Record, measure

ENGINES = ("kernel", "simpy")
RESULTS = "replications.jsonl"
Point = dict[str, int]


CHUNK = 4
"""Replications of one staffing point in one job."""
MAX_POINTS = 10_000
"""The most staffing points a sweep may have (each runs its replications)."""


def parse_vary(text: str, option: str = "--vary") -> tuple[str, list[int]]:
    """``comms=20:40:5`` → ``("comms", [20, 25, 30, 35, 40])``; ``comms=30`` is one value.

    ``option`` names the argument in messages; the list is refused before it is made if it would
    hold more than ``MAX_POINTS`` values.
    """
    team, sep, spec = text.partition("=")
    if sep and team and is_factor(spec):
        raise UserError(
            f"{option}: '{text}' scales a roster; {option} takes whole numbers of people (TEAM=LO:HI[:STEP]); "
            "report --what-if TEAM=xF runs a scaled roster"
        )
    parts = spec.split(":")
    if not sep or not team or len(parts) not in (1, 2, 3) or not all(p.isascii() and p.isdigit() for p in parts):
        raise UserError(f"{option}: expected TEAM=LO:HI[:STEP] with whole numbers, got '{text}'")
    lo, hi, step = int(parts[0]), int(parts[min(1, len(parts) - 1)]), int(parts[2]) if len(parts) == 3 else 1
    if hi < lo or step < 1:
        raise UserError(f"{option}: '{text}' needs LO <= HI and STEP >= 1")
    if (count := (hi - lo) // step + 1) > MAX_POINTS:
        raise UserError(f"{option}: '{text}' has {count} values; at most {MAX_POINTS}")
    if hi > MAX_STAFF:
        raise UserError(f"{option}: '{text}' goes beyond {MAX_STAFF} people, the most a team may have")
    return team, list(range(lo, hi + 1, step))


def grid(varies: Sequence[tuple[str, list[int]]], option: str = "--vary") -> list[Point]:
    """Every combination of the varied teams' values, in order; refused beyond ``MAX_POINTS`` points."""
    if (count := math.prod(len(v) for _, v in varies)) > MAX_POINTS:
        raise UserError(f"{option}: the grid has {count} staffing points; at most {MAX_POINTS}")
    teams = [t for t, _ in varies]
    return [dict(zip(teams, values, strict=True)) for values in product(*(v for _, v in varies))]


def rep_seed(base: int, rep: int) -> int:
    """The seed of replication ``rep``: a function of (base seed, rep) only."""
    return int(np.random.SeedSequence([base, rep]).generate_state(1)[0])


@dataclass(frozen=True)
class Context:
    """What every replication of a sweep shares."""

    plan: Plan
    scenario: Scenario
    engine: str = "kernel"
    base_seed: int = 1
    service: tuple[tuple[str, float], ...] = ()
    """(team, minutes): also measure the share of that team's customers waiting at most that long."""

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything that decides the numbers, to refuse resuming a different sweep.

        Worked out once: it travels with the context to the workers, which look their kept walks up by it.
        """
        text = json.dumps(
            [self.plan.model_dump(mode="json"), self.scenario.model_dump(mode="json"), self.engine, self.base_seed, self.service]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    """A batch of replications of one staffing point."""

    context: Context
    point: tuple[tuple[str, int], ...]
    reps: tuple[int, ...]

    @property
    def route(self) -> int:
        """Which worker should run it: the same for the same replications at every staffing point."""
        return self.reps[0] // CHUNK


_KEPT: dict[str, Kept] = {}
"""This process's kernel walks and queue measures for the sweep it last ran a job of (by the sweep's fingerprint)."""


def kept_for(context: Context) -> Kept:
    """What this process keeps for ``context``'s sweep, forgetting what it kept for any other."""
    key = context.fingerprint
    if key not in _KEPT:
        _KEPT.clear()
        _KEPT[key] = Kept(context.plan, team_targets(context.plan))
    return _KEPT[key]


def run_job(job: Job) -> list[Record]:
    """Run a job's replications (in a worker); kernel replications reuse what this process kept of their seeds."""
    ctx, staff = job.context, dict(job.point)
    targets = team_targets(ctx.plan)
    kept = kept_for(ctx) if ctx.engine == "kernel" else None
    out = []
    for rep in job.reps:
        seed = rep_seed(ctx.base_seed, rep)
        if kept is not None:
            walked = walk(ctx.plan, ctx.scenario, seed=seed, staff=staff, walks=kept.walks)
            numbers = kept.measure(walked, targets, ctx.service)
        else:
            numbers = measure(run(ctx.plan, ctx.scenario, seed=seed, staff=staff).log, ctx.plan, targets, ctx.service)
        out.append({"point": staff, "rep": rep, "seed": seed, **numbers})
    return out


class ResultsFile:
    """The append-only file of finished replications, with the sweep's fingerprint on its first line."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.done: dict[tuple[tuple[tuple[str, int], ...], int], Record] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            self._resume(fingerprint)
        else:
            path.write_text(json.dumps({"sweep": fingerprint}) + "\n", encoding="utf-8")

    def _resume(self, fingerprint: str) -> None:
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) < len(data):
            with self.path.open("r+b") as f:
                f.truncate(len(complete))  # drop a line cut short by a kill
        lines = complete.decode("utf-8").splitlines()
        try:
            head = json.loads(lines[0])["sweep"] if lines else None
            records = [json.loads(line) for line in lines[1:]]
        except (ValueError, KeyError, TypeError):
            raise UserError(f"{self.path}: not a sweep results file; choose another --out") from None
        if head != fingerprint:
            raise UserError(f"{self.path}: holds replications of a different sweep; choose another --out or remove it")
        for rec in records:
            self.done[key(rec["point"], rec["rep"])] = rec

    def append(self, records: Iterable[Record]) -> None:
        """Append finished replications, each flushed as it is written."""
        with self.path.open("a", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec) + "\n")
                f.flush()
                self.done[key(rec["point"], rec["rep"])] = rec


def key(point: Mapping[str, int], rep: int) -> tuple[tuple[tuple[str, int], ...], int]:
    """The identity of a replication in a sweep."""
    return tuple(sorted(point.items())), rep


def run_sweep(
    context: Context,
    points: Sequence[Point],
    reps: int,
    executor: Executor,
    results: Path,
    *,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[Record]]:
    """Run (or finish) ``reps`` replications of every point; return each point's records by rep."""
    store = ResultsFile(results, context.fingerprint)
    total = len(points) * reps
    finished = sum(1 for p in points for r in range(reps) if key(p, r) in store.done)

    def collect(future: Future[list[Record]]) -> None:
        nonlocal finished
        batch = future.result()
        store.append(batch)
        finished += len(batch)
        if progress is not None:
            progress(finished, total)

    if progress is not None:
        progress(finished, total)
    pending = []
    for point in points:
        todo = [r for r in range(reps) if key(point, r) not in store.done]
        for i in range(0, len(todo), chunk):
            future = executor.submit(run_job, Job(context, tuple(sorted(point.items())), tuple(todo[i : i + chunk])))
            if future.done():  # an in-process executor has run it already: keep it at once
                collect(future)
            else:
                pending.append(future)
    for future in as_completed(pending):
        collect(future)
    return [[store.done[key(p, r)] for r in range(reps)] for p in points]


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k`` of ``n``: 0 <= lo <= k/n <= hi <= 1.

    At k = 0 or k = n the exact bound is the estimate itself; rounding can put ``centre - half`` a
    hair above 0 (or ``centre + half`` below 1), so the bounds are clamped to the estimate.
    """
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def proportion(flags: Iterable[bool | None], confidence: float = 0.95) -> dict[str, Any]:
    """How often a target held among the replications where it counted, with its interval."""
    counted = [f for f in flags if f is not None]
    k, n = sum(counted), len(counted)
    lo, hi = wilson(k, n, confidence)
    return {"met": k, "counted": n, "p": k / n if n else None, "lo": lo, "hi": hi}


def mean_ci(values: Iterable[float | None], confidence: float = 0.95) -> dict[str, float | None]:
    """Mean of per-replication values with a normal interval."""
    xs = np.array([v for v in values if v is not None], dtype=float)
    if not xs.size:
        return {"mean": None, "lo": None, "hi": None}
    half = NormalDist().inv_cdf(0.5 + confidence / 2) * xs.std(ddof=1) / math.sqrt(xs.size) if xs.size > 1 else 0.0
    return {"mean": float(xs.mean()), "lo": float(xs.mean() - half), "hi": float(xs.mean() + half)}


def aggregate(point: Point, records: Sequence[Record], targets: Sequence[Target], confidence: float = 0.95) -> dict[str, Any]:
    """One staffing point's statistics."""
    flags = {t.key: [r["targets"][t.key] for r in records] for t in targets}
    every = [None if all(f is None for f in fs) else all(f is not False for f in fs) for fs in zip(*flags.values(), strict=True)]
    return {
        "staff": dict(point),
        "reps": len(records),
        "targets": {k: proportion(v, confidence) for k, v in flags.items()},
        "all_targets": proportion(every, confidence),
        "answer_h": {f"p{p}": mean_ci((r["answer_h"][f"p{p}"] for r in records), confidence) for p in PERCENTILES},
        "abandon_share": mean_ci((r["abandon_share"] for r in records), confidence),
        "peak_backlog": {t: mean_ci((r["peak_backlog"][t] for r in records), confidence) for t in ("hotline", "comms")},
        "within": {w: mean_ci((r["within"][w] for r in records), confidence) for w in (records[0]["within"] if records else {})},
    }


def summary(
    context: Context, points: Sequence[Point], per_point: Sequence[Sequence[Record]], confidence: float = 0.95
) -> dict[str, Any]:
    """The JSON-ready result of a sweep: what was swept and every point's statistics."""
    targets = team_targets(context.plan)
    return {
        "scenario": context.scenario.id,
        "plan": {"id": context.plan.id, "version": context.plan.version},
        "engine": context.engine,
        "base_seed": context.base_seed,
        "confidence": confidence,
        "teams": sorted({t for p in points for t in p}),
        "targets": [{"key": t.key, "rule": t.rule, "owner": t.owner, "name": t.name.model_dump()} for t in targets],
        "points": [aggregate(p, recs, targets, confidence) for p, recs in zip(points, per_point, strict=True)],
    }


def write_summary(out: Path, result: Mapping[str, Any]) -> tuple[Path, Path]:
    """Write ``summary.json`` and ``summary.csv`` (one row per staffing point) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    js, cs = out / "summary.json", out / "summary.csv"
    js.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    keys = [t["key"] for t in result["targets"]]
    head = [*result["teams"], "reps"]
    head += [f"{k} {s}" for k in [*keys, "all"] for s in ("p", "lo", "hi", "n")]
    head += [f"answer p{p} h" for p in PERCENTILES] + ["abandon share", "peak backlog hotline", "peak backlog comms"]
    with cs.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        for pt in result["points"]:
            row: list[Any] = [pt["staff"].get(t) for t in result["teams"]] + [pt["reps"]]
            for k in keys:
                row += _prop_cells(pt["targets"][k])
            row += _prop_cells(pt["all_targets"])
            row += [_num(pt["answer_h"][f"p{p}"]["mean"]) for p in PERCENTILES]
            row += [_num(pt["abandon_share"]["mean"])] + [_num(pt["peak_backlog"][t]["mean"]) for t in ("hotline", "comms")]
            w.writerow(row)
    return js, cs


def _prop_cells(p: Mapping[str, Any]) -> list[Any]:
    return [_num(p["p"]), _num(p["lo"]), _num(p["hi"]), p["counted"]]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.4g}"
