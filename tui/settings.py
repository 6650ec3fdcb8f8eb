"""How a drill is shown and paced: language, clock speeds, auto-pause, keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.model import Lang

SPEEDS: tuple[int, ...] = (1, 10, 60, 300, 900, 1800, 3600)
"""Clock speeds: simulated seconds per wall-clock second."""


@dataclass(frozen=True)
class Settings:
    """The facilitator's choices for one drill."""

    lang: Lang = "en"
    speed: int = 60
    """The starting clock speed, one of :data:`SPEEDS`."""
    tick_s: float = 0.1
    """Wall-clock seconds between clock slices; each slice advances ``speed × tick_s`` simulated seconds."""
    step_min: float = 10.0
    """Simulated minutes one manual step advances."""
    auto_pause: bool = True
    """Pause when an inject fires or a trainee's duty nears its due time."""
    pause_due_min: float = 30.0
    """Pause this many simulated minutes before a trainee's duty falls due."""
    show_implied: bool = True
    """Show the level the plan's conditions call for (hide it for a harder drill)."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding ID → keys (comma-separated), overriding the defaults."""
    keymap_path: str = ""
    """Where the keymap is read from, for the help screen (empty: the default place)."""
    live: bool = True
    """Run the clock from a timer; tests turn it off and drive slices themselves."""

    def __post_init__(self) -> None:
        if self.speed not in SPEEDS:
            raise ValueError(f"speed {self.speed} is not one of {SPEEDS}")
        if self.tick_s <= 0 or self.step_min <= 0 or self.pause_due_min < 0:
            raise ValueError("tick_s and step_min must be positive, pause_due_min not negative")
