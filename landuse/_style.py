"""Colours and classes shared by the interactive and the static maps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "CATEGORY_COLORS",
    "RATE_BINS",
    "RATE_COLORS",
    "RENEWAL_COLOR",
    "STAGE_COLORS",
    "rate_colors",
    "rate_fill",
]

#: Colour-blind-safe colours (Okabe–Ito) per category: orange, reddish purple, blue stay apart
#: for protan, deutan and tritan viewers (orange and vermilion did not).
CATEGORY_COLORS = {
    "approved_unsupplied": "#E69F00",
    "supplied_unused": "#CC79A7",
    "low_efficiency": "#0072B2",
}
#: Default class limits of the disposal-rate choropleth (upper bounds).
RATE_BINS = (0.2, 0.4, 0.6, 0.8, 1.0)
#: Sequential greens (ColorBrewer YlGn): more disposed, darker; apart from the parcel colours.
RATE_COLORS = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
RENEWAL_COLOR = "#6a3d9a"
#: Renewal stages, planning → complete: a purple ramp (ColorBrewer RdPu), darker further on.
STAGE_COLORS = {
    "planning": "#fde0dd",
    "acquisition": "#fcc5c0",
    "clearance": "#fa9fb5",
    "supply": "#f768a1",
    "construction": "#c51b8a",
    "complete": "#7a0177",
}


def rate_colors(classes: int) -> list[str]:
    """``classes`` colours along the rate ramp (the ramp itself for five classes)."""
    import branca.colormap

    ramp = branca.colormap.LinearColormap(list(RATE_COLORS), vmin=0, vmax=max(classes - 1, 1))
    return [ramp.rgb_hex_str(i) for i in range(classes)]


def rate_fill(rate: np.ndarray, bins: Sequence[float]) -> tuple[list[str | None], list[str]]:
    """The fill colour of each rate (``None`` where the rate is NaN) and the class colours.

    One classing (mapclassify ``UserDefined`` on the upper bounds ``bins``) for the web map, the
    static map and the report, so a zone falls in the same class everywhere.
    """
    import mapclassify

    colors = rate_colors(len(bins))
    fill: list[str | None] = [None] * len(rate)
    valid = ~np.isnan(rate)
    if valid.any():
        classes = mapclassify.UserDefined(rate[valid], bins=list(bins))
        for row, klass in zip(np.flatnonzero(valid), classes.yb, strict=True):
            fill[row] = colors[klass]
    return fill, colors
