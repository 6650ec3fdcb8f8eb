"""Shared pieces of the plan and scenario models: the strict base model and bilingual text."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SimTime = float
"""Simulated time in minutes since the scenario's start."""

Lang = Literal["zh", "en"]
"""A language the tool speaks."""

MAX_SEED = 2**32 - 1
"""The largest random seed: seeds are whole numbers from 0 to this."""
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
"""A random seed as a file may give it."""
MAX_STAFF = 10_000
"""The most people a team, a shift, a crew or a reinforcement may have: far beyond any call centre a
drill models, and small enough that a run's per-person arrays fit in memory."""
Staff = Annotated[int, Field(ge=0, le=MAX_STAFF)]
"""A number of people, as a file may give it."""
Crew = Annotated[int, Field(ge=1, le=MAX_STAFF)]
"""The people who work on one thing at once: at least one."""

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0


class Strict(BaseModel):
    """Base of every configuration model: unknown keys are errors and models are frozen.

    Numbers are read strictly: every float must be finite (no ``.inf`` or ``.nan``), and an
    integer field takes neither a boolean nor a float nor a string of digits.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Text(Strict):
    """A text in Chinese and English."""

    zh: str
    """Simplified Chinese."""
    en: str
    """English."""

    def __call__(self, lang: Lang) -> str:
        """Return the text in ``lang``, or in the other language while ``lang``'s is not written yet."""
        first, other = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first if first.strip() else other
