"""Trainees of a drill session and the plan roles they hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Plan, UserError

DEFAULT_ROLE = "duty"
"""The role a trainee holds when none is named: the duty officer's."""
AUTO_ACTOR = "auto"
"""The actor name of the auto-responder, which no trainee may take."""


@dataclass(frozen=True)
class Trainee:
    """A person taking part in a drill, holding one or more of the plan's roles."""

    name: str
    roles: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "roles": list(self.roles)}


def parse_trainee(text: str, plan: Plan) -> Trainee:
    """Parse ``NAME[:ROLE[,ROLE]]``; with no role (and no ':') the trainee is the duty officer."""
    name, colon, roles_text = text.partition(":")
    name = name.strip()
    if not name:
        raise UserError(f"trainee '{text}': expected NAME[:ROLE[,ROLE]], the name is empty")
    roles = [r.strip() for r in roles_text.split(",") if r.strip()]
    if colon and not roles:
        raise UserError(f"trainee '{text}': no role after ':'; give NAME alone for the duty officer, or NAME:ROLE[,ROLE]")
    roles = roles or [DEFAULT_ROLE]
    for role in roles:
        if role not in plan.roles:
            raise UserError(f"trainee '{text}': unknown role '{role}'; the plan's roles are: {', '.join(plan.roles)}")
    return Trainee(name, tuple(dict.fromkeys(roles)))


def check_trainees(trainees: Sequence[Trainee], plan: Plan) -> dict[str, str]:
    """Check that names are distinct, roles exist and no role is held twice; map each held role to its trainee."""
    holder: dict[str, str] = {}
    names: set[str] = set()
    for t in trainees:
        if not t.name or t.name == AUTO_ACTOR or t.name in names:
            why = "is empty" if not t.name else "is reserved" if t.name == AUTO_ACTOR else "is taken twice"
            raise UserError(f"trainee name '{t.name}' {why}")
        names.add(t.name)
        if not t.roles:
            raise UserError(f"trainee '{t.name}' holds no role")
        for role in t.roles:
            if role not in plan.roles:
                raise UserError(f"trainee '{t.name}': unknown role '{role}'; the plan's roles are: {', '.join(plan.roles)}")
            if role in holder:
                raise UserError(f"role '{role}' is held by both '{holder[role]}' and '{t.name}'; give each role to one trainee")
            holder[role] = t.name
    return holder
