"""Printing the HTML plan to PDF with headless Chromium, when it is installed.

No PDF library without system dependencies renders this page well, and browsers print it
exactly as the user would from the print dialog, so the PDF comes from Chromium
(``chromium --headless --print-to-pdf``). Without Chromium the message says what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from hingecoach.errors import HingecoachError

__all__ = ["find_chromium", "print_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT_S = 60


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome executable on PATH, if any."""
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print ``html_path`` to ``pdf_path`` (A4, as the page's CSS asks)."""
    browser = find_chromium()
    if browser is None:
        raise HingecoachError(
            "--pdf needs Chromium, which is not installed here. Install it (on Debian or "
            "Ubuntu: apt-get install chromium), or open the --print HTML file in a browser "
            "and print it to PDF."
        )
    args = [browser, "--headless", "--disable-gpu", "--no-pdf-header-footer"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    args += [f"--print-to-pdf={pdf_path.resolve()}", html_path.resolve().as_uri()]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise HingecoachError(f"Chromium took over {_TIMEOUT_S} s to print the PDF") from None
    if done.returncode != 0 or not pdf_path.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise HingecoachError(f"Chromium could not print the PDF: {detail[0]}")
