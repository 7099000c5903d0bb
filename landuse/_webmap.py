"""Compact polygon layers for Leaflet: 100k parcels in a few MB of HTML, drawn on one canvas.

folium's ``GeoJson`` writes every coordinate as decimal text, twice, and styles features one by
one. Here coordinates are quantised (1e-6° ≈ 0.1 m), delta-encoded and deflated; styles are
computed once per group; a small script in the page decodes the data and adds one
``L.polygon`` per parcel to a ``L.featureGroup`` per legend entry, drawn by the canvas renderer.
"""

from __future__ import annotations

import base64
import html
import json
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

if TYPE_CHECKING:
    import folium

__all__ = ["CompactPolygons", "RawElement", "encode_geometries", "encode_text", "escape_text"]

RUNTIME_JS = """
window.landuse = window.landuse || {pending: 0, ready: 0, errors: []};
landuse.decode = function (b64) {
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).json();
};
landuse.text = function (column, i) { return column.k ? column.k[column.i[i]] : column.v[i]; };
landuse.draw = function (d, groups, styles, fields) {
  var g = d.geom, s = Math.pow(10, -g.p), c = g.c, x = g.o[0], y = g.o[1];
  var p = 0, r = 0, part = 0;
  for (var k = 0; k < g.f.length; k++) {
    var polygons = [];
    for (var a = 0; a < g.f[k]; a++, part++) {
      var rings = [];
      for (var b = 0; b < g.g[part]; b++) {
        var n = g.r[r++], ring = new Array(n);
        for (var j = 0; j < n; j++) { x += c[p++]; y += c[p++]; ring[j] = [y * s, x * s]; }
        rings.push(ring);
      }
      polygons.push(rings);
    }
    var layer = L.polygon(polygons.length === 1 ? polygons[0] : polygons, styles[d.style[k]]);
    layer.landuseIndex = k;
    groups[d.group[k]].addLayer(layer);
  }
  if (!fields.length) return;
  var tip = function (layer) {
    var rows = "";
    for (var f = 0; f < fields.length; f++) {
      rows += "<tr><th>" + fields[f] + "</th><td>" + landuse.text(d.tips[f], layer.landuseIndex) + "</td></tr>";
    }
    return '<table class="landuse-tip">' + rows + "</table>";
  };
  groups.forEach(function (group) { group.bindTooltip(tip, {sticky: true}); });
};
landuse.done = function () {
  landuse.pending -= 1;
  if (landuse.pending === 0) requestAnimationFrame(function () { landuse.ready = performance.now(); });
};
"""

RUNTIME_CSS = """
.landuse-tip { border-collapse: collapse; font: 12px/1.4 sans-serif; }
.landuse-tip th { text-align: left; padding-right: 8px; color: #555; font-weight: normal; }
.landuse-tip td { font-weight: bold; }
"""


# braces too: branca renders a macro's output again as a Jinja template, so "{{ … }}" in a
# name would be evaluated; as entities they show as braces and never reach Jinja
_HTML_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
)


def escape_text(values: Sequence[Any] | pd.Series) -> list[str]:
    """Text safe to insert as HTML (as ``html.escape``); missing values become empty strings."""
    text = pd.Series(values, dtype=object)
    missing = text.isna().to_numpy()
    text = text.where(~missing, "").astype(str)
    for char, entity in _HTML_ESCAPES:  # "&" first, so entities are not escaped twice
        text = text.str.replace(char, entity, regex=False)
    return text.tolist()


def encode_geometries(geoms: np.ndarray, precision: int = 6) -> dict[str, Any]:
    """Polygons in lon/lat as part/ring/vertex counts and integer coordinate deltas.

    ``f``: parts per feature; ``g``: rings per part; ``r``: vertices per ring (the closing
    vertex dropped); ``c``: x, y deltas in units of 10^-precision degrees from ``o``.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    per_ring = np.bincount(coord_of, minlength=len(rings))
    closing = np.cumsum(per_ring) - 1
    keep = np.ones(len(coords), dtype=bool)
    keep[closing] = False
    quantised = np.round(coords[keep] * 10**precision).astype(np.int64)
    origin = quantised[0] if len(quantised) else np.zeros(2, dtype=np.int64)
    deltas = np.diff(quantised, axis=0, prepend=origin[None, :])
    return {
        "p": precision,
        "o": origin.tolist(),
        "c": deltas.ravel().tolist(),
        "r": (per_ring - 1).tolist(),
        "g": np.bincount(ring_of, minlength=len(parts)).tolist(),
        "f": np.bincount(part_of, minlength=len(geoms)).tolist(),
    }


def encode_text(values: list[str]) -> dict[str, Any]:
    """A text column, dictionary-coded when its values repeat."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    if len(uniques) * 2 < len(values):
        return {"k": list(uniques), "i": codes.tolist()}
    return {"v": values}


def pack(payload: dict[str, Any]) -> str:
    """JSON → deflate → base64, for the page to unpack with ``DecompressionStream``."""
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # level 3: 5x faster than the default 6 for ~5 % more bytes
    return base64.b64encode(zlib.compress(raw, 3)).decode("ascii")


class RawElement(Element):
    """Markup inserted as it is. branca's ``Element`` would parse it as a Jinja template, which
    is slow for a 150 kB script and breaks on any ``{{`` inside it."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.markup = markup

    def render(self, **kwargs: Any) -> str:
        return self.markup


class CompactPolygons(MacroElement):
    """Polygons packed into the page and added to existing ``folium.FeatureGroup``s.

    Parameters
    ----------
    geoms
        Polygons in lon/lat (EPSG:4326, or GCJ-02 for Gaode tiles).
    groups
        The feature groups (legend entries), already on the map.
    group_of, style_of
        Per feature: the index of its group and of its style in ``styles``.
    styles
        Leaflet path options.
    tips
        ``{label: escaped values}`` shown in a hover tooltip; empty for none.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
landuse.pending += 1;
landuse.decode("{{ this.payload }}").then(function (d) {
  landuse.draw(d, [{{ this.group_names }}], {{ this.styles_json }}, {{ this.fields_json }});
  landuse.done();
}).catch(function (error) {
  landuse.errors.push(String(error));
  console.error("landuse: cannot draw the parcels", error);
});
{% endmacro %}
"""
    )

    def __init__(
        self,
        geoms: np.ndarray,
        *,
        groups: Sequence[folium.FeatureGroup],
        group_of: np.ndarray,
        style_of: np.ndarray,
        styles: Sequence[dict[str, Any]],
        tips: dict[str, list[str]],
        precision: int = 6,
    ) -> None:
        super().__init__()
        self._name = "CompactPolygons"
        self.group_names = ", ".join(group.get_name() for group in groups)
        self.styles_json = json.dumps(list(styles))
        self.fields_json = json.dumps([html.escape(label) for label in tips])
        self.payload = pack(
            {
                "geom": encode_geometries(geoms, precision),
                "group": np.asarray(group_of, dtype=int).tolist(),
                "style": np.asarray(style_of, dtype=int).tolist(),
                "tips": [encode_text(values) for values in tips.values()],
            }
        )

    def render(self, **kwargs: Any) -> Any:
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.header.add_child(RawElement(f"<script>{RUNTIME_JS}</script>"), name="landuse_js")
            figure.header.add_child(RawElement(f"<style>{RUNTIME_CSS}</style>"), name="landuse_css")
        return super().render(**kwargs)
