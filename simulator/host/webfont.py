"""The Chinese font every drillsim page carries itself, so no character depends on the viewer's fonts.

The font is Noto Sans SC (SIL Open Font License 1.1), installed from PyPI with the
``pylopdf-fonts-zh-cn`` package. A page gets a WOFF subset of it (zlib-compressed: WOFF2 would need
brotli, which nothing else here uses) holding the characters it may show: HTML reports embed the
glyphs of their own text; a browser seat loads :func:`seat_font` from the host.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]

from ..model import UserError

FONT_PACKAGE = "pylopdf-fonts-zh-cn"
"""The PyPI package that ships the font."""
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def cjk_font_path() -> Path:
    """The font file (Noto Sans SC Regular, OpenType/CFF)."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        raise UserError(f"the Chinese font is not installed: pip install {FONT_PACKAGE}") from None
    return pylopdf_fonts_zh_cn.sans_path()


def subset_font(text: str) -> bytes:
    """The font cut down to the glyphs of ``text`` (and the space), as WOFF."""
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
    return buf.getvalue()


@functools.cache
def common_hanzi() -> str:
    """GB 2312's first level: the 3,755 most used hanzi, for what people type during a drill (names, messages)."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the unassigned cells at the end of row 55
    return "".join(out)


@functools.cache
def seat_font(text: str) -> bytes:
    """The font of a browser seat's page: printable ASCII, the common hanzi and every character of ``text``.

    Made once per text in a process (about a second and 0.8 MB).
    """
    return subset_font("".join(sorted(set(ASCII + common_hanzi() + text))))
