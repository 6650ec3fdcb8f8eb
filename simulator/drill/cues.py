"""The facilitator's hand on the MSEL: what each inject's status is, and which cues the drill takes.

:func:`msel_of` lists every inject with its status (pending, held, skipped, fired) and time, for the
facilitator's view. :func:`cue_refusal` says why a cue cannot be taken — an inject that is not
there or is past the act, a written inject of an unknown kind, for an unknown role, setting an
unknown indicator or a value it cannot take — as a code with its arguments, which each surface says
in its own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from ..engine import Engine
from ..load import fits
from ..model import INJECT_KINDS, MINUTES_PER_HOUR, CueOp, InjectStatus, Plan, Scenario, UserError, Written
from ..record import InjectWritten


class MselEntry(BaseModel):
    """One inject of the drill's MSEL as the facilitator sees it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    kind: str
    synopsis: str
    zh: str
    en: str
    player: str | None
    status: InjectStatus
    at: float
    """Its hour in minutes (with a condition or ``after``: the earliest); a written one: when it was written."""
    fired: float | None
    """When it fired."""
    when: bool
    """Whether it waits for a condition."""
    after: str | None
    """What it waits for: ``inject:ID`` or ``decision:ACTION``."""


def msel_of(engine: Engine) -> list[MselEntry]:
    """Every inject of the drill so far: the scenario's, then those the facilitator wrote (once the clock has run past them)."""
    msel = engine.msel
    out = [
        MselEntry(
            index=i,
            kind=inj.kind,
            synopsis=inj.synopsis,
            zh=inj.text.zh,
            en=inj.text.en,
            player=inj.player,
            status=msel.status[i],
            at=inj.at_h * MINUTES_PER_HOUR,
            fired=msel.fired.get(i),
            when=inj.when is not None,
            after=inj.after.key if inj.after is not None else None,
        )
        for i, inj in enumerate(msel.injects)
    ]
    for e in engine.log.of(InjectWritten):
        player = e.roles[0] if len(e.roles) == 1 else None
        out.append(
            MselEntry(
                index=e.index, kind=e.kind, synopsis="", zh=e.zh, en=e.en, player=player,
                status="fired", at=e.t, fired=e.t, when=False, after=None,
            )
        )  # fmt: skip
    return out


def known_kinds(plan: Plan, scenario: Scenario) -> set[str]:
    """Inject kinds a written inject may have: the usual ones, those the plan's triggers name and the scenario's."""
    kinds = set(INJECT_KINDS) | {inj.kind for inj in scenario.injects}
    kinds |= {ob.trigger.inject for ob in plan.obligations if ob.trigger.inject is not None}
    return kinds | {task.start.inject for task in plan.tasks.values() if task.start.inject is not None}


Refusal = tuple[str, dict[str, str]]
"""Why a cue is refused: a code and its arguments."""


def cue_refusal(engine: Engine, op: CueOp, index: int, written: Written | None) -> Refusal | None:
    """Why the facilitator cannot take this cue now (None: it can)."""
    plan, scenario = engine.plan, engine.scenario
    if op != "write":
        why = engine.msel.refusal(op, index)
        return None if why is None else (f"cue.{why}", {"index": str(index)})
    if written is None:
        return ("cue.empty", {})
    if written.kind not in known_kinds(plan, scenario):
        return ("cue.kind", {"kind": written.kind, "known": ", ".join(sorted(known_kinds(plan, scenario)))})
    for role in written.roles:
        if role not in plan.roles:
            return ("cue.role", {"role": role, "known": ", ".join(plan.roles)})
    for name, value in written.values:
        ind = plan.indicators.get(name)
        if ind is None or ind.source != "inject":
            known = ", ".join(k for k, v in plan.indicators.items() if v.source == "inject")
            return ("cue.indicator", {"name": name, "known": known})
        if not fits(ind.kind, ind.values, value):
            return ("cue.value", {"name": name, "value": str(value)})
    return None


ENGLISH = {
    "cue.unknown": "there is no inject {index} in the scenario's MSEL",
    "cue.fired": "inject {index} has fired already",
    "cue.held": "inject {index} is held already",
    "cue.skipped": "inject {index} is skipped already",
    "cue.not_held": "inject {index} is not held",
    "cue.empty": "a written inject needs its kind and text",
    "cue.kind": "unknown inject kind '{kind}'; known: {known}",
    "cue.role": "unknown role '{role}'; the plan's roles: {known}",
    "cue.indicator": "an inject cannot set '{name}'; it may set: {known}",
    "cue.value": "{value} is not a value of '{name}'",
}
"""The refusals in English (the host says them in each seat's language)."""


@dataclass
class CueRefused(UserError):
    """A cue the drill does not take, with the code and arguments of why."""

    code: str
    args_: dict[str, str]

    def __post_init__(self) -> None:
        super().__init__(ENGLISH[self.code].format(**self.args_))
