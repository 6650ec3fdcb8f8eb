"""The plan's chapters (一 … 十): the capabilities a drill tests, each named in both languages.

A duty belongs to the chapter of its section's leading number (``§3.3`` → chapter 3); the
after-action report rates each chapter a drill touched (HSEEP's P / S / M / U) from its duties,
and an evaluator rates the same chapters by hand.
"""

from __future__ import annotations

import re

CHAPTERS: dict[int, tuple[str, str]] = {
    1: ("总则(适用范围与响应分级)", "General provisions: scope and response levels"),
    2: ("应急组织机构及职责", "Emergency organisation and team duties"),
    3: ("信息接报", "Receiving and reporting information"),
    4: ("信息处置与研判", "Handling and assessment"),
    5: ("预警", "Warning"),
    6: ("应急响应", "Emergency response"),
    7: ("后期处置", "Recovery"),
    8: ("应急保障", "Emergency support"),
    9: ("其他保障", "Other support"),
    10: ("应急预案培训", "Training"),
}
"""Chapter number → its name (zh, en)."""

_CHAPTER = re.compile(r"§\s*(\d+)")


def chapter_of(section: str) -> int:
    """The chapter of a section (``§6.1(2)`` → 6); 0 when the section names none."""
    m = _CHAPTER.search(section)
    return int(m.group(1)) if m else 0
