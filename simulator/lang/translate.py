"""Each text in the user's language, from the one catalogue of Chinese (:data:`simulator.lang.zh.ZH`).

Texts are written in English where they are used — a command's ``help=``, a handler's message, a
host's line to its seats — and the catalogue maps each to Chinese. A catalogue key with ``{}`` holes
is a template matched against the whole text; what fills each hole is put where the Chinese names
it (``{0}``, ``{1}``), itself translated when the hole is written ``{t}``. A text the catalogue does
not know stays English, which the tests look for.
"""

from __future__ import annotations

import functools
import re

from .choose import Lang
from .zh import ZH

_HOLE = re.compile(r"(\{t?\})")


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], tuple[bool, ...], str]]:
    """Each template: its pattern, which holes are translated themselves, its Chinese."""
    found = []
    for key, zh in ZH.items():
        parts = _HOLE.split(key)
        if len(parts) > 1:
            pattern = "".join("(.+?)" if _HOLE.fullmatch(part) else re.escape(part) for part in parts)
            literal = len(_HOLE.sub("", key))
            found.append((literal, (re.compile(pattern, re.DOTALL), tuple(p == "{t}" for p in parts[1::2]), zh)))
    found.sort(key=lambda t: -t[0])  # the most specific template (the most words of its own) first
    return [template for _, template in found]


def find(text: str) -> str | None:
    """The Chinese of ``text``, or None when the catalogue does not know it."""
    if text in ZH:
        return ZH[text]
    for pattern, nested, zh in _templates():
        if m := pattern.fullmatch(text):
            return zh.format(*(tr(g, "zh") if t else g for g, t in zip(m.groups(), nested, strict=True)))
    return None


def tr(text: str, lang: Lang) -> str:
    """``text`` in ``lang``: itself in English, else its Chinese (itself while the catalogue lacks it)."""
    if lang == "en" or not text:
        return text
    return find(text) or text


def tr_located(text: str, lang: Lang) -> str:
    """A message that may start with where it is about (``file:line: message``), the message in ``lang``."""
    if lang == "en" or (said := find(text)) is not None:
        return tr(text, lang)
    for m in re.finditer(": ", text):
        if (said := find(text[m.end() :])) is not None:
            return text[: m.end()] + said
    return text
