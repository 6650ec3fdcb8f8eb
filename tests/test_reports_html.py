"""The HTML report is self-contained: it opens offline, in a real headless browser, with no request
leaving the page, every chart decoded and every character drawn by the embedded font.

The browser test drives Chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``)
and skips only when no ``chromium`` is installed (Debian: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from devtools import CHROMIUM, DevTools
from fontTools.ttLib import TTFont
from PIL import Image
from test_reports_support import Built

pytest_plugins = ("test_reports_support",)


class Visible(HTMLParser):
    """The text a page shows, and every URL its markup names."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.urls: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = tag == "style"
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "action", "poster", "data")]

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.text.append(data)


def pages(built: Built) -> list[Path]:
    return [p for p in built.files if p.suffix == ".html"]


def test_html_names_no_outside_resource(aar_drill_report: Built, aar_run_report: Built) -> None:
    for page in pages(aar_drill_report) + pages(aar_run_report):
        html = page.read_text(encoding="utf-8")
        assert "://" not in html, page.name
        assert "@import" not in html and "<script" not in html and "<link" not in html
        assert "Content-Security-Policy" in html and "default-src 'none'" in html
        parser = Visible()
        parser.feed(html)
        assert parser.urls and all(u.startswith(("data:image/png;base64,", "#")) for u in parser.urls), page.name
        assert [u[:22] for u in re.findall(r"url\(([^)]*)\)", html)] == ["data:font/woff;base64,"]


def test_embedded_font_draws_every_character_of_the_page(aar_drill_report: Built) -> None:
    for page in pages(aar_drill_report):
        html = page.read_text(encoding="utf-8")
        woff = base64.b64decode(re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html).group(1))
        with TTFont(io.BytesIO(woff)) as font:
            cmap = font.getBestCmap()
        parser = Visible()
        parser.feed(html)
        shown = {ch for ch in "".join(parser.text) if not ch.isspace()}
        assert len(shown) > 60
        missing = sorted(ch for ch in shown if ord(ch) not in cmap)
        assert not missing, (page.name, missing)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
@pytest.mark.parametrize("which", ["drill-zh", "run-en"])
def test_report_renders_offline_in_a_headless_browser(
    aar_drill_report: Built, aar_run_report: Built, tmp_path: Path, which: str
) -> None:
    built = aar_drill_report if which == "drill-zh" else aar_run_report
    page = built.out / ("aar.zh.html" if which == "drill-zh" else "aar.en.html")
    assert CHROMIUM is not None
    browser = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        target = next(t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        browser.call("Network.enable", session=session)
        browser.call("Page.enable", session=session)
        browser.call(
            "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session
        )
        browser.events.clear()
        browser.call("Page.navigate", {"url": page.as_uri()}, session)
        browser.wait_for("Page.loadEventFired")
        state = browser.call(
            "Runtime.evaluate",
            {
                "expression": "document.fonts.ready.then(() => JSON.stringify({"
                "images: [...document.images].map(i => i.complete && i.naturalWidth > 0),"
                "fonts: [...document.fonts].map(f => f.family + ':' + f.status),"
                "cjk: document.fonts.check('16px DrillsimCJK', '演练评估报告'),"
                "height: document.documentElement.scrollHeight}))",
                "awaitPromise": True,
                "returnByValue": True,
            },
            session,
        )
        shot = browser.call(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": 1280, "height": 2600, "scale": 1}},
            session,
        )
    finally:
        browser.close()
    requested = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    assert requested and requested[0] == page.as_uri()
    outside = [u for u in requested if not u.startswith(("file:", "data:"))]
    assert not outside
    failed = [e["params"] for e in browser.events if e.get("method") == "Network.loadingFailed"]
    assert not failed
    found = json.loads(state["result"]["value"])
    assert found["images"] and all(found["images"])
    assert [f.replace('"', "") for f in found["fonts"]] == ["DrillsimCJK:loaded"]
    assert found["cjk"] is True
    assert found["height"] > 3000
    png = base64.b64decode(shot["data"])
    (built.out / f"screenshot.{which}.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, "the page looks blank"
