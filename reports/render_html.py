"""The report as one self-contained HTML file: charts, styles and the font subset embedded.

The page loads nothing from outside: charts are PNG data URLs, the CJK font is a WOFF subset
of the characters the page uses, and a Content-Security-Policy forbids any other source. Each
number is a ``<span class="n" data-src=… data-v=…>`` naming where it came from.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from html import escape, unescape
from pathlib import Path

from simulator.model import Lang

from .chartkit import DPI
from .fonts import font_face_css
from .model import Block, Bullets, Chart, Frag, Item, Mark, Para, Report, Section, Table, Val, fmt

FONT_FAMILY = "DrillsimCJK"
CSS_PX_PER_INCH = 96
"""Charts are shown at their size in inches."""
CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"

CSS = """
:root{--ink:#263238;--muted:#607d8b;--rule:#cfd8dc;--band:#f5f7f8;--accent:#1565c0}
*{box-sizing:border-box}
body{font-family:"%(family)s","Noto Sans SC",sans-serif;color:var(--ink);margin:0;line-height:1.55;font-size:15px}
main{max-width:1180px;margin:0 auto;padding:28px 32px 64px}
header{border-bottom:3px solid var(--accent);margin-bottom:18px;padding-bottom:10px}
h1{font-size:28px;margin:0 0 4px;font-weight:normal}
.subtitle{color:var(--muted);margin:0}
h2{font-size:21px;font-weight:normal;border-bottom:1px solid var(--rule);padding-bottom:4px;margin-top:40px}
h3{font-size:17px;font-weight:normal;margin-top:28px;color:var(--accent)}
nav ol{columns:2;font-size:14px;color:var(--muted)}
nav a{color:var(--accent);text-decoration:none}
table{border-collapse:collapse;width:100%%;margin:12px 0 18px;font-size:13.5px}
th,td{border-bottom:1px solid var(--rule);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:normal;color:var(--muted);white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
table.kv td:first-child{white-space:nowrap;width:1%%;padding-right:24px;color:var(--muted)}
tbody tr:nth-child(even){background:#fafbfb}
figure{margin:18px 0 26px;break-inside:avoid}
figure img{max-width:100%%;height:auto;display:block;border:1px solid var(--band)}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
.mark{display:inline-block;padding:0 7px;border-radius:4px;font-size:13px;line-height:1.6}
.rating-P{background:#2e7d32;color:#fff}.rating-S{background:#f9a825;color:#212121}
.rating-M{background:#ef6c00;color:#fff}.rating-U{background:#c62828;color:#fff}.rating-N{background:#b0bec5;color:#fff}
.status-met{color:#2e7d32}.status-incomplete{color:#8e24aa}.status-late{color:#ef6c00}.status-missed{color:#c62828}
.status-cancelled,.status-open{color:var(--muted)}
.priority-high{background:#ffebee;color:#c62828}.priority-medium{background:#fff3e0;color:#e65100}
.ok{color:#2e7d32}.bad{color:#c62828}.rule,time,.ok,.bad{white-space:nowrap}
li{margin:4px 0}li ul{color:var(--muted);font-size:14px}
@page{size:A4;margin:16mm 14mm}
@media print{main{max-width:none;padding:0}nav{display:none}h2{break-before:page}nav+section>h2{break-before:auto}}
"""


def _frag(frag: Frag, lang: Lang) -> str:
    out = []
    for piece in frag:
        if isinstance(piece, Val):
            value = escape(json.dumps(piece.value, ensure_ascii=False), quote=True)
            out.append(
                f'<span class="n" data-src="{escape(piece.src, quote=True)}" data-kind="{piece.kind}" '
                f'data-v="{value}">{escape(fmt(piece, lang))}</span>'
            )
        elif isinstance(piece, Mark) and piece.cls == "date":
            out.append(f'<time datetime="{escape(piece.text, quote=True)}">{escape(piece.text)}</time>')
        elif isinstance(piece, Mark):
            cls = ("mark " if piece.cls.startswith(("rating-", "priority-")) else "") + piece.cls
            out.append(f'<span class="{escape(cls, quote=True)}">{escape(piece.text)}</span>')
        else:
            out.append(escape(piece))
    return "".join(out)


def _item(item: Item, lang: Lang) -> str:
    sub = "".join(f"<li>{_frag(f, lang)}</li>" for f in item.sub)
    return f"<li>{_frag(item.frag, lang)}{f'<ul>{sub}</ul>' if sub else ''}</li>"


def _block(block: Block, lang: Lang, charts: Mapping[str, Path]) -> str:
    if isinstance(block, Para):
        return f"<p>{_frag(block.frag, lang)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.numbered else "ul"
        return f"<{tag}>{''.join(_item(i, lang) for i in block.items)}</{tag}>"
    if isinstance(block, Table):

        def cls(i: int) -> str:
            return ' class="num"' if i in block.numeric else ""

        head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(block.head))
        body = "".join(
            "<tr>" + "".join(f"<td{cls(i)}>{_frag(c, lang)}</td>" for i, c in enumerate(row)) + "</tr>" for row in block.rows
        )
        kind = ' class="kv"' if block.keyed else ""
        return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    assert isinstance(block, Chart)
    png = charts[block.key].read_bytes()
    width = round(int.from_bytes(png[16:20], "big") * CSS_PX_PER_INCH / DPI)
    caption = escape(block.caption)
    return (
        f'<figure id="chart-{block.key}"><img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
        f'width="{width}" alt="{caption}"><figcaption>{caption}</figcaption></figure>'
    )


def _section(section: Section, lang: Lang, charts: Mapping[str, Path], depth: int) -> str:
    tag = f"h{depth}"
    parts = [f'<section id="{escape(section.id, quote=True)}"><{tag}>{escape(section.title)}</{tag}>']
    parts += [_block(b, lang, charts) for b in section.blocks]
    parts += [_section(s, lang, charts, depth + 1) for s in section.sub]
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report, charts: Mapping[str, Path]) -> str:
    """The report as a self-contained HTML page; ``charts`` maps chart keys to their PNG files."""
    lang = report.lang
    toc = "".join(f'<li><a href="#{escape(s.id, quote=True)}">{escape(s.title)}</a></li>' for s in report.sections)
    body = "\n".join(_section(s, lang, charts, 2) for s in report.sections)
    page = (
        f'<header><h1>{escape(report.title)}</h1><p class="subtitle">{escape(report.subtitle)}</p></header>'
        f"<nav><ol>{toc}</ol></nav>\n{body}"
    )
    visible = "".join(ch for ch in set(report.title + report.subtitle + unescape(page)) if ord(ch) > 32)
    style = font_face_css(FONT_FAMILY, visible) + CSS % {"family": FONT_FAMILY}
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)} — {escape(report.subtitle)}</title>\n<style>{style}</style>\n</head>\n"
        f"<body><main>\n{page}\n</main></body>\n</html>\n"
    )
