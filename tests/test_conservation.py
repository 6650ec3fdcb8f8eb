"""Nothing vanishes: every complaint ends answered, abandoned or open, and every duty has a well-formed outcome.

Checked for every bundled scenario and for random scenarios (hypothesis): random baseline, surge
curve, channel mix, staff, shifts, patience and injects setting indicators.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.batch import RunResult, run
from simulator.load import load_scenario
from simulator.model import CHANNELS, HOTLINE, SEVERITIES, Plan, Scenario
from simulator.record import ABANDONED, ANSWERED, OPEN, Hourly, columns

STATUSES = {"met", "late", "missed", "cancelled", "open"}


def check_complaints(result: RunResult) -> None:
    """arrived = answered + abandoned + open, and each complaint's times are in order for its outcome."""
    counts = result.summary.to_json()["complaints"]
    assert counts["arrived"] == counts["answered"] + counts["abandoned"] + counts["open"]
    c = columns(result.log.complaints)
    assert len(c["arrive"]) == counts["arrived"]
    assert (c["outcome"] == ANSWERED).sum() == counts["answered"]
    assert (c["outcome"] == ABANDONED).sum() == counts["abandoned"]
    assert (c["outcome"] == OPEN).sum() == counts["open"]
    horizon = result.log.meta.horizon
    assert np.all((c["arrive"] >= 0) & (c["arrive"] <= horizon))
    hot = c["channel"] == HOTLINE
    answered = c["outcome"] == ANSWERED
    # Answered: arrive <= (hotline call <=) queued <= comms start <= done <= horizon.
    assert np.all(c["queued"][answered] >= c["arrive"][answered])
    assert np.all(c["comms_start"][answered] >= c["queued"][answered])
    assert np.all(c["done"][answered] >= c["comms_start"][answered])
    assert np.all(c["done"][answered] <= horizon)
    assert np.all(c["hotline_start"][answered & hot] >= c["arrive"][answered & hot])
    assert np.all(np.isnan(c["hotline_start"][answered & ~hot]))
    # Abandoned: only hotline callers, who hang up before they are served.
    abandoned = c["outcome"] == ABANDONED
    assert np.all(hot[abandoned])
    assert np.all(np.isnan(c["hotline_start"][abandoned]) & np.isnan(c["queued"][abandoned]))
    assert np.all(c["done"][abandoned] >= c["arrive"][abandoned])
    # Open: not done by the end.
    assert np.all(np.isnan(c["done"][c["outcome"] == OPEN]))
    # The hourly snapshots count every arrival of the hours they close.
    hourly = list(result.log.of(Hourly))
    last = hourly[-1].t if hourly else 0.0
    assert sum(h.arrivals for h in hourly) == int((c["arrive"] < last).sum())


def check_obligations(result: RunResult) -> None:
    """Every duty's status is one of five, with done and due times consistent with it."""
    s = result.summary.to_json()
    horizon = s["horizon_min"]
    for o in s["obligations"]:
        status, due, done = o["status"], o["due"], o["done"]
        assert status in STATUSES, o
        if status in ("met", "late"):
            assert done is not None, o
        if status == "met":
            assert done <= due, o
        if status == "late":
            assert done > due, o
            assert o["late_by_min"] == pytest.approx(done - due, abs=1e-3), o
        if status == "missed":
            assert done is None and due <= horizon, o
        if status in ("cancelled", "open"):
            assert done is None, o
    for rule, counts in s["rules"].items():
        of_rule = [o["status"] for o in s["obligations"] if o["rule_id"] == rule]
        assert {k: of_rule.count(k) for k in STATUSES} == {k: counts[k] for k in STATUSES}
    scored = [o["status"] for o in s["obligations"] if o["status"] in ("met", "late", "missed")]
    expected_pct = round(100 * scored.count("met") / len(scored), 2) if scored else None
    assert s["compliance_pct"] == expected_pct


def test_bundled_scenario_conserves(bundled_name: str, bundled: Callable[[str], tuple[Scenario, RunResult]]) -> None:
    _, result = bundled(bundled_name)
    assert result.summary.to_json()["complaints"]["arrived"] > 0
    check_complaints(result)
    check_obligations(result)


# -- random scenarios ---------------------------------------------------------------------------

CVS = st.one_of(st.just(0.0), st.floats(0.05, 1.5))
"""Coefficients of variation a scenario writer would use (0 means a fixed duration)."""
DISTS = st.one_of(
    st.builds(lambda m: {"kind": "exponential", "mean": m}, st.floats(1, 20)),
    st.builds(lambda m, cv: {"kind": "lognormal", "mean": m, "cv": cv}, st.floats(1, 20), CVS),
    st.builds(lambda m, cv: {"kind": "gamma", "mean": m, "cv": cv}, st.floats(1, 20), CVS),
    st.builds(lambda lo, w: {"kind": "uniform", "low": lo, "high": lo + w}, st.floats(0.5, 10), st.floats(0, 10)),
    st.builds(lambda m: {"kind": "fixed", "mean": m}, st.floats(1, 20)),
)
SETTABLE: dict[str, st.SearchStrategy[Any]] = {
    "event_open": st.booleans(),
    "single_case": st.booleans(),
    "safety_hazard": st.booleans(),
    "core_media_repost": st.booleans(),
    "authority_letter": st.booleans(),
    "uncontrolled": st.booleans(),
    "tests_clear": st.booleans(),
    "regulator_clear": st.booleans(),
    "injuries": st.sampled_from(["none", "minor", "serious", "death"]),
    "media": st.sampled_from(["none", "regional", "national"]),
}
KINDS = ["incident_report", "media", "injury", "regulator_letter", "test_result", "recall", "info"]


def shares(names: tuple[str, ...]) -> st.SearchStrategy[dict[str, float]]:
    """A mix over ``names`` with a positive sum (missing names have share 0)."""
    mix = st.dictionaries(st.sampled_from(names), st.floats(0, 1), min_size=1)
    return mix.filter(lambda m: sum(m.values()) > 0)


@st.composite
def scenario_data(draw: st.DrawFn) -> dict[str, Any]:
    """A random small scenario as plain data (valid under the default plan)."""
    horizon_h = draw(st.integers(6, 36))
    days = sorted(draw(st.lists(st.floats(0, horizon_h / 24), max_size=4)))
    surge = [{"day": d, "factor": draw(st.floats(0, 5))} for d in days]
    shifts = st.lists(
        st.fixed_dictionaries({"from_hour": st.integers(0, 23), "to_hour": st.integers(0, 24), "staff": st.integers(0, 15)}),
        max_size=2,
    )
    injects = [
        {
            "at_h": draw(st.floats(0, horizon_h)),
            "kind": draw(st.sampled_from(KINDS)),
            "text": {"zh": "随机事件", "en": "a random inject"},
            "set": draw(st.fixed_dictionaries({}, optional=SETTABLE)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    return {
        "id": "random",
        "title": {"zh": "随机场景", "en": "random scenario"},
        "briefing": {"zh": "随机生成。", "en": "Generated at random."},
        "horizon_days": horizon_h / 24,
        "seed": draw(st.integers(0, 2**31)),
        "complaints": {
            "baseline_per_day": draw(st.floats(20, 800)),
            "hourly_profile": draw(st.lists(st.floats(0, 3), min_size=24, max_size=24).filter(lambda p: sum(p) > 0)),
            "surge": surge,
            "channels": draw(shares(CHANNELS)),
            "severity": draw(shares(SEVERITIES)),
        },
        "teams": {
            "hotline": {
                "staff": draw(st.integers(0, 10)),
                "shifts": draw(shifts),
                "handling": draw(DISTS),
                **({"patience": draw(DISTS)} if draw(st.booleans()) else {}),
            },
            "comms": {
                "staff": draw(st.integers(0, 30)),
                "shifts": draw(shifts),
                "handling": draw(DISTS),
                "callback": draw(DISTS),
                "callback_crew": draw(st.integers(1, 6)),
            },
        },
        "step_cv": draw(st.floats(0, 0.5)),
        "opinion": {
            "decay_per_h": draw(st.floats(0, 1)),
            "complaint_weight": draw(st.floats(0, 3)),
            "media_jump": {"regional": 20, "national": 50},
            "disclosure_damping": draw(st.floats(0, 1)),
            "missed_penalty": draw(st.floats(0, 10)),
            "feedback": draw(st.floats(0, 0.005)),
        },
        "backup_hotline_staff": draw(st.integers(0, 5)),
        "injects": injects,
        "responder": {"default_min": draw(st.floats(0, 60))},
    }


@settings(max_examples=25, deadline=None)
@given(data=scenario_data())
def test_random_scenario_conserves(data: dict[str, Any], plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        scenario = load_scenario(path, plan)
    result = run(plan, scenario)
    assert math.isclose(result.log.meta.horizon, data["horizon_days"] * 1440)
    check_complaints(result)
    check_obligations(result)
