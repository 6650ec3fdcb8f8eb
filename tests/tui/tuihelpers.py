"""Helpers for the drill UI's tests: test injects, settings, keys, running async tests."""

from __future__ import annotations

import asyncio
import functools
import io
import os
from collections.abc import Callable, Coroutine
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.screen import Screen
from textual.widgets import Static

from simulator.drill import DrillSession
from tui.bindings import action_keys
from tui.settings import Settings


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test function in its own event loop (fixtures resolve from its signature)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def inject(at_h: float, kind: str, zh: str, en: str, **values: Any) -> dict[str, Any]:
    """An inject of a test scenario."""
    return {"at_h": at_h, "kind": kind, "text": {"zh": zh, "en": en}, "set": values}


INCIDENT = inject(
    1,
    "incident_report",
    "热线接报:产品问题引发地方媒体报道。",
    "The hotline reports a product fault; regional media cover it.",
    event_open=True,
    media="regional",
)
"""Opens the event at 01:00 with regional media coverage: the plan's conditions call for Level 2."""


def settings(lang: str = "en", **changes: Any) -> Settings:
    """Test settings: the clock runs only when a test steps it."""
    return Settings(lang="zh" if lang == "zh" else "en", live=False, **changes)


def key_of(session: DrillSession, action: str) -> str:
    """The console key of a plan action."""
    return {a: k for k, a in action_keys(session.plan.actions, {}).items()}[action]


def statics_text(screen: Screen[Any]) -> str:
    """The text of every ``Static`` on a screen (tables included), rendered 200 columns wide."""
    console = Console(width=200, record=True, file=io.StringIO())
    for widget in screen.query(Static):
        console.print(widget.content)
    return console.export_text()


REPO = Path(__file__).resolve().parents[2]


def child_pythonpath(tmp: Path) -> str:
    """PYTHONPATH for a ``python -m simulator.cli`` child: the repository, plus the ``play`` entry point
    (``drillsim.commands``) in a throwaway dist-info when the installed metadata does not have it yet."""
    paths = [str(REPO)]
    if "play" not in {ep.name for ep in entry_points(group="drillsim.commands")}:
        dist = tmp / "ep" / "drillsim_tui_test-0.dist-info"
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: drillsim-tui-test\nVersion: 0\n", encoding="utf-8")
        (dist / "entry_points.txt").write_text("[drillsim.commands]\nplay = tui.cli:register\n", encoding="utf-8")
        paths.append(str(tmp / "ep"))
    return os.pathsep.join(paths)


def feed_entries(screen: Screen[object]) -> list[str]:
    """The feed's entries as text, each on one line: wrapped continuation lines (indented) joined back."""
    out: list[str] = []
    for line in screen.query_one("#feed").lines:  # type: ignore[attr-defined]
        text = str(line.text).rstrip()
        if text[:1].isspace() and out:
            out[-1] += " " + text.strip()
        elif text:
            out.append(text)
    return out
