"""The report as PDF: the self-contained HTML page printed by headless Chromium.

Chromium rather than WeasyPrint: the HTML page is already what the report looks like (tested in the
same browser), so the PDF is that page printed, with no second layout engine to keep in step and no
new Python dependency (WeasyPrint would add it and its own CSS subset); Chromium is what the project's
CI already installs for its browser tests. The page embeds its CJK font subset and loads nothing from
outside (its Content-Security-Policy forbids it), so the PDF embeds the same glyphs.

Chromium refuses to run as root with its sandbox; only then is the sandbox turned off, which is safe
enough for a page that holds no script and may load nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from simulator.model import UserError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Browser commands looked for on the PATH, in order; ``DRILLSIM_CHROMIUM`` names another."""
TIMEOUT_S = 120.0
"""The longest a print may take."""


def browser() -> str:
    """The headless browser's command, or a UserError saying how to get one."""
    named = os.environ.get("DRILLSIM_CHROMIUM")
    found = shutil.which(named) if named else next((p for b in BROWSERS if (p := shutil.which(b))), None)
    if found is None:
        wanted = f"DRILLSIM_CHROMIUM={named} is not a command" if named else "no Chromium on the PATH"
        raise UserError(f"--format pdf prints the report with headless Chromium: {wanted} (Debian: apt-get install chromium)")
    return found


def print_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML page ``html`` to ``pdf`` (A4, no browser header or footer)."""
    command = browser()
    with tempfile.TemporaryDirectory(prefix="drillsim-pdf-") as profile:
        args = [
            command,
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        pdf.unlink(missing_ok=True)
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise UserError(f"{pdf}: Chromium did not print the report within {TIMEOUT_S:g} s") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise UserError(f"{pdf}: Chromium could not print the report (exit {done.returncode}: {tail[0]})")
    return pdf
