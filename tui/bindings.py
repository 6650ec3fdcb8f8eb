"""The one registry of key bindings, each with an ID and a description, and the user's keymap.

Screens take their ``BINDINGS`` from :func:`bindings`; the key bar and the help screen read the
same registry, in the session's language. A keymap file (TOML ``[keys]`` table or a JSON object)
maps binding IDs to keys, e.g. ``"console.pause" = "p"`` or ``"action.notify_gm" = "g"``; the app
hands it to Textual's ``App.set_keymap``. Decision keys (``action.<name>``) are assigned in the
plan's order from :data:`ACTION_KEYS` unless the keymap says otherwise.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from textual.binding import Binding, BindingType

from simulator.model import UserError

from .i18n import tr


@dataclass(frozen=True)
class Command:
    """A bindable command of the UI."""

    id: str
    """Stable ID, the key of a keymap entry: ``<scope>.<name>``."""
    keys: str
    """Default keys, comma-separated, in Textual's key names."""
    action: str
    """The Textual action it runs."""
    label: str
    """The i18n key of its description."""
    show: bool = True
    """Shown in the key bar (every command is listed on the help screen)."""


COMMANDS: tuple[Command, ...] = (
    Command("briefing.begin", "enter", "begin", "key.begin"),
    Command("briefing.help", "question_mark,f1", "app.help", "key.help"),
    Command("briefing.quit", "q", "app.quit", "key.quit"),
    Command("console.pause", "space", "toggle_pause", "key.pause"),
    Command("console.step", "n", "step", "key.step"),
    Command("console.faster", "plus,equals_sign", "faster", "key.faster"),
    Command("console.slower", "minus", "slower", "key.slower"),
    Command("console.autopause", "p", "toggle_autopause", "key.autopause"),
    Command("console.palette", "a", "focus_panel('palette')", "key.palette", show=False),
    Command("console.obligations", "o", "focus_panel('obligations')", "key.obligations", show=False),
    Command("console.feed", "f", "focus_panel('feed')", "key.feed", show=False),
    Command("console.end", "e", "end_drill", "key.end"),
    Command("console.end_now", "E", "end_drill_now", "key.end_now", show=False),
    Command("console.lang", "L", "switch_lang", "key.lang", show=False),
    Command("console.help", "question_mark,f1", "app.help", "key.help"),
    Command("console.quit", "q", "app.quit", "key.quit"),
    Command("end.prev", "left_square_bracket", "switch_tab(-1)", "key.prev_tab"),
    Command("end.next", "right_square_bracket", "switch_tab(1)", "key.next_tab"),
    Command("end.help", "question_mark,f1", "app.help", "key.help"),
    Command("end.quit", "q,escape", "app.quit", "key.quit"),
    Command("form.submit", "ctrl+s", "submit", "key.submit"),
    Command("form.cancel", "escape", "cancel", "key.cancel"),
    Command("confirm.yes", "y", "answer(True)", "key.yes"),
    Command("confirm.no", "n,escape", "answer(False)", "key.no"),
    Command("help.close", "escape,q,question_mark,f1", "close", "key.close"),
    Command("seat.lang", "L", "switch_lang", "key.lang"),
    Command("seat.quit", "q", "quit", "key.quit"),
    Command("facilitator.start", "s", "start", "key.start"),
    Command("facilitator.pause", "p", "pause", "key.pause_clock"),
    Command("facilitator.faster", "f", "faster", "key.faster"),
    Command("facilitator.slower", "d", "slower", "key.slower"),
    Command("facilitator.step", "n", "step", "key.step"),
    Command("facilitator.command", "slash", "type('/')", "key.command"),
    Command("facilitator.message", "m", "type('')", "key.message"),
    Command("facilitator.end", "e", "end", "key.end"),
    Command("facilitator.lang", "L", "switch_lang", "key.lang", show=False),
    Command("facilitator.quit", "q", "quit", "key.quit"),
    Command("evaluator.note", "m", "type('')", "key.note"),
    Command("evaluator.rate", "r", "rate", "key.rate"),
    Command("evaluator.lang", "L", "switch_lang", "key.lang"),
    Command("evaluator.quit", "q", "quit", "key.quit"),
)

ACTION_KEYS: tuple[str, ...] = tuple("1234567890bcdghijklmrstuvwxyz")
"""Keys given to the plan's decisions, in the plan's order (the console's own keys are left out)."""

ACTION_PREFIX = "action."


def commands(scope: str) -> list[Command]:
    """The commands of one scope: ``briefing``, ``console``, ``end``, ``form``, ``confirm``, ``help``, or a seat's."""
    return [c for c in COMMANDS if c.id.split(".", 1)[0] == scope]


def command(command_id: str) -> Command:
    """The command with this ID."""
    return next(c for c in COMMANDS if c.id == command_id)


def bindings(scope: str) -> list[BindingType]:
    """Textual bindings for a scope; the key bar shows them in the session's language, not the footer."""
    return [Binding(c.keys, c.action, tr(c.label, "en"), show=False, id=c.id) for c in commands(scope)]


def action_keys(actions: Iterable[str], keymap: Mapping[str, str]) -> dict[str, str]:
    """Key → plan action, the keymap's choices first, then the default keys still free."""
    names = list(actions)
    out: dict[str, str] = {}
    for name in names:
        for key in keymap.get(ACTION_PREFIX + name, "").split(","):
            if key.strip():
                out[key.strip()] = name
    pool = [k for k in ACTION_KEYS if k not in out]
    for name in names:
        if name not in out.values() and pool:
            out[pool.pop(0)] = name
    return out


def keys_for(command: Command, keymap: Mapping[str, str]) -> list[str]:
    """The keys a command answers to, after the keymap."""
    return [k.strip() for k in keymap.get(command.id, command.keys).split(",") if k.strip()]


def default_keymap_path() -> Path:
    """``keymap.toml`` in the user's configuration folder for drillsim."""
    return Path(platformdirs.user_config_dir("drillsim")) / "keymap.toml"


def load_keymap(path: Path, actions: Iterable[str]) -> dict[str, str]:
    """Read a keymap file: binding ID → keys. Unknown IDs and non-string keys are errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such keymap file") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text).get("keys", {})
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"{path}: not a keymap ({exc})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: a keymap maps binding IDs to keys")
    known = [c.id for c in COMMANDS] + [ACTION_PREFIX + a for a in actions]
    out: dict[str, str] = {}
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UserError(f"{path}: unknown binding ID '{key}'{hint}")
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{path}: '{key}' needs keys as a string, e.g. \"ctrl+p\"")
        out[key] = value
    return out
