"""Print an HTML page to PDF with headless Chromium, when the machine has it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from landuse._atomic import replacing

__all__ = ["chromium", "print_to_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str | None:
    """The path of a Chromium (or Chrome) executable, or ``None``."""
    return next((found for name in _NAMES if (found := shutil.which(name))), None)


def print_to_pdf(page: Path, pdf: Path, *, timeout: float = 120.0) -> Path:
    """Print ``page`` (a local, self-contained HTML file) to ``pdf`` with its print stylesheet.

    The browser runs headless with a throwaway profile and no network; the PDF is written
    atomically. Raises ``FileNotFoundError`` without Chromium and ``OSError`` when it fails.
    """
    browser = chromium()
    if browser is None:
        raise FileNotFoundError(
            "no Chromium to print the PDF with (Debian: apt-get install chromium)"
        )
    with tempfile.TemporaryDirectory() as profile, replacing(Path(pdf)) as temp:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={temp}",
                Path(page).resolve().as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0 or not temp.exists() or temp.stat().st_size == 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise OSError(f"Chromium could not print {page.name} to PDF: {message[0]}")
    return Path(pdf)
