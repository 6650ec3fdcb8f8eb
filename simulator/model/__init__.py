"""The plan and the scenario as validated data: levels, conditions, teams, injects, decisions; the error types."""

from .base import MINUTES_PER_DAY, MINUTES_PER_HOUR, Lang, SimTime, Strict, Text
from .conditions import AllOf, AnyOf, Atom, Value, atoms, holds, predicate
from .decisions import Decision, Request
from .errors import Location, Problem, UserError, ValidationFailed, format_path, read_input
from .names import INJECT_KINDS, Names, inject_kind
from .plan import NO_LEVEL, Indicator, MetByAction, MetByAnswered, MetByCallbacks, MetByTask, Obligation, Plan, Trigger, TriggerOn
from .scenario import (
    CHANNELS,
    HOTLINE,
    SEVERITIES,
    Complaints,
    Dist,
    Inject,
    Opinion,
    Responder,
    Scenario,
    Shift,
    TeamSetup,
    surge_factor,
)
from .situation import WARNING, Situation

__all__ = [
    "CHANNELS",
    "HOTLINE",
    "INJECT_KINDS",
    "MINUTES_PER_DAY",
    "MINUTES_PER_HOUR",
    "NO_LEVEL",
    "SEVERITIES",
    "WARNING",
    "AllOf",
    "AnyOf",
    "Atom",
    "Complaints",
    "Decision",
    "Dist",
    "Indicator",
    "Inject",
    "Lang",
    "Location",
    "MetByAction",
    "MetByAnswered",
    "MetByCallbacks",
    "MetByTask",
    "Names",
    "Obligation",
    "Opinion",
    "Plan",
    "Problem",
    "Request",
    "Responder",
    "Scenario",
    "Shift",
    "SimTime",
    "Situation",
    "Strict",
    "TeamSetup",
    "Text",
    "Trigger",
    "TriggerOn",
    "UserError",
    "ValidationFailed",
    "Value",
    "atoms",
    "format_path",
    "holds",
    "inject_kind",
    "predicate",
    "read_input",
    "surge_factor",
]
