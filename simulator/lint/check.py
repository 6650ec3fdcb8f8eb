"""``drillsim lint``: find the holes in a plan file by analysing it.

Every finding names a stable code (``LEVEL-GAP``, ``CHAIN-DEADLINE``, ...), the plan's rule IDs
involved, the plan file's line numbers (from the YAML source marks) and a message in Chinese and
English. The checks live in ``lint_space`` (levels, scope and warning over the indicator space),
``lint_duties`` (deadlines, cadences, durations) and ``lint_terms`` (undefined terms, thresholds
that read two ways), ``lint_transitions`` (level changes and the warning's end) and ``lint_channels``
(announcement channels against their duties, partial credit in order). Nothing is
compared with a list of known answers: a mended plan comes out clean and new holes are found.
"""

from __future__ import annotations

from pathlib import Path

from ..load import DEFAULT_PLAN, load_plan, load_yaml, scenarios_dir
from .base import Context, Finding
from .channels import check_channels
from .duties import check_duties
from .space import Space, check_space
from .terms import check_terms
from .transitions import check_transitions

CODES: dict[str, str] = {
    "LEVEL-GAP": "an open event that no level grades",
    "LEVEL-OVERLAP": "two levels of equal rank both hold",
    "LEVEL-UNREACHABLE": "a level the conditions can never call for",
    "SCOPE-LEVEL": "a level grades events outside the plan's scope",
    "WARNING-UNREACHABLE": "the warning's conditions never hold below the levels",
    "THRESHOLD-READING": "a growth threshold that reads two ways",
    "UNDEFINED-TERM": "a term the plan file had to choose a number for",
    "CHAIN-DEADLINE": "a deadline the required chain of steps cannot meet",
    "DEADLINE-CONFLICT": "an allowance for part of a duty exceeds the deadline for the whole",
    "CADENCE-CONFLICT": "one duty repeated at two different cadences",
    "DURATION-CONFLICT": "two durations for the same thing",
    "TRANSITION-DIRECTION": "one rule cited for raising and for lowering the level",
    "TRANSITION-DUPLICATE": "one level change listed twice",
    "TRANSITION-MISSING": "a rise the conditions call for that no transition allows",
    "WARNING-ENDS-ON-RESPONSE": "a response start ends the warning, bypassing its lifting",
    "CHANNELS-CONFLICT": "an announcement's channels for a level differ from those its duty requires",
    "CREDIT-ORDER": "partial credit that rewards a late and incomplete duty over a late or an incomplete one",
    "INJECT-NEVER": "a scenario's inject that can never fire (with --scenario)",
}
"""Every finding code and what it means."""


def lint(path: Path | None = None) -> list[Finding]:
    """Analyse a plan file (the bundled plan when None); findings in file order."""
    path = path or scenarios_dir() / DEFAULT_PLAN
    ctx = Context(load_plan(path), load_yaml(path))
    space = Space(ctx)
    found = [*check_space(space), *check_terms(ctx), *check_duties(ctx), *check_transitions(ctx, space), *check_channels(ctx)]
    return sorted(found, key=lambda f: (f.lines[:1] or (0,), f.code, f.lines, f.rules))
