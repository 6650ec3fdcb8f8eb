"""The CJK font that charts and HTML reports use, registered by file path.

The font file and its subsetting are :mod:`simulator.host`'s (one font for every page drillsim
makes), so Chinese renders on a fresh machine with no system fonts. Matplotlib gets it through its
font manager; HTML reports embed a subset holding only the characters they use, so the file opens
offline anywhere.
"""

from __future__ import annotations

import base64
import functools

from matplotlib import font_manager

from simulator.host import cjk_font_path, subset_font

__all__ = ["cjk_font_path", "ensure_cjk_font", "font_face_css"]


@functools.cache
def ensure_cjk_font() -> str:
    """Register the CJK font with matplotlib's font manager by file path; return its family name.

    Idempotent: the font is added once per process.
    """
    path = str(cjk_font_path())
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def font_face_css(family: str, text: str) -> str:
    """A CSS ``@font-face`` rule embedding the glyphs of ``text`` as a WOFF data URL."""
    data = base64.b64encode(subset_font(text)).decode("ascii")
    return f'@font-face{{font-family:"{family}";src:url(data:font/woff;base64,{data}) format("woff");}}'
