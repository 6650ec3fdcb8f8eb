"""Conditions over the plan's indicators, evaluated by their compiled predicates."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from simulator.model.conditions import Condition, holds, predicate

ORDINALS = {"media": ("none", "regional", "national")}
parse = TypeAdapter(Condition).validate_python


@pytest.mark.parametrize(
    ("cond", "values", "expected"),
    [
        ({"indicator": "growth_pct", "ge": 300}, {"growth_pct": 300.0}, True),
        ({"indicator": "growth_pct", "gt": 300}, {"growth_pct": 300.0}, False),
        ({"indicator": "growth_pct", "lt": 50}, {"growth_pct": 49.9}, True),
        ({"indicator": "growth_pct", "le": 50}, {"growth_pct": 50.1}, False),
        ({"indicator": "media", "ge": "regional"}, {"media": "national"}, True),
        ({"indicator": "media", "gt": "regional"}, {"media": "regional"}, False),
        ({"indicator": "media", "in": ["regional", "national"]}, {"media": "none"}, False),
        ({"indicator": "event_open", "eq": True}, {"event_open": True}, True),
        ({"indicator": "event_open", "ne": True}, {"event_open": True}, False),
        (
            {"any": [{"indicator": "media", "eq": "national"}, {"indicator": "growth_pct", "ge": 300}]},
            {"media": "none", "growth_pct": 310.0},
            True,
        ),
        (
            {"all": [{"indicator": "media", "eq": "national"}, {"indicator": "growth_pct", "ge": 300}]},
            {"media": "none", "growth_pct": 310.0},
            False,
        ),
    ],
)
def test_predicate_and_holds_agree_with_the_comparison(cond: dict, values: dict, expected: bool) -> None:  # type: ignore[type-arg]
    parsed = parse(cond)
    test = predicate(parsed, ORDINALS)
    assert test(values) is expected
    assert holds(parsed, values, ORDINALS) is expected


def test_a_compiled_predicate_follows_changing_values() -> None:
    test = predicate(parse({"indicator": "growth_pct", "ge": 300}), ORDINALS)
    assert [test({"growth_pct": g}) for g in (0.0, 299.9, 300.0, 12.0)] == [False, False, True, False]


def test_an_unordered_value_is_an_error() -> None:
    test = predicate(parse({"indicator": "flag", "ge": 1}), ORDINALS)
    with pytest.raises(TypeError, match="cannot be ordered"):
        test({"flag": True})
