"""The report as Markdown, with the charts linked as PNG files beside it."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.model import Lang

from .model import Block, Bullets, Chart, Frag, Item, Mark, Para, Report, Section, Table, Val, fmt


def _frag(frag: Frag, lang: Lang) -> str:
    out = []
    for piece in frag:
        if isinstance(piece, Val):
            out.append(fmt(piece, lang))
        elif isinstance(piece, Mark):
            out.append(f"**{piece.text}**" if piece.cls.startswith(("rating", "priority")) else piece.text)
        else:
            out.append(piece)
    return "".join(out)


def _cell(frag: Frag, lang: Lang) -> str:
    return _frag(frag, lang).replace("|", "\\|").replace("\n", " ")


def _item(item: Item, lang: Lang, bullet: str) -> list[str]:
    return [f"{bullet} {_frag(item.frag, lang)}"] + [f"    - {_frag(f, lang)}" for f in item.sub]


def _block(block: Block, lang: Lang, charts: Mapping[str, str]) -> list[str]:
    if isinstance(block, Para):
        return [_frag(block.frag, lang), ""]
    if isinstance(block, Bullets):
        lines = []
        for n, item in enumerate(block.items, start=1):
            lines += _item(item, lang, f"{n}." if block.numbered else "-")
        return [*lines, ""]
    if isinstance(block, Table):
        align = ["---:" if i in block.numeric else "---" for i in range(len(block.head))]
        lines = ["| " + " | ".join(h.replace("|", "\\|") for h in block.head) + " |", "| " + " | ".join(align) + " |"]
        lines += ["| " + " | ".join(_cell(c, lang) for c in row) + " |" for row in block.rows]
        return [*lines, ""]
    assert isinstance(block, Chart)
    return [f"![{block.key}]({charts[block.key]})", "", f"*{block.caption}*", ""]


def _section(section: Section, lang: Lang, charts: Mapping[str, str], depth: int) -> list[str]:
    lines = [f"{'#' * depth} {section.title}", ""]
    for block in section.blocks:
        lines += _block(block, lang, charts)
    for sub in section.sub:
        lines += _section(sub, lang, charts, depth + 1)
    return lines


def render_md(report: Report, charts: Mapping[str, str]) -> str:
    """The report as Markdown; ``charts`` maps chart keys to image paths relative to the file."""
    lines = [f"# {report.title}", "", f"*{report.subtitle}*", ""]
    for section in report.sections:
        lines += _section(section, report.lang, charts, 2)
    return "\n".join(lines).rstrip() + "\n"
