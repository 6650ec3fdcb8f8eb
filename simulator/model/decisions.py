"""Decisions: what enters the engine's decision port, from any kind of decision maker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .base import SimTime, Text

InjectStatus = Literal["pending", "held", "skipped", "fired"]
"""Where an inject of the MSEL stands: not fired yet, held by the facilitator, skipped, fired."""
CueOp = Literal["fire", "hold", "release", "skip", "write"]
"""What the facilitator does to the MSEL: fire an inject now, hold it, release it, skip it, or write a new one."""

DocumentField = Literal["title", "body"]
"""A text field of a document a person writes."""
DOCUMENT_FIELDS: tuple[DocumentField, ...] = get_args(DocumentField)


@dataclass(frozen=True)
class Request:
    """A decision as a person asks for it — which action, for which role, with what — before it is taken.

    The drill session alone gives it its time (the clock's) and its actor (the role's holder).
    """

    action: str
    role: str
    params: dict[str, str] = field(default_factory=dict)
    contents: tuple[str, ...] = ()
    text: dict[str, str] = field(default_factory=dict)

    def taken(self, t: SimTime, actor: str) -> Decision:
        """The decision this request becomes when ``actor`` takes it at ``t``."""
        return Decision(t, self.action, self.role, actor, dict(self.params), self.contents, dict(self.text))


@dataclass(frozen=True)
class Decision:
    """One decision, taken at a simulated time by someone holding a plan role."""

    t: SimTime
    action: str
    """An action of the plan's decision port."""
    role: str
    actor: str = "auto"
    """``auto`` for the auto-responder, else the trainee's name."""
    params: dict[str, str] = field(default_factory=dict)
    """Action parameters: ``level`` for declare_level; ``src``, ``dst``, ``n`` for move_staff."""
    contents: tuple[str, ...] = ()
    """Elements the decision's document carries, as its author marked them (a notice's risk nature...)."""
    text: dict[str, str] = field(default_factory=dict)
    """The document as its author wrote it, by field (``title``, ``body``); empty for the auto-responder."""

    def request(self) -> Request:
        """What was asked for, without the time and the actor."""
        return Request(self.action, self.role, dict(self.params), self.contents, dict(self.text))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "t": self.t,
            "action": self.action,
            "role": self.role,
            "actor": self.actor,
            "params": dict(sorted(self.params.items())),
            "contents": list(self.contents),
            **({"text": dict(sorted(self.text.items()))} if self.text else {}),
        }

    @classmethod
    def from_json(cls, rec: dict[str, Any]) -> Decision:
        """The inverse of :meth:`to_json`."""
        return cls(
            t=float(rec["t"]),
            action=str(rec["action"]),
            role=str(rec["role"]),
            actor=str(rec.get("actor", "auto")),
            params={str(k): str(v) for k, v in rec.get("params", {}).items()},
            contents=tuple(str(c) for c in rec.get("contents", ())),
            text={str(k): str(v) for k, v in rec.get("text", {}).items()},
        )


@dataclass(frozen=True)
class Written:
    """An inject the facilitator writes during a drill: it fires at once, as a scenario inject of its kind would."""

    kind: str
    text: Text
    roles: tuple[str, ...] = ()
    """The plan roles it is addressed to (none: the whole room)."""
    values: tuple[tuple[str, bool | float | str], ...] = ()
    """Indicator values it sets."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": {"zh": self.text.zh, "en": self.text.en},
            "roles": list(self.roles),
            "set": dict(self.values),
        }


@dataclass(frozen=True)
class Cue:
    """The facilitator's act on the MSEL at a simulated time: on the scenario's inject ``index``, or a written one."""

    t: SimTime
    op: CueOp
    by: str
    """The facilitator's seat."""
    index: int = -1
    """The scenario inject acted on (``write``: none)."""
    written: Written | None = None
    """For ``write``: the new inject."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out: dict[str, Any] = {"t": self.t, "op": self.op, "by": self.by, "index": self.index}
        if self.written is not None:
            out["written"] = self.written.to_json()
        return out
