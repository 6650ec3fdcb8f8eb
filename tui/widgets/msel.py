"""The facilitator's MSEL panel and cue commands in ``drillsim join``.

:class:`MselPanel` lists the drill's injects as the host sends them (``msel``): index, status,
time, kind and the start of the text. :func:`cue_message` reads the facilitator's commands:
``/fire N``, ``/hold N``, ``/release N``, ``/skip N`` and
``/inject KIND [@ROLE,ROLE] [NAME=VALUE ...] TEXT`` (``中文 | English`` for both languages).
"""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual.widgets import Static

from simulator.drill import MselEntry
from simulator.host import CueInject, Message, WriteInject
from simulator.model import Lang, inject_kind

from ..i18n import clock

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("情景事件清单(/fire /hold /release /skip N,/inject)", "MSEL (/fire /hold /release /skip N, /inject)"),
    "pending": ("待发", "pending"),
    "held": ("暂缓", "held"),
    "skipped": ("跳过", "skipped"),
    "fired": ("已发", "fired"),
    "when": ("条件", "when"),
    "after": ("相对", "after"),
    "bad_cue": ("命令格式:/fire|/hold|/release|/skip 注入编号", "expected /fire, /hold, /release or /skip and an inject number"),
    "bad_inject": (
        "命令格式:/inject 类型 [@角色,角色] [指标=值 ...] 内容(中文 | English)",
        "expected /inject KIND [@ROLE,ROLE] [NAME=VALUE ...] TEXT (中文 | English)",
    ),
    "cued": ("{op} 注入 {index}", "{op} inject {index}"),
    "op.fire": ("立即发出", "fired"),
    "op.hold": ("暂缓", "held"),
    "op.release": ("放行", "released"),
    "op.skip": ("跳过", "skipped"),
    "op.write": ("写入并发出", "wrote and fired"),
}
MARKS = {"pending": "○", "held": "‖", "skipped": "✗", "fired": "●"}
STYLES = {"pending": "", "held": "bold yellow", "skipped": "dim", "fired": "green"}
CUES = ("fire", "hold", "release", "skip")
SHOWN = 14
"""Injects shown at once: the first not yet fired and those around it."""


def say(key: str, lang: Lang, /, **values: object) -> str:
    """A string of the panel in ``lang``."""
    zh, en = STRINGS[key]
    return (zh if lang == "zh" else en).format(**values)


class MselPanel(Static):
    """The injects with their status and time (the facilitator's seat only)."""

    DEFAULT_CSS = """
    MselPanel {
        height: auto; max-height: 35%; padding: 0 1; border-bottom: solid $primary;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def show(self, injects: list[MselEntry], lang: Lang) -> None:
        """Draw the list: pending and held injects first in sight, fired ones above them."""
        out = Text(say("title", lang) + "\n", "bold")
        first = next((i for i, e in enumerate(injects) if e.status in ("pending", "held")), max(0, len(injects) - SHOWN))
        start = max(0, min(first - 2, len(injects) - SHOWN))
        for e in injects[start : start + SHOWN]:
            waiting = e.fired is None and not e.at and (e.when or e.after is not None)
            t = "—" if waiting else clock(e.fired if e.fired is not None else e.at, lang)
            waits = " ".join(say(k, lang) for k, on in (("when", e.when), ("after", e.after is not None)) if on)
            words = (e.zh if lang == "zh" else e.en)[:18]
            kind = inject_kind(e.kind, lang)
            line = f"{MARKS[e.status]} {e.index:>2} {say(e.status, lang)} {t} {waits} {kind} {words}"
            out.append(line.replace("  ", " ") + "\n", STYLES[e.status])
        self.update(out)


def cue_message(text: str, ref: str, lang: Lang) -> Message | str:
    """The facilitator's command as a message to the host, or the key of what is wrong with it ('' if not a cue).

    An inject's text without `` | `` is in the seat's language ``lang``.
    """
    op, _, rest = text.removeprefix("/").partition(" ")
    if op in CUES:
        try:
            return CueInject.model_validate({"ref": ref, "op": op, "index": int(rest.strip())})
        except (ValueError, ValidationError):
            return "bad_cue"
    if op != "inject":
        return ""
    try:
        return _written(rest, ref, lang)
    except ValidationError:
        return "bad_inject"


def _written(rest: str, ref: str, lang: Lang) -> WriteInject | str:
    words = rest.split()
    if not words:
        return "bad_inject"
    kind, roles, values, at = words[0], [], {}, 1
    while at < len(words) and (words[at].startswith("@") or "=" in words[at]):
        if words[at].startswith("@"):
            roles += [r for r in words[at][1:].split(",") if r]
        else:
            name, _, value = words[at].partition("=")
            values[name] = _value(value)
        at += 1
    first, bar, second = " ".join(words[at:]).partition(" | ")
    zh, en = (first, second) if bar or lang == "zh" else ("", first)
    if not (zh.strip() or en.strip()):
        return "bad_inject"
    return WriteInject(ref=ref, kind=kind, roles=roles, set=values, zh=zh.strip(), en=en.strip())


def _value(text: str) -> bool | float | str:
    """An indicator value as typed: true/false, a number, else a name."""
    if text.casefold() in ("true", "false"):
        return text.casefold() == "true"
    try:
        return float(text)
    except ValueError:
        return text
