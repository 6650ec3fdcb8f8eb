"""The Chinese font every drillsim page carries itself, so no character depends on the viewer's fonts.

The font is Noto Sans SC (SIL Open Font License 1.1), installed from PyPI with the
``pylopdf-fonts-zh-cn`` package. A page gets a WOFF subset of it (zlib-compressed: WOFF2 would need
brotli, which nothing else here uses) holding the characters it may show: HTML reports embed the
glyphs of their own text; a browser seat loads :func:`seat_font` from the host, cut once and cached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
from pathlib import Path

import platformdirs
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

    Cutting it takes a second or more and 50 MB of memory, so a cut is kept in the user cache folder
    (``platformdirs.user_cache_dir("drillsim")``), named by a digest of the characters and of the font
    file, and in this process.
    """
    chars = "".join(sorted(set(ASCII + common_hanzi() + text)))
    font = cjk_font_path()
    stamp = f"{font.stat().st_size}:{font.stat().st_mtime_ns}:{chars}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:32]
    path = Path(platformdirs.user_cache_dir("drillsim")) / "fonts" / f"seat-{digest}.woff"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    data = subset_font(chars)
    with contextlib.suppress(OSError):  # a cache that cannot be written costs the next host a cut, nothing else
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)  # whole or absent: a host reading it never sees half a file
    return data
