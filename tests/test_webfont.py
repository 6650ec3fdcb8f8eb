"""The browser seats' font: a cut of Noto Sans SC holding the common hanzi and the given text, kept in the user cache folder."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import simulator.host.webfont as webfont
from simulator.host import seat_font


def test_a_cut_holds_the_common_hanzi_and_the_text_and_is_kept_for_the_next_host(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "演练席位ÆΩ𠀾"  # 𠀾 (U+2003E) is not in the font: skipped, not an error
    data = seat_font(text)
    with TTFont(io.BytesIO(data)) as font:
        cmap = font.getBestCmap()
    assert len(webfont.common_hanzi()) == 3755
    assert all(ord(c) in cmap for c in webfont.common_hanzi() + "演练席位ÆΩ" + webfont.ASCII)
    assert 0x2003E not in cmap
    kept = list((Path(os.environ["XDG_CACHE_HOME"]) / "drillsim" / "fonts").glob("seat-*.woff"))
    assert [p.read_bytes() for p in kept].count(data) == 1

    def no_cut(text: str) -> bytes:
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(webfont, "subset_font", no_cut)
    seat_font.cache_clear()  # a new host process: only the file is left
    assert seat_font(text) == data
    with pytest.raises(AssertionError, match="cut again"):
        seat_font(text + "喆")  # not among the common hanzi: another set, another cut
