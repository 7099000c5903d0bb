"""Leaflet's own files, for maps that work without internet (``offline=True``).

They come from the ``django-js-lib-leaflet`` wheel (the ``offline`` extra), which ships Leaflet's
``leaflet.js`` and ``leaflet.css`` as plain files; nothing is copied into this repository.
"""

from __future__ import annotations

import base64
import functools
import importlib.metadata
import importlib.resources
import re
from typing import Any

__all__ = ["LEAFLET_CDN", "leaflet_css", "leaflet_js", "leaflet_license"]

_PACKAGE, _DISTRIBUTION = "js_lib_leaflet", "django-js-lib-leaflet"
LEAFLET_CDN = {
    "js": "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js",
    "css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css",
}


def _folder() -> Any:
    try:
        return importlib.resources.files(_PACKAGE) / "static" / _PACKAGE
    except ModuleNotFoundError:
        raise ImportError(
            "offline maps need Leaflet's files: pip install 'landuse[offline]' "
            "(the django-js-lib-leaflet wheel)"
        ) from None


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified script, its copyright header kept."""
    return str((_folder() / "leaflet.js").read_text(encoding="utf-8"))


@functools.cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs."""
    folder = _folder()
    css = str((folder / "leaflet.css").read_text(encoding="utf-8"))

    def inline(match: re.Match[str]) -> str:
        image = folder / "images" / match.group(1)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)


@functools.cache
def leaflet_license() -> str:
    """Leaflet's BSD-2-Clause licence text, to keep in every page that carries Leaflet."""
    text = importlib.metadata.distribution(_DISTRIBUTION).read_text("LICENSE")
    if not text:
        raise ImportError(f"{_DISTRIBUTION} is installed without its LICENSE file")
    return text
