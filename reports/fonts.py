"""The CJK font that charts and HTML reports use, registered by file path.

The font is Noto Sans SC (SIL Open Font License 1.1), installed from PyPI with the
``pylopdf-fonts-zh-cn`` package, so Chinese renders on a fresh machine with no system fonts.
Matplotlib gets it through its font manager; HTML reports embed a subset holding only the
characters they use, so the file opens offline anywhere.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from matplotlib import font_manager

from simulator.model import UserError

FONT_PACKAGE = "pylopdf-fonts-zh-cn"
"""The PyPI package that ships the font."""


def cjk_font_path() -> Path:
    """The font file (Noto Sans SC Regular, OpenType/CFF)."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        raise UserError(f"the CJK font for charts and reports is not installed: pip install {FONT_PACKAGE}") from None
    return pylopdf_fonts_zh_cn.sans_path()


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
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    buf = io.BytesIO()
    with cjk_font_path().open("rb") as file:
        font = subset.load_font(file, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text + " ")
        subsetter.subset(font)
        subset.save_font(font, buf, options)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"{family}";src:url(data:font/woff;base64,{data}) format("woff");}}'
