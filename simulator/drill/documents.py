"""What a document must carry at a moment of a drill, and what a draft of it leaves out.

The elements a document must carry are those of the duties it would answer now (the duties still
open that its action meets); with none open, those of every duty the action meets. An
announcement's elements are channels: the plan gives each level its own (ACTIVATE-3), and a channel
it does not give the level in force is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import MetByAction, Plan
from .view import DrillView


@dataclass(frozen=True)
class DocumentCheck:
    """A draft document held against what the plan requires of it now."""

    required: tuple[str, ...]
    """The elements it must carry, in the action's order."""
    missing: tuple[str, ...]
    """Required elements the draft does not carry."""
    wrong: tuple[str, ...]
    """Channels the draft names that the plan does not give the level in force."""


def required_elements(plan: Plan, view: DrillView, action: str) -> tuple[str, ...]:
    """The elements a document of ``action`` must carry now, in the action's order."""
    spec = plan.actions[action]
    if spec.channels is not None:
        return tuple(spec.channels.by_level.get(view.level, ()))
    open_now = {d.index for d in view.duties}
    wanted: set[str] = set()
    anyway: set[str] = set()
    for index, ob in enumerate(plan.obligations):
        if isinstance(ob.met_by, MetByAction) and action in ob.met_by.action and ob.met_by.step is None:
            (wanted if index in open_now else anyway).update(ob.met_by.contents)
    return tuple(e for e in spec.contents if e in (wanted or anyway))


def check_document(plan: Plan, view: DrillView, action: str, contents: tuple[str, ...]) -> DocumentCheck:
    """What the draft ``contents`` of a document of ``action`` leave out, or name wrongly, now."""
    required = required_elements(plan, view, action)
    channels = plan.actions[action].channels
    judged = channels is not None and view.level in channels.by_level
    wrong = tuple(c for c in contents if c not in required) if judged else ()
    return DocumentCheck(required, tuple(e for e in required if e not in contents), wrong)
