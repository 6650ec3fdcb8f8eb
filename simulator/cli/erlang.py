"""``drillsim erlang``: agents for a call stream by Erlang C (or Erlang A with a patience), in zh or en.

Its arguments are parsed here by types that name what is wrong (argparse adds the option's name);
its texts are written in English here and put in the chosen language by :func:`simulator.lang.tr`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from ..lang import Lang, tr
from .args import whole

if TYPE_CHECKING:
    from ..sweep import Figures

_MISSED = {"service": "service level", "asa": "average speed", "occupancy": "occupancy", "abandon": "abandonment"}
"""The name of each goal :func:`simulator.sweep.shortfalls` may report missed."""

_UNITS = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0}


def seconds(text: str) -> float:
    """An argument type: a time with a unit, ``330s``, ``5.5min``, ``0.5h`` (a bare number is seconds)."""
    body = text.strip().lower()
    unit = next((u for u in sorted(_UNITS, key=len, reverse=True) if body.endswith(u)), "")
    value = _number(body.removesuffix(unit)) if unit else _number(body)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"expected a time such as 330s, 5.5min or 20 (seconds), got '{text}'")
    return value * _UNITS.get(unit, 1.0)


def interval(text: str) -> float:
    """An argument type: an interval's length with its unit, ``30min`` or ``1h`` (a bare number is ambiguous)."""
    if _number(text) is not None:
        raise argparse.ArgumentTypeError(f"give the interval's unit, e.g. 30min or 1h, got '{text}'")
    return seconds(text)


def share(text: str) -> float:
    """An argument type: a share as ``85%`` or ``0.85``, from 0 up to but not including 1."""
    body = text.strip()
    value = _number(body.removesuffix("%"))
    if value is not None and body.endswith("%"):
        value /= 100.0
    if value is None or not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a share such as 85% or 0.85 (below 100%), got '{text}'")
    return value


def cap(text: str) -> float:
    """An argument type: a share above 0 and up to 100% (an occupancy cap)."""
    value = share(text) if text.strip() not in ("1", "100%") else 1.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a share above 0 such as 85%, got '{text}'")
    return value


def service_level(text: str) -> tuple[float, float]:
    """An argument type: ``80/20`` → 80% of calls answered within 20 s (``80/0.5min`` also works)."""
    pct, sep, within = text.partition("/")
    value = _number(pct.strip().removesuffix("%"))
    if not sep or value is None or not 0 < value < 100:
        raise argparse.ArgumentTypeError(f"expected PERCENT/SECONDS such as 80/20, with 0 < PERCENT < 100, got '{text}'")
    return value / 100.0, seconds(within)


def rate(text: str) -> float:
    """An argument type: a number of calls above 0."""
    value = _number(text)
    if value is None or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of calls above 0, got '{text}'")
    return value


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``drillsim erlang`` to the command line (nothing heavier than argparse is imported)."""
    p = sub.add_parser("erlang", help="agents for a call stream: Erlang C, or Erlang A with --patience (话务员计算)")
    p.add_argument("--calls", type=rate, required=True, metavar="N", help="calls arriving per interval")
    p.add_argument("--interval", type=interval, default=3600.0, metavar="TIME", help="length of the interval (default 1h)")
    p.add_argument("--aht", type=seconds, required=True, metavar="TIME", help="average handling time, e.g. 330s or 5.5min")
    p.add_argument("--sl", type=service_level, metavar="PCT/SEC", help="service level, e.g. 80/20: 80%% answered in 20 s")
    p.add_argument("--asa", type=seconds, metavar="TIME", help="longest average speed of answer, e.g. 30s")
    p.add_argument("--max-occupancy", type=cap, metavar="SHARE", help="occupancy cap, e.g. 85%%")
    p.add_argument("--shrinkage", type=share, default=0.0, metavar="SHARE", help="paid time off the phones, e.g. 30%%")
    p.add_argument("--patience", type=seconds, metavar="TIME", help="callers' mean patience: Erlang A instead of Erlang C")
    p.add_argument("--max-abandon", type=share, metavar="SHARE", help="most callers hanging up (with --patience), e.g. 5%%")
    p.add_argument("--agents", type=whole(1, 10_000), metavar="N", help="figures for N agents instead of the fewest")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--lang", choices=("zh", "en"), help="language (default: from the locale)")
    p.set_defaults(handler="simulator.cli.erlang:cmd_erlang")


def cmd_erlang(args: argparse.Namespace) -> int:
    """Size (or evaluate) the agents for the call stream and print the figures."""
    from ..lang import lang_of
    from ..model import UserError
    from ..sweep import Demand, Goals, fewest_agents, figures_for, shortfalls

    for option, value in (("--interval", args.interval), ("--aht", args.aht), ("--patience", args.patience)):
        if value is not None and value <= 0:
            raise UserError(f"{option} must be longer than 0 (got {value:g} s)")
    if args.max_abandon is not None and args.patience is None:
        raise UserError("--max-abandon needs --patience (under Erlang C nobody hangs up)")
    goals = Goals(args.sl, args.asa, args.max_occupancy, args.max_abandon, args.shrinkage)
    if args.agents is None and goals == Goals(shrinkage=args.shrinkage):
        raise UserError("give a goal (--sl, --asa, --max-occupancy or --max-abandon) or a number of --agents")
    demand = Demand(args.calls / args.interval, args.aht, args.patience)
    try:
        figures = fewest_agents(demand, goals) if args.agents is None else figures_for(demand, args.agents, goals)
    except ValueError as exc:
        raise UserError(f"{'--calls' if args.agents is None else '--agents'}: {exc}") from None
    missed = shortfalls(figures, goals)
    if args.json:
        result = {"model": "erlang_c" if args.patience is None else "erlang_a", "load": demand.load, **asdict(figures)}
        sys.stdout.write(json.dumps({**result, "missed": missed}, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render(figures, demand.load, missed, args, lang_of(args)))
    return 0


def render(figures: Figures, load: float, missed: list[str], args: argparse.Namespace, lang: Lang) -> str:
    """The figures as a two-column table under two lines saying what was asked."""
    from .history import render_table

    def time(x: float) -> str:
        return tr(f"{round(x / 60, 2):g} min" if x >= 600 else f"{round(x, 1):g} s", lang)

    def goal(figure: str, target: str | None) -> str:
        return figure if target is None else tr(f"{figure}  target {target}", lang)

    interval = tr("hour", lang) if args.interval == 3600 else time(args.interval)
    model = "Erlang C (callers do not hang up)" if args.patience is None else f"Erlang A (mean patience {time(args.patience)})"
    head = f"{args.calls:g} calls per {interval}, handling {time(args.aht)}, offered load {load:.2f} Erlangs"
    agents = f"{figures.agents}" if args.agents is None else tr(f"{figures.agents} (given)", lang)
    rows = [[tr("agents on the phones", lang), agents], [tr("probability of waiting", lang), _pct(figures.p_wait)]]
    if args.sl is not None:
        level = goal(_pct(figures.service_level), f"≥ {_pct(args.sl[0])}")
        rows.append([tr(f"service level (answered within {time(args.sl[1])})", lang), level])
    asa = None if args.asa is None else f"≤ {time(args.asa)}"
    rows.append([tr("average speed of answer", lang), goal(time(figures.asa_s), asa)])
    occupancy = None if args.max_occupancy is None else f"≤ {_pct(args.max_occupancy)}"
    rows.append([tr("occupancy", lang), goal(_pct(figures.occupancy), occupancy)])
    if figures.p_abandon is not None:
        abandon = None if args.max_abandon is None else f"≤ {_pct(args.max_abandon)}"
        rows.append([tr("abandonment", lang), goal(_pct(figures.p_abandon), abandon)])
    rows.append([tr(f"rostered staff (shrinkage {_pct(args.shrinkage)})", lang), f"{figures.rostered}"])
    text = f"{tr(model, lang)}\n{tr(head, lang)}\n{render_table([tr('measure', lang), tr('value', lang)], rows)}"
    if missed:
        text += tr("short of: {}".format(tr(", ", lang).join(tr(_MISSED[m], lang) for m in missed)), lang) + "\n"
    return text


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"
