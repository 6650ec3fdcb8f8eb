"""Staffing asked for on a command line: ``TEAM=N`` (N people round the clock) or ``TEAM=xF`` (the roster × F).

One rule for every argument that takes it; the scaled form scales the base staff and every shift,
each rounded up, so that a team keeps the shape of its roster.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .base import MAX_STAFF
from .errors import UserError
from .plan import Plan
from .scenario import Scenario, TeamSetup

_FACTOR = re.compile(r"[xX×]([0-9]+(?:\.[0-9]+)?)")
_MAX_FACTOR_DIGITS = 12


@dataclass(frozen=True)
class Scale:
    """A team's roster multiplied by ``factor`` (exact: ``x1.2`` is 6/5, not the float nearest it)."""

    factor: Fraction
    text: str
    """The factor as it was written (``1.2``)."""


Staffing = int | Scale
"""What one ``TEAM=...`` asks for: people round the clock, or the roster scaled."""


def is_factor(value: str) -> bool:
    """Whether the part after ``=`` is written as a factor (``x...``, ``X...`` or ``×...``)."""
    return value[:1] in ("x", "X", "×")


def parse_people(item: str, option: str, form: str = "TEAM=N") -> tuple[str, int]:
    """``comms=40`` → ``("comms", 40)``; anything else (a factor included) is a :class:`UserError` naming ``option``."""
    name, sep, value = item.partition("=")
    if sep and name and is_factor(value) and form == "TEAM=N":
        raise UserError(f"{option}: '{item}' scales a roster; {option} takes a whole number of people (TEAM=N)")
    if not sep or not name or not (value.isascii() and value.isdigit()) or int(value) > MAX_STAFF:
        raise UserError(f"{option}: expected {form} with N a whole number of people from 0 to {MAX_STAFF}, got '{item}'")
    return name, int(value)


def parse_staffing(item: str, option: str) -> tuple[str, Staffing]:
    """``comms=40`` → ``("comms", 40)``; ``comms=x1.2`` → ``("comms", Scale(6/5))``; else a :class:`UserError`."""
    name, sep, value = item.partition("=")
    if not (sep and name and is_factor(value)):
        return parse_people(item, option, "TEAM=N or TEAM=xF")
    m = _FACTOR.fullmatch(value)
    if m is None or len(m.group(1)) > _MAX_FACTOR_DIGITS or Fraction(m.group(1)) == 0:
        raise UserError(f"{option}: expected TEAM=xF with F a factor above 0 such as x1.2, got '{item}'")
    return name, Scale(Fraction(m.group(1)), m.group(1))


def scaled(n: int, factor: Fraction) -> int:
    """``n`` people × ``factor``, rounded up."""
    return math.ceil(n * factor)


def scale_roster(plan: Plan, scenario: Scenario, scales: Mapping[str, Scale], option: str) -> Scenario:
    """``scenario`` with each named team's base staff and shifts × its factor, rounded up.

    A team the scenario does not staff scales the plan's default staff. A roster scaled beyond
    ``MAX_STAFF`` people is a :class:`UserError` naming ``option``.
    """
    teams = dict(scenario.teams)
    for team, scale in scales.items():
        setup = teams.get(team) or TeamSetup(staff=plan.teams[team].default_staff)
        shifts = [s.model_copy(update={"staff": scaled(s.staff, scale.factor)}) for s in setup.shifts]
        staff = scaled(setup.staff, scale.factor)
        if max([staff, *(s.staff for s in shifts)]) > MAX_STAFF:
            raise UserError(f"{option}: {team} ×{scale.text} goes beyond {MAX_STAFF} people, the most a team may have")
        teams[team] = setup.model_copy(update={"staff": staff, "shifts": shifts})
    return scenario.model_copy(update={"teams": teams})
