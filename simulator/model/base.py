"""Shared pieces of the plan and scenario models: the strict base model and bilingual text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

SimTime = float
"""Simulated time in minutes since the scenario's start."""

Lang = Literal["zh", "en"]
"""A language the tool speaks."""

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0


class Strict(BaseModel):
    """Base of every configuration model: unknown keys are errors and models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Chinese and English."""

    zh: str
    """Simplified Chinese."""
    en: str
    """English."""

    def __call__(self, lang: Lang) -> str:
        """Return the text in ``lang``."""
        return self.zh if lang == "zh" else self.en
