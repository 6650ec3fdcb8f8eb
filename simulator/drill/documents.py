"""What a document must carry at a moment of a drill, and what a draft of it leaves out.

The elements a document must carry are those of the duties it would answer now (the duties still
open that its action meets); with none open, those of every duty the action meets. An
announcement's elements are channels: the plan gives each level its own (ACTIVATE-3), and a channel
it does not give the level in force is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..model import Action, MetByAction, Obligation
from .view import DrillView


class DocumentRules(Protocol):
    """What the checks read of a plan: its actions and its duties (a ``Plan`` or a client's ``Catalog``)."""

    @property
    def actions(self) -> Mapping[str, Action]:
        """The plan's actions by name."""

    @property
    def obligations(self) -> Sequence[Obligation]:
        """The plan's duties, in its order."""


@dataclass(frozen=True)
class DocumentCheck:
    """A draft document held against what the plan requires of it now."""

    required: tuple[str, ...]
    """The elements it must carry, in the action's order."""
    missing: tuple[str, ...]
    """Required elements the draft does not carry."""
    wrong: tuple[str, ...]
    """Channels the draft names that the plan does not give the level in force."""


def required_elements(plan: DocumentRules, view: DrillView, action: str) -> tuple[str, ...]:
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


def only_required(plan: DocumentRules, view: DrillView, action: str) -> bool:
    """Whether a document of ``action`` may name nothing beyond its required elements now.

    So is an announcement at a level the plan gives channels: any other channel is wrong.
    """
    channels = plan.actions[action].channels
    return channels is not None and view.level in channels.by_level


def check_document(plan: DocumentRules, view: DrillView, action: str, contents: tuple[str, ...]) -> DocumentCheck:
    """What the draft ``contents`` of a document of ``action`` leave out, or name wrongly, now."""
    required = required_elements(plan, view, action)
    wrong = tuple(c for c in contents if c not in required) if only_required(plan, view, action) else ()
    return DocumentCheck(required, tuple(e for e in required if e not in contents), wrong)
