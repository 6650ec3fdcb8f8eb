"""The emergency plan as data: levels, the warning state, teams, actions and timed obligations.

Every rule that is simulated or scored carries the rule ID and section of ``plan/RULES.md`` so
that a score can be traced back to a sentence of the plan.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .base import Crew, Staff, Strict, Text
from .conditions import Condition

NO_LEVEL = "none"
"""The level in force before a response starts and after it stands down."""


class Indicator(Strict):
    """A named quantity that level conditions test."""

    name: Text
    kind: Literal["flag", "number", "ordinal"]
    values: list[str] = Field(default_factory=list)
    """For ordinals: the values from lowest to highest."""
    value_names: dict[str, Text] = Field(default_factory=dict)
    """For ordinals: each value's name in words."""
    initial: bool | float | str
    """The value at the scenario's start."""
    source: Literal["inject", "computed"] = "inject"
    """Set by scenario injects, or computed by the engine from the complaint stream."""
    derive: Condition | None = None
    """For flags: also true whenever this condition holds (a choice the plan file makes)."""

    @model_validator(mode="after")
    def _ordinal_values(self) -> Indicator:
        if self.kind == "ordinal" and not self.values:
            raise ValueError("an ordinal indicator needs its list of values")
        if self.kind == "ordinal" and self.initial not in self.values:
            raise ValueError(f"initial value {self.initial!r} is not one of {self.values}")
        unknown = sorted(set(self.value_names) - set(self.values))
        if unknown:
            raise ValueError(f"value_names names '{unknown[0]}', which is not one of {self.values}")
        return self


class Level(Strict):
    """A response level and the conditions under which the plan prescribes it."""

    id: str
    rank: int
    """Higher is more severe."""
    rule: str
    section: str
    name: Text
    lead: Text
    when: Condition


class Transition(Strict):
    """A level change the plan allows by decision."""

    from_: str = Field(alias="from")
    to: str
    rule: str
    note: str = ""


class Warning(Strict):
    """The warning state below the response levels (WARN-1, WARN-4)."""

    rule: str
    section: str
    enter_when: Condition
    """Holds while the plan calls for a warning, provided no level's condition holds."""
    observation_days: float
    lift_rule: str
    lift_after_h: float
    """Hours of monitoring before the warning may be lifted."""
    lift_when: Condition
    ends_on_response_start: bool = True


class StandDown(Strict):
    """When a response may be revoked (ADJUST-4, RESP-6)."""

    rules: list[str]
    section: str
    when: Condition


class Team(Strict):
    """An organisational unit of the plan that has people and does work."""

    name: Text
    rule: str
    default_staff: Staff
    """Staff when a scenario does not say (STAFF-1)."""


class Role(Strict):
    """A decision role that a trainee can hold."""

    name: Text


class Step(Strict):
    """One step of an action: a team's people working for a time."""

    team: str
    minutes: float = Field(ge=0)
    """Nominal duration; a scenario may add variability."""
    name: Text


class Channels(Strict):
    """Where an announcement goes, by the level in force (ACTIVATE-3): any other channel is wrong."""

    rule: str
    section: str
    by_level: dict[str, list[str]]
    """Level ID → the channels the plan prescribes for it; a level not listed is not judged."""


class Action(Strict):
    """A decision of the decision port."""

    name: Text
    role: str
    """The plan role that takes this decision."""
    steps: list[Step] = Field(default_factory=list)
    contents: list[str] = Field(default_factory=list)
    """Elements the action may carry (the required ones are named by obligations)."""
    channels: Channels | None = None
    """For an announcement: its contents are channels, and the plan says which each level uses."""
    confirm_rule: str | None = None
    """Set on irreversible or plan-breaking actions: the rule a confirmation should cite."""


class Task(Strict):
    """Team work the engine starts by itself when triggered (a verification report, a list)."""

    name: Text
    team: str
    start: Trigger
    """When the engine sets the team to work on it."""
    effort_hours: float = Field(gt=0)
    """Nominal person-hours of work; a scenario may give a distribution instead."""
    crew: Crew
    """People who work on it at once."""


TriggerOn = Literal[
    "response_start",
    "level_entered",
    "warning_start",
    "warning_end",
    "inject",
    "task_done",
    "condition",
    "event_open",
]


class Trigger(Strict):
    """What opens an obligation."""

    on: TriggerOn
    levels: list[str] | None = None
    """Only while one of these levels is in force (``none`` for no response)."""
    inject: str | None = None
    """For ``inject``: the inject kind."""
    task: str | None = None
    """For ``task_done``: the task."""
    when: Condition | None = None
    """For ``condition``: opens each time this condition starts to hold."""


class MetByAction(Strict):
    """Met when one of the named actions completes carrying the required contents."""

    action: list[str]
    """Any one of these actions meets the duty."""
    step: str | None = None
    """Met when this step of the action completes rather than the whole action."""
    contents: list[str] = Field(default_factory=list)

    @field_validator("action", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v


class MetByTask(Strict):
    """Met when the named team task completes."""

    task: str


class MetByCallbacks(Strict):
    """Met when every complainant registered by the trigger has been called back."""

    callbacks: Literal[True]


class MetByAnswered(Strict):
    """Met when a fraction of the complaints arriving after the trigger are answered in time."""

    answered_fraction: float = Field(gt=0, le=1)
    within_h: float = Field(gt=0)


MetBy = MetByAction | MetByTask | MetByCallbacks | MetByAnswered


Minutes = Annotated[float, Field(ge=0)] | Literal["immediately"]
"""A duration in minutes, or the plan's word 'immediately' (see ``Choices.immediately_min``)."""


class Obligation(Strict):
    """A timed duty of the plan."""

    rule: str
    """The rule ID in ``plan/RULES.md``."""
    section: str
    name: Text
    owner: str
    """The team or role that owes it."""
    trigger: Trigger
    due_min: Minutes | None = None
    """Minutes from the trigger."""
    due_by_level: dict[str, Minutes] | None = None
    """Minutes from the trigger, by the level in force."""
    every_min: float | None = Field(default=None, gt=0)
    """Recurs with this period after the first due time."""
    at_hour: float | None = Field(default=None, ge=0, lt=24)
    """Recurs daily, due at this clock hour."""
    until: Literal["response_end", "warning_end", "never"] = "never"
    met_by: MetBy
    disclosure: bool = False
    """A public-disclosure duty: doing it on time damps opinion heat, missing it feeds it."""
    note: str = ""

    @model_validator(mode="after")
    def _one_due(self) -> Obligation:
        given = sum(x is not None for x in (self.due_min, self.due_by_level, self.at_hour))
        if given != 1:
            raise ValueError("an obligation needs exactly one of due_min, due_by_level, at_hour")
        return self


class Choices(Strict):
    """Numbers the plan's text leaves open, chosen explicitly (RULES.md §9)."""

    immediately_min: float = Field(gt=0)
    """GAP-5: how many minutes 'immediately' means."""
    l1_growth_reading: Literal["over", "times"]
    """GAP-3: '500% over' as growth over baseline (6×) or as a multiple (5×)."""
    growth_window_h: float = Field(gt=0)
    """'Daily complaints' measured over this rolling window, against the baseline expected in it."""
    passive_trigger: Literal["automatic", "decision"]
    """ACTIVATE-1: the engine starts or raises the level itself when its conditions hold, or it
    waits for a decision."""


class Credit(Strict):
    """The share of a duty's point an imperfect outcome earns; met on time earns 1, missed 0."""

    late: float = Field(default=0.0, ge=0, le=1)
    """Done after its due time, with every required element."""
    incomplete: float = Field(default=0.0, ge=0, le=1)
    """Done by its due time, some required element missing."""
    late_incomplete: float = Field(default=0.0, ge=0, le=1)
    """Done after its due time, some required element missing."""


class Plan(Strict):
    """A whole emergency plan."""

    id: str
    version: str
    title: Text
    choices: Choices
    indicators: dict[str, Indicator]
    scope: Condition
    scope_rule: str
    levels: list[Level]
    transitions: list[Transition]
    warning: Warning
    stand_down: StandDown
    teams: dict[str, Team]
    roles: dict[str, Role]
    actions: dict[str, Action]
    elements: dict[str, Text] = Field(default_factory=dict)
    """The names of the elements a document may carry (a notice's risk nature, a report's measures...)."""
    credit: Credit = Field(default_factory=Credit)
    """Partial credit for late and incomplete duties."""
    tasks: dict[str, Task]
    obligations: list[Obligation]

    def minutes(self, value: Minutes) -> float:
        """A duration in minutes, reading 'immediately' as the plan file's choice."""
        return self.choices.immediately_min if value == "immediately" else float(value)

    def due_offset(self, ob: Obligation, level_id: str) -> float | None:
        """Minutes from trigger to due for ``ob`` at ``level_id``; None if it has no due then."""
        if ob.due_by_level is not None:
            value = ob.due_by_level.get(level_id)
            return None if value is None else self.minutes(value)
        if ob.due_min is not None:
            return self.minutes(ob.due_min)
        return None

    def level(self, level_id: str) -> Level:
        """The level with this ID."""
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(level_id)

    def rank(self, level_id: str) -> int:
        """The rank of a level; 0 for no response."""
        return 0 if level_id == NO_LEVEL else self.level(level_id).rank

    def level_order(self) -> tuple[str, ...]:
        """``none``, then the levels from the lowest rank up: the order an inject's condition compares ``level`` by."""
        return (NO_LEVEL, *(lv.id for lv in sorted(self.levels, key=lambda lv: lv.rank)))

    def ordinals(self) -> dict[str, tuple[str, ...]]:
        """Value orders of the ordinal indicators."""
        return {k: tuple(v.values) for k, v in self.indicators.items() if v.kind == "ordinal"}

    def raises(self, current: str, level: str) -> bool:
        """Whether ``level`` is a response level above ``current`` that the transitions let us reach."""
        if level not in {lv.id for lv in self.levels} or self.rank(level) <= self.rank(current):
            return False
        return self.allows(current, level) is not None

    def allows(self, src: str, dst: str) -> Transition | None:
        """The transition rule allowing ``src`` → ``dst`` by decision, if any."""
        for t in self.transitions:
            if t.from_ == src and t.to == dst:
                return t
        return None


Task.model_rebuild()
