"""Messages between the drill's widgets and screens (those a widget sends are nested in it)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from .settings import Settings


@dataclass
class ClockTicked(Message):
    """The clock advanced one or more slices; the console should redraw.

    Ticks coalesce: a tick still waiting in the queue is replaced by the next one, and the
    redraw takes every event since the last one.
    """

    def can_replace(self, message: Message) -> bool:
        """Replace an older tick still in the queue."""
        return isinstance(message, ClockTicked)


@dataclass
class LangSwitched(Message):
    """The facilitator switched the drill's language: screens opened from now on speak it."""

    settings: Settings


@dataclass
class EndRequested(Message):
    """The drill should end: the clock reached the scenario's end, or the facilitator ended it."""

    until: float | None = None
    """End the run at this time; None runs it to the scenario's end."""
