"""The side panels of a hosted drill's seat, drawn from the host's messages (no engine here).

The facilitator's view of the room: each seat, whether it is connected, and for a player the open
duties of its roles with their due times; the evaluator's ratings so far; the indicators and teams
by the plan's names.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from simulator.drill import Catalog, DrillView
from simulator.host import Rated, Seats
from simulator.model import Lang

from .i18n import clock_short, countdown, tr, value_label

MAX_OWED = 4
"""Duties listed per seat in the room panel; the rest are counted."""
SOON_MIN = 30.0
"""A duty due within this many simulated minutes is marked."""


def due_style(left: float) -> str:
    """Overdue in red, due soon in yellow."""
    return "bold red" if left < 0 else "yellow" if left <= SOON_MIN else ""


def room_panel(seats: Seats, view: DrillView | None, catalog: Catalog, lang: Lang) -> Text:
    """Every seat of the room, connected (●) or not (○), and what each player seat owes."""
    text = Text(tr("join.room", lang) + "\n", style="bold")
    for seat in seats.roster:
        on = seat.name in seats.connected
        text.append("● " if on else "○ ", style="green" if on else "dim")
        text.append(seat.name, style="bold")
        text.append(f"  {tr('join.kind.' + seat.kind, lang)}")
        if seat.roles:
            text.append("  " + " ".join(catalog.role(r, lang) for r in seat.roles))
        text.append("\n")
        if seat.kind != "player" or view is None:
            continue
        owed = [d for d in view.duties if d.role in seat.roles]
        if not owed:
            text.append("   " + tr("join.owes_none", lang) + "\n", style="dim")
        for d in owed[:MAX_OWED]:
            left = d.due - view.t
            text.append(f"   {d.rule}  {clock_short(d.due, view.t, lang)}  {countdown(left)}\n", style=due_style(left))
        if len(owed) > MAX_OWED:
            text.append("   " + tr("join.more", lang, n=len(owed) - MAX_OWED) + "\n", style="dim")
    return text


def ratings_panel(ratings: Mapping[int, Rated], catalog: Catalog, lang: Lang) -> Text:
    """Each capability the drill tests and the evaluator's rating of it so far."""
    text = Text(tr("join.ratings", lang) + "\n", style="bold")
    for cap in catalog.capabilities:
        rated = ratings.get(cap.chapter)
        text.append(capability_name(catalog, cap.chapter, lang) + "  ")
        if rated is None:
            text.append(tr("join.unrated", lang) + "\n", style="dim")
        else:
            text.append(rated.letter, style="bold reverse")
            text.append(f" {rated.note}\n")
    return text


def capability_name(catalog: Catalog, chapter: int, lang: Lang) -> str:
    """``第3章 信息接报`` / ``Ch. 3 Receiving and reporting information``."""
    cap = next((c for c in catalog.capabilities if c.chapter == chapter), None)
    return tr("join.capability", lang, chapter=chapter, name=cap.name(lang) if cap is not None else "")


def state_panel(view: DrillView, catalog: Catalog, lang: Lang) -> Text:
    """The indicators and each team's staff and backlog, by the plan's names."""
    text = Text(tr("join.indicators", lang) + "\n", style="bold")
    for key, value in view.indicators.items():
        text.append(f"{catalog.indicator(key, lang)}: {value_label(value, lang)}\n")
    text.append(f"\n{tr('col.team', lang)} · {tr('col.staff', lang)} · {tr('col.backlog', lang)}\n", style="bold")
    for team in view.teams:
        text.append(f"{catalog.team(team.name, lang)}  {team.staff}  ")
        text.append(f"{team.backlog}\n", style="bold red" if team.backlog else "")
    return text


def duties_panel(view: DrillView, catalog: Catalog, roles: list[str], lang: Lang, limit: int = 12) -> Text:
    """The open duties, soonest first, this seat's marked."""
    text = Text(tr("join.duties", lang) + "\n", style="bold")
    for d in view.duties[:limit]:
        mine = d.role in roles
        left = d.due - view.t
        text.append(f"{'★' if mine else ' '} {d.rule}  {catalog.role(d.role or d.owner, lang)}  ", style="bold" if mine else "")
        text.append(f"{countdown(left)}\n", style=due_style(left))
    return text
