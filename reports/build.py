"""Making a report: load the folder, run the comparisons, draw the charts, write HTML and Markdown.

Output, in ``out``: ``aar.LANG.html`` (self-contained), ``aar.LANG.md``, ``aar.LANG.pdf`` (that page
printed, :mod:`reports.pdf`), and
``charts/KEY.LANG.png`` / ``.svg`` for every chart the report shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from simulator.model import Lang, Staffing

from .aar import build_report
from .chartkit import save
from .figures import CHARTS
from .inputs import Inputs, Variant, load, variants
from .model import Chart, Report, Section
from .pdf import print_pdf
from .render_html import render_html
from .render_md import render_md

FORMATS = ("html", "md", "pdf")
DEFAULT_FORMATS = ("html", "md")
LANGS: tuple[Lang, ...] = ("zh", "en")


def chart_keys(report: Report) -> list[str]:
    """The keys of the charts a report shows, in order."""

    def walk(sections: Sequence[Section]) -> Iterator[str]:
        for s in sections:
            yield from (b.key for b in s.blocks if isinstance(b, Chart))
            yield from walk(s.sub)

    return list(walk(report.sections))


def write_report(
    inp: Inputs, comparisons: list[Variant], out: Path, lang: Lang, formats: Sequence[str] = DEFAULT_FORMATS
) -> list[Path]:
    """Write one language's report and its charts into ``out``; return the report files."""
    report = build_report(inp, comparisons, lang)
    pngs: dict[str, Path] = {}
    for key in chart_keys(report):
        pngs[key], _svg = save(CHARTS[key](inp, comparisons, lang), out / "charts" / f"{key}.{lang}")
    written = []
    html = out / f"aar.{lang}.html"
    if "html" in formats or "pdf" in formats:
        html.write_text(render_html(report, pngs), encoding="utf-8")
    if "html" in formats:
        written.append(html)
    if "pdf" in formats:
        written.append(print_pdf(html, out / f"aar.{lang}.pdf"))
        if "html" not in formats:
            html.unlink()
    if "md" in formats:
        path = out / f"aar.{lang}.md"
        links: Mapping[str, str] = {k: p.relative_to(out).as_posix() for k, p in pngs.items()}
        path.write_text(render_md(report, links), encoding="utf-8")
        written.append(path)
    return written


def make_report(
    folder: Path,
    out: Path | None = None,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    langs: Sequence[Lang] = ("zh",),
    what_if: Sequence[Mapping[str, Staffing]] = (),
) -> list[Path]:
    """The after-action report of a run or drill-session folder, in each of ``langs``."""
    inp = load(folder)
    comparisons = variants(inp, what_if)
    target = out if out is not None else folder / "report"
    target.mkdir(parents=True, exist_ok=True)
    return [path for lang in langs for path in write_report(inp, comparisons, target, lang, formats)]
