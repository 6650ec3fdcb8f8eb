"""The report as PDF: printed by headless Chromium, read back page by page as images and text (poppler).

Skips when no Chromium or no poppler-utils is installed (Debian: ``apt-get install -y chromium poppler-utils``;
``.ci/run`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import Image, ImageStat
from test_reports_support import build

from reports.fonts import cjk_font_path
from reports.pdf import browser
from simulator.cli.main import main
from simulator.model import UserError

pytest_plugins = ("test_reports_support",)

POPPLER = all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts"))
needs_tools = pytest.mark.skipif(
    not POPPLER or not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="needs chromium and poppler-utils (apt-get install -y chromium poppler-utils)",
)
TITLE = {"zh": "演练评估报告与改进计划", "en": "After-Action Report / Improvement Plan"}


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, aar_run_folder: Path) -> dict[str, Path]:
    built = build(aar_run_folder, tmp_path_factory.mktemp("pdf"), formats=("pdf",), langs=("zh", "en"))
    assert [p.name for p in built.files] == ["aar.zh.pdf", "aar.en.pdf"]
    assert not list(built.out.glob("*.html")), "the page printed is not left behind when only pdf was asked for"
    return {p.name.split(".")[1]: p for p in built.files}


@needs_tools
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_with_its_glyphs_in_the_embedded_font(pdfs: dict[str, Path], lang: str, tmp_path: Path) -> None:
    pdf = pdfs[lang]
    pages = int(next(line.split()[-1] for line in tool("pdfinfo", str(pdf)).splitlines() if line.startswith("Pages:")))
    assert pages >= 3
    tool("pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page"))
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:
        with Image.open(image) as im:
            assert im.width < im.height  # A4 portrait
            assert ImageStat.Stat(im.convert("L")).extrema[0][0] < 128, f"{image.name} is blank"
    first = tool("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    assert TITLE[lang] in first
    assert "1." in first or "一、" in first, "the first section starts on the title page"
    # Every font is embedded, and every character on every page is one the embedded CJK font draws:
    # none falls back to another font or to a missing-glyph box.
    fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    drawn = set(TTFont(cjk_font_path(), fontNumber=0).getBestCmap())
    text = tool("pdftotext", str(pdf), "-")
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in drawn}
    assert not missing
    if lang == "zh":
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 500


def test_pdf_is_a_format_of_the_report_command(capsys: pytest.CaptureFixture[str], aar_run_folder: Path, tmp_path: Path) -> None:
    assert main(["report", str(aar_run_folder), "--out", str(tmp_path), "--format", "pdf,docx"]) == 2
    assert "--format: unknown value 'docx'; choose from html, md, pdf" in capsys.readouterr().err


def test_a_missing_browser_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLSIM_CHROMIUM", "no-such-browser")
    with pytest.raises(UserError, match="DRILLSIM_CHROMIUM=no-such-browser is not a command"):
        browser()
