"""Why a decision was rejected, or judged right or wrong: reason codes and their words in Chinese and English.

The engine and scoring say why with a :class:`Reason` — a code and its arguments. The event log
keeps the code, the arguments and the English sentence, so every reader can say it in either
language, and a log written before reasons had codes still reads (its English sentence is all it has).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Atom, Lang, Names, Plan, Value, list_separator
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
    "announced": (
        "在{level}下经{channels}发布公告;预案要求{expected}",
        "announced {level} on {channels}; the plan calls for {expected}",
    ),
    "lift_held": ("解除条件成立", "lifting conditions held"),
    "lift_not_yet": (
        "解除预警需持续监测{hours}小时并满足WARN-4条件",
        "lifting needs {hours} h of monitoring and the WARN-4 conditions",
    ),
    "stand_down_held": ("终止条件成立", "stand-down conditions held"),
    "stand_down_not": ("终止条件不成立", "stand-down conditions did not hold"),
}
"""Each code's sentence in Chinese and English; ``""`` is a sentence given as it is (``text``)."""

PARTS: dict[str, tuple[str, str]] = {
    "held": ("成立:{}", "held: {}"),
    "failed": ("不成立:{}", "not held: {}"),
    "called": ("要求{implied}的依据:{}", "{implied} because {}"),
    "wrong": ("不属本级渠道:{}", "not a channel for this level: {}"),
    "missing": ("缺少:{}", "missing: {}"),
}
"""Explanations a judged decision's sentence ends with, each when its argument is not empty."""

_LEVEL_ARGS = frozenset({"level", "implied", "from_level", "to_level"})
_TEAM_ARGS = frozenset({"src", "dst"})
_ELEMENT_ARGS = frozenset({"channels", "expected", "wrong", "missing"})
_CONDITION_ARGS = frozenset({"held", "failed", "called"})
_SYMBOLS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠", "in": "∈"}


def conditions_arg(compared: Iterable[tuple[Atom, Value]]) -> str:
    """Comparisons and the values they met, as a reason's argument: ``growth_pct|gt|200|221;...``."""
    return ";".join(f"{a.indicator}|{a.op}|{_text(a.operand)}|{_text(v)}" for a, v in compared)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return f"{value:g}"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _typed(text: str) -> Value:
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


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
        """The reason in ``lang``; with ``plan``, levels, teams, indicators and elements by the plan's names."""
        zh, en = TEXTS[self.code]
        name = _namer(plan, lang) if plan is not None else _as_is
        args = {k: name(k, v) for k, v in self.args}
        sentence = (zh if lang == "zh" else en).format(**{k: v for k, v in args.items() if k not in PARTS})
        parts = [PARTS[k][lang == "en"].format(args[k], implied=args.get("implied", "")) for k in PARTS if dict(self.args).get(k)]
        return sentence + ("——" + ";".join(parts) if lang == "zh" else " — " + "; ".join(parts)) if parts else sentence

    @property
    def en(self) -> str:
        """The English sentence, with the plan's identifiers: what the log keeps as ``reason``."""
        return self.say("en")


def _as_is(arg: str, value: str) -> str:
    if arg in _CONDITION_ARGS:
        return _conditions(value, "en", None, arg != "failed")
    return value.replace(",", ", ") if arg in _ELEMENT_ARGS else value


def _namer(plan: Plan, lang: Lang) -> Callable[[str, str], str]:
    names = Names(plan, lang)

    def name(arg: str, value: str) -> str:
        if arg in _LEVEL_ARGS:
            return names.level(value)
        if arg in _TEAM_ARGS:
            return names.team(value)
        if arg in _ELEMENT_ARGS:
            return names.elements(value.split(",") if value else ())
        if arg in _CONDITION_ARGS:
            return _conditions(value, lang, names, arg != "failed")
        return names.action(value) if arg == "action" else value

    return name


def _conditions(arg: str, lang: Lang, names: Names | None, held: bool) -> str:
    """``growth_pct 221 > 200``, ``spread_risk = false (needs true)``: each comparison with the value it met."""
    out = []
    for part in arg.split(";") if arg else ():
        indicator, op, operand, value = part.split("|")
        label, shown, wanted = indicator, value, operand.replace(",", "/")
        if names is not None:
            label, shown = names.indicator(indicator), names.value(indicator, _typed(value))
            wanted = "/".join(names.value(indicator, _typed(o)) for o in operand.split(","))
        rule = wanted if op == "eq" else f"{_SYMBOLS[op]} {wanted}"
        if held:
            out.append(f"{label} = {shown}" if op == "eq" else f"{label} {shown} {rule}")
        else:
            shown = shown if isinstance(_typed(value), float) else f"= {shown}"
            need = ("须为" if op == "eq" else "须") if lang == "zh" else "needs "
            out.append(f"{label} {shown}({need}{rule})" if lang == "zh" else f"{label} {shown} ({need}{rule})")
    return list_separator(lang).join(out)
