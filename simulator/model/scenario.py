"""A drill scenario as data: complaint stream, teams, injects (the MSEL) and responder latencies."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from .base import MINUTES_PER_DAY, Crew, Seed, SimTime, Staff, Strict, Text
from .conditions import When, decision_key

Channel = Literal["hotline", "ecommerce", "social", "store"]
CHANNELS: tuple[Channel, ...] = ("hotline", "ecommerce", "social", "store")
Severity = Literal["minor", "normal", "serious"]
SEVERITIES: tuple[Severity, ...] = ("minor", "normal", "serious")
HOTLINE = CHANNELS.index("hotline")
"""The hotline's index among the channels (complaint tables store channels by index)."""


class Dist(Strict):
    """A distribution of durations in minutes (or person-hours for task effort)."""

    kind: Literal["fixed", "exponential", "lognormal", "gamma", "uniform"]
    mean: float = Field(default=0.0, ge=0)
    cv: float = Field(default=1.0, ge=0)
    """Coefficient of variation, for lognormal and gamma."""
    low: float = Field(default=0.0, ge=0)
    high: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _params(self) -> Dist:
        if self.kind == "uniform" and self.high < self.low:
            raise ValueError(f"uniform needs low <= high (got {self.low} > {self.high})")
        if self.kind != "uniform" and self.mean <= 0:
            raise ValueError(f"a {self.kind} distribution needs a positive mean")
        return self

    @property
    def expected(self) -> float:
        """The distribution's mean."""
        return (self.low + self.high) / 2 if self.kind == "uniform" else self.mean


MAX_HORIZON_DAYS = 366
"""The longest scenario: a drill's crisis runs for days or weeks, not years."""
MAX_BASELINE_PER_DAY = 1_000_000
"""The most complaints a day a scenario's baseline may bring."""
MAX_SURGE = 1_000
"""The largest multiple of baseline a surge may reach."""


class SurgePoint(Strict):
    """A point of the surge curve: the complaint rate as a multiple of baseline at a time."""

    day: float = Field(ge=0)
    factor: float = Field(ge=0, le=MAX_SURGE)


def surge_factor(points: list[SurgePoint], days: np.ndarray) -> np.ndarray:
    """The surge multiple of baseline on ``days``: linear between the points, 1 outside them."""
    if not points:
        return np.ones_like(days, dtype=float)
    at = np.array([p.day for p in points])
    inside = (days >= at[0]) & (days < at[-1])
    return np.where(inside, np.interp(days, at, [p.factor for p in points]), 1.0)


class Complaints(Strict):
    """The complaint stream."""

    baseline_per_day: float = Field(gt=0, le=MAX_BASELINE_PER_DAY)
    hourly_profile: list[float] = Field(min_length=24, max_length=24)
    """Relative weights of the 24 clock hours (normalised by the engine)."""
    surge: list[SurgePoint] = Field(default_factory=list)
    """Piecewise-linear multiple of baseline; 1 before the first point and after the last."""
    channels: dict[Channel, float]
    severity: dict[Severity, float]

    @model_validator(mode="after")
    def _weights(self) -> Complaints:
        if sum(self.hourly_profile) <= 0 or min(self.hourly_profile) < 0:
            raise ValueError("hourly_profile needs non-negative weights with a positive sum")
        for name, mix in (("channels", self.channels), ("severity", self.severity)):
            if sum(mix.values()) <= 0 or min(mix.values()) < 0:
                raise ValueError(f"{name} needs non-negative shares with a positive sum")
        days = [p.day for p in self.surge]
        if days != sorted(days):
            raise ValueError("surge points must be in order of day")
        return self

    def shares(self) -> tuple[list[float], list[float]]:
        """The channel shares in the order of ``CHANNELS`` and the severity shares in the order of ``SEVERITIES``."""
        return [self.channels.get(c, 0.0) for c in CHANNELS], [self.severity.get(s, 0.0) for s in SEVERITIES]


class Shift(Strict):
    """Staff on duty between two clock hours (wrapping past midnight when ``to_hour`` < ``from_hour``)."""

    from_hour: float = Field(ge=0, lt=24)
    to_hour: float = Field(ge=0, le=24)
    staff: Staff


class ShiftBreak(Strict):
    """An unpaid break inside a shift, beginning ``earliest`` to ``latest`` whole hours after the shift starts."""

    earliest: int = Field(ge=1, le=22)
    latest: int = Field(ge=1, le=22)
    hours: int = Field(default=1, ge=1, le=21)


class ShiftPattern(Strict):
    """Shifts a roster may use: one starting at each clock hour of ``starts``, ``hours`` long, break included."""

    starts: list[int] = Field(min_length=1, max_length=24)
    hours: int = Field(ge=1, le=23)
    break_: ShiftBreak | None = Field(default=None, alias="break")

    @model_validator(mode="after")
    def _fits(self) -> ShiftPattern:
        bad = [h for h in self.starts if not 0 <= h <= 23]
        if bad:
            raise ValueError(f"starts are clock hours 0 to 23 (got {bad[0]})")
        b = self.break_
        if b is not None and b.latest < b.earliest:
            raise ValueError(f"break: latest ({b.latest}) comes before earliest ({b.earliest})")
        if b is not None and b.latest + b.hours >= self.hours:
            raise ValueError(
                f"break: one beginning {b.latest} h in and lasting {b.hours} h leaves no work after it in a {self.hours} h shift"
            )
        return self


class TeamSetup(Strict):
    """A team's people and how long their work takes."""

    staff: Staff
    """Staff on duty when no shift covers the hour."""
    shifts: list[Shift] = Field(default_factory=list)
    patterns: list[ShiftPattern] = Field(default_factory=list, max_length=100)
    """The shifts ``drillsim roster`` may use for this team (none: those of its command line)."""
    handling: Dist | None = None
    """Time to handle one complaint (hotline: the call; comms: the answer)."""
    callback: Dist | None = None
    """Time for one callback (comms)."""
    callback_crew: Crew = 1
    """People taken off the queue to work a callback list (comms)."""
    patience: Dist | None = None
    """How long a hotline caller waits before hanging up; none means callers never abandon."""


class TaskSetup(Strict):
    """How much work a plan task takes."""

    effort_hours: Dist
    """Person-hours of work."""
    crew: Crew
    """People who work on it at once."""


class Opinion(Strict):
    """The opinion-heat model: fed by complaints and media, damped by timely disclosure."""

    decay_per_h: float = Field(ge=0, le=1)
    """Fraction of heat lost each hour."""
    complaint_weight: float = Field(ge=0)
    """Heat added per hour per unit of complaint rate above baseline."""
    media_jump: dict[str, float] = Field(default_factory=dict)
    """Heat added when media coverage reaches a level."""
    disclosure_damping: float = Field(ge=0, le=1)
    """Fraction of heat removed by a timely bulletin or notice."""
    missed_penalty: float = Field(ge=0)
    """Heat added when a disclosure duty passes its due time unmet."""
    feedback: float = Field(ge=0)
    """Complaint-rate multiplier per unit of heat: rate × (1 + feedback × heat)."""


class After(Strict):
    """What a relative inject waits for: another inject firing, or a decision carried out (the first time)."""

    inject: str | None = None
    """The ``id`` of another inject of the scenario."""
    decision: str | None = None
    """An action of the plan."""
    delay_h: float = Field(default=0.0, ge=0)
    """Hours from then."""

    @model_validator(mode="after")
    def _one_anchor(self) -> After:
        if (self.inject is None) == (self.decision is None):
            raise ValueError("'after' needs exactly one of inject (an inject's id) or decision (an action)")
        return self

    @property
    def key(self) -> str:
        """The fact it waits for: ``inject:ID`` or ``decision:ACTION``."""
        return f"inject:{self.inject}" if self.inject is not None else decision_key(str(self.decision))


class Inject(Strict):
    """An event of the master scenario events list (MSEL): at a fixed hour, when a condition holds, or after something.

    It fires at the first instant from ``at_h`` on — and, with ``after``, from the delay after that —
    at which its ``when`` condition holds (at once without one), and at most once.
    """

    id: str | None = None
    """A name for ``after`` of other injects to refer to."""
    at_h: float = Field(default=0.0, ge=0)
    """The hour it fires at; with ``when`` or ``after``, the earliest hour."""
    when: When | None = None
    """Fires only once this holds (indicators, ``level``, ``warning``, decisions, duty outcomes)."""
    after: After | None = None
    """Fires only from ``delay_h`` after another inject fired or a decision was carried out."""
    synopsis: str = ""
    """A short title for the trainer's MSEL view."""
    kind: str
    """incident_report, media, injury, regulator_letter, test_result, recall, info, ..."""
    text: Text
    set: dict[str, bool | float | str] = Field(default_factory=dict)
    """Indicator values this inject sets."""
    expected: list[str] = Field(default_factory=list)
    """Actions the plan expects in response (for briefings and reports)."""
    player: str | None = None
    """The plan role the inject is addressed to."""
    notes: str = ""
    """The controller's notes (an MSEL's extra columns are kept here); players never see them."""

    @model_validator(mode="after")
    def _some_text(self) -> Inject:
        if not (self.text.zh.strip() or self.text.en.strip()):
            raise ValueError("an inject needs its text in Chinese or English (the other may stay empty)")
        return self

    @property
    def timed(self) -> bool:
        """Whether it fires at its fixed hour, waiting for nothing else."""
        return self.when is None and self.after is None


class External(Strict):
    """What a request for external support brings."""

    team: str
    staff: Staff
    delay_h: float = Field(ge=0)


class Responder(Strict):
    """How fast the auto-responder acts for roles no trainee holds."""

    default_min: float = Field(ge=0)
    latency_min: dict[str, float] = Field(default_factory=dict)
    """Minutes from an obligation opening to the action, by action."""


class Guide(Strict):
    """The trainer's guide to a scenario."""

    tests: Text
    """What the scenario tests."""
    expected_path: Text
    """The plan's expected path through it."""
    questions: list[Text] = Field(default_factory=list)
    """Discussion questions for the hot wash."""


class Scenario(Strict):
    """A whole scenario."""

    id: str
    title: Text
    briefing: Text
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    horizon_days: float = Field(gt=0, le=MAX_HORIZON_DAYS)
    seed: Seed = 1
    complaints: Complaints
    teams: dict[str, TeamSetup]
    tasks: dict[str, TaskSetup] = Field(default_factory=dict)
    step_cv: float = Field(default=0.0, ge=0)
    """Variability of action step durations around the plan's nominal minutes."""
    opinion: Opinion
    backup_hotline_staff: Staff = 0
    external: External | None = None
    injects: list[Inject] = Field(default_factory=list)
    responder: Responder
    expected_levels: list[str] = Field(default_factory=list)
    """The level path the plan prescribes for this scenario, e.g. [L2, L1]."""
    guide: Guide | None = None

    @property
    def horizon(self) -> SimTime:
        """The scenario's length in simulated minutes."""
        return self.horizon_days * MINUTES_PER_DAY
