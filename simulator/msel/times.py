"""Scenario times as planners write them, as hours from the scenario's start.

Accepted: hours (``36``, ``36.5``, ``36h``), days and hours (``1d12h``), elapsed ``HH:MM`` (``36:30``), a
day and a clock time (``D+1 08:00``, ``D+0 9:30 AM``), and — counted from the exercise start — a date-time
(``2026-03-03 08:00`` or a spreadsheet date cell) or a weekday and a clock time (``Monday 9:30 AM``,
``周二 08:00``, as T3SF writes). A day and clock time counts from the start's time of day (midnight when
no start is given).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys

from .table import Cell

# Matched in full against stripped text: no space to spare at either end, so matching stays linear in the
# text's length (a trailing ``\s*`` after ``\s*h?`` took quadratic time on a cell of spaces).
_TIME = re.compile(r"(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h?)?", re.IGNORECASE)
_ELAPSED = re.compile(r"(\d+):([0-5]\d)")
_CLOCK = r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?:\s*([AP]M))?"
_DAY = re.compile(r"D\s*\+?\s*(\d+)(?:\s+" + _CLOCK + ")?", re.IGNORECASE)
_WEEKDAYS = {
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{f"{p}{d}": i for p in ("周", "星期") for i, d in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
}
_WEEKDAY = re.compile(r"(\w+)\s*" + _CLOCK, re.IGNORECASE)
FORMS = "hours (36, 36.5, 36h), 1d12h, 36:30, D+1 08:00, or a date-time or weekday time with the exercise start"
"""The accepted forms, for messages."""


class StartNeeded(ValueError):
    """A time counted from the exercise start, which was not given."""


def _clock(hour: str, minute: str, second: str | None, half: str | None) -> float | None:
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.upper() == "PM" else 0)
    hours = h + int(minute) / 60 + int(second or 0) / 3600
    return hours if hours <= 24 else None


def _of_day(start: dt.datetime | None) -> float:
    return 0.0 if start is None else start.hour + start.minute / 60 + start.second / 3600


def _since(moment: dt.datetime, start: dt.datetime | None) -> float:
    if start is None:
        raise StartNeeded(moment.isoformat(sep=" "))
    return (moment - start).total_seconds() / 3600


def _moment(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_time(cell: Cell, start: dt.datetime | None = None) -> float | None:
    """Hours from a time cell, or None if unreadable; raises StartNeeded for a date-time when ``start`` is None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):  # nan, ±inf and whole numbers beyond a float's range are no time
        return float(cell) if abs(cell) <= sys.float_info.max else None
    if isinstance(cell, dt.datetime):
        return _since(cell, start)
    if isinstance(cell, dt.timedelta):
        return cell.total_seconds() / 3600
    if isinstance(cell, dt.time):
        return cell.hour + cell.minute / 60 + cell.second / 3600
    text = "" if cell is None else str(cell).strip()
    hours: float | None
    if m := _ELAPSED.fullmatch(text):
        hours = float(m[1]) + int(m[2]) / 60
    elif (m := _TIME.fullmatch(text)) and (m[1] or m[2]):
        hours = float(m[1] or 0) * 24 + float(m[2] or 0)
    elif m := _DAY.fullmatch(text):
        clock = _clock(*m.groups()[1:]) if m[2] else _of_day(start)
        hours = None if clock is None else int(m[1]) * 24 + clock - _of_day(start)
    elif (m := _WEEKDAY.fullmatch(text)) and m[1].casefold() in _WEEKDAYS:
        if start is None:
            raise StartNeeded(text)
        clock = _clock(*m.groups()[1:])
        days = (_WEEKDAYS[m[1].casefold()] - start.weekday()) % 7
        hours = None if clock is None else days * 24 + clock - _of_day(start)
    else:
        try:
            hours = float(text)
        except ValueError:
            moment = _moment(text)
            return None if moment is None else _since(moment, start)
    return hours if hours is not None and math.isfinite(hours) else None
