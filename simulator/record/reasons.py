"""Why a decision was rejected, or judged right or wrong: reason codes and their words in Chinese and English.

The engine and scoring say why with a :class:`Reason` — a code and its arguments. The event log
keeps the code, the arguments and the English sentence, so every reader can say it in either
language, and a log written before reasons had codes still reads (its English sentence is all it has).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Lang, Names, Plan
from .events import DecisionRejected

Args = tuple[tuple[str, str], ...]
"""A reason's arguments: (name, value) pairs, values as text."""

TEXTS: dict[str, tuple[str, str]] = {
    "": ("{text}", "{text}"),
    "unknown_action": ("未知的决策“{action}”", "unknown action '{action}'"),
    "unknown_level": ("未知的响应级别“{level}”", "unknown level '{level}'"),
    "level_in_force": ("{level}已在执行", "{level} is already in force"),
    "transition_not_allowed": ("预案不允许由{from_level}调整为{to_level}", "the plan does not allow {from_level} → {to_level}"),
    "warning_under_response": (
        "应急响应已启动;预警状态低于各响应级别",
        "a response is in force; the warning state is below the response levels",
    ),
    "warning_active": ("预警状态已在执行", "the warning state is already active"),
    "no_warning": ("当前没有预警", "no warning is active"),
    "no_response": ("当前没有应急响应", "no response is in force"),
    "move_two_teams": (
        "调配人员需要两个不同的团队(收到“{src}”→“{dst}”)",
        "move_staff needs two different teams (got '{src}' → '{dst}')",
    ),
    "move_whole_number": ("调配人数须为正整数(收到“{n}”)", "move_staff needs a positive whole number of people (got '{n}')"),
    "move_too_many": ("{src}在岗仅{staff}人", "{src} has only {staff} people on duty"),
    "backup_open": ("备用热线已开通", "the backup hotline is already open"),
    "no_backup": ("本场景没有备用热线", "this scenario has no backup hotline"),
    "no_external": ("本场景没有可请求的外部支援", "this scenario has no external support to call on"),
    "declared": ("宣布{level};预案条件要求{implied}", "declared {level}; the plan's conditions called for {implied}"),
    "warning_started": ("启动预警;预案条件要求{implied}", "warning started; the plan's conditions called for {implied}"),
    "lift_held": ("解除条件成立", "lifting conditions held"),
    "lift_not_yet": (
        "解除预警需持续监测{hours}小时并满足WARN-4条件",
        "lifting needs {hours} h of monitoring and the WARN-4 conditions",
    ),
    "stand_down_held": ("终止条件成立", "stand-down conditions held"),
    "stand_down_not": ("终止条件不成立", "stand-down conditions did not hold"),
}
"""Each code's sentence in Chinese and English; ``""`` is a sentence given as it is (``text``)."""

_LEVEL_ARGS = frozenset({"level", "implied", "from_level", "to_level"})
_TEAM_ARGS = frozenset({"src", "dst"})


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code with its arguments."""

    code: str
    args: Args = ()

    @classmethod
    def of(cls, code: str, args: Args, text: str) -> Reason:
        """The reason a record carries: its code and arguments, or, from an older log, its sentence."""
        return cls(code, args) if code in TEXTS and code else cls("", (("text", text),))

    @classmethod
    def rejected(cls, e: DecisionRejected) -> Reason:
        """Why the engine rejected a decision, as its log record tells."""
        return cls.of(e.code, e.args, e.reason)

    def say(self, lang: Lang, plan: Plan | None = None) -> str:
        """The reason in ``lang``; with ``plan``, levels and teams by the plan's names."""
        zh, en = TEXTS[self.code]
        name = _namer(plan, lang) if plan is not None else _as_is
        return (zh if lang == "zh" else en).format(**{k: name(k, v) for k, v in self.args})

    @property
    def en(self) -> str:
        """The English sentence, with the plan's identifiers: what the log keeps as ``reason``."""
        return self.say("en")


def _as_is(arg: str, value: str) -> str:
    return value


def _namer(plan: Plan, lang: Lang) -> Callable[[str, str], str]:
    names = Names(plan, lang)

    def name(arg: str, value: str) -> str:
        if arg in _LEVEL_ARGS:
            return names.level(value)
        if arg in _TEAM_ARGS:
            return names.team(value)
        return names.action(value) if arg == "action" else value

    return name
