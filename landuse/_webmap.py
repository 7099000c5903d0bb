"""Leaflet layers whose text is data: compact parcels, zone polygons, labels, legend, layers.

Why not folium's own elements for anything that carries user text: branca renders the output of
every ``MacroElement`` a second time as Jinja template *source* (``Element(script(...))``), so a
zone named ``{{ 7*7 }}`` would print 49, and worse would run Python. Every element here builds
its script in Python from JSON literals and hands it to the page as it is (:class:`RawElement`).

Compact parcels: 100k parcels in a few MB of HTML, drawn on one canvas.

folium's ``GeoJson`` writes every coordinate as decimal text, twice, and styles features one by
one. Here coordinates are quantised (1e-6° ≈ 0.1 m), delta-encoded and deflated; styles are
computed once per group; a small script in the page decodes the data and adds one
``L.polygon`` per parcel to a ``L.featureGroup`` per legend entry, drawn by the canvas renderer.
"""

from __future__ import annotations

import base64
import html
import importlib.resources
import json
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement

if TYPE_CHECKING:
    import folium

__all__ = [
    "CompactPolygons",
    "LayerControl",
    "Legend",
    "PointLabels",
    "PolygonLayer",
    "RawElement",
    "ScaleBar",
    "ScriptElement",
    "TileLayer",
    "encode_geometries",
    "encode_text",
    "escape_text",
    "js_literal",
]


def _static(name: str) -> str:
    return importlib.resources.files("landuse").joinpath("static", name).read_text(encoding="utf-8")


RUNTIME_JS = _static("webmap.js")
RUNTIME_CSS = _static("webmap.css")


_HTML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


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


def js_literal(value: Any) -> str:
    """A JSON value as a JavaScript literal that is safe inside ``<script>``.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes (as Jinja's ``tojson`` does), so no
    string can close the script or open a comment; the value the script sees is unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ScriptElement(MacroElement):
    """A map element whose script is built in Python and inserted as it is, never as a template.

    Subclasses implement :meth:`script`; the landuse runtime (``static/webmap.js`` and
    ``webmap.css``) goes into the page header once.
    """

    def script(self) -> str:
        raise NotImplementedError

    @property
    def parent(self) -> Element:
        if self._parent is None:
            raise TypeError(f"{type(self).__name__} must be added to a map or layer first")
        return self._parent

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a map before rendering")
        figure.header.add_child(RawElement(f"<script>{RUNTIME_JS}</script>"), name="landuse_js")
        figure.header.add_child(RawElement(f"<style>{RUNTIME_CSS}</style>"), name="landuse_css")
        figure.script.add_child(RawElement(self.script()), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class CompactPolygons(ScriptElement):
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
        self.styles_json = js_literal(list(styles))
        self.fields_json = js_literal([html.escape(label) for label in tips])
        self.payload = pack(
            {
                "geom": encode_geometries(geoms, precision),
                "group": np.asarray(group_of, dtype=int).tolist(),
                "style": np.asarray(style_of, dtype=int).tolist(),
                "tips": [encode_text(values) for values in tips.values()],
            }
        )

    def script(self) -> str:
        return f"""
landuse.pending += 1;
landuse.decode("{self.payload}").then(function (d) {{
  landuse.draw(d, [{self.group_names}], {self.styles_json}, {self.fields_json});
  landuse.done();
}}).catch(function (error) {{
  landuse.errors.push(String(error));
  console.error("landuse: cannot draw the parcels", error);
}});
"""


class PolygonLayer(ScriptElement):
    """Polygons (zones, renewal zones) with a per-feature style and an HTML tooltip.

    ``tips`` must already be HTML-escaped; ``labels`` (escaped too) are drawn at a point
    inside each polygon. The layer is added to its parent (the map or a feature group).
    """

    def __init__(
        self,
        geoms: np.ndarray,
        *,
        tips: Sequence[str],
        styles: Sequence[dict[str, Any] | None],
        default_style: dict[str, Any],
        labels: Sequence[str] | None = None,
        label_css: str = "",
        name: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "PolygonLayer"
        self.layer_name = name
        features = [
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {"tip": tip, "style": style},
            }
            for geom, tip, style in zip(geoms, tips, styles, strict=True)
        ]
        self.data = {"type": "FeatureCollection", "features": features}
        self.default_style = default_style
        self.labels: list[list[Any]] = []
        if labels is not None:
            points = shapely.point_on_surface(geoms)
            self.labels = [
                [round(p.y, 6), round(p.x, 6), text] for p, text in zip(points, labels, strict=True)
            ]
        self.label_css = label_css

    def script(self) -> str:
        name, parent = self.get_name(), self.parent.get_name()
        out = (
            f"var {name} = landuse.polygons({js_literal(self.data)}, "
            f"{js_literal(self.default_style)}).addTo({parent});\n"
        )
        if self.labels:
            out += f"landuse.labels({parent}, {js_literal(self.labels)}, {js_literal(self.label_css)});\n"
        return out


class TileLayer(ScriptElement):
    """A Leaflet tile layer whose URL, attribution and name are data (a key or an intranet URL
    may hold anything), listed in the layer control as a base layer or an overlay."""

    def __init__(self, url: str, *, name: str, overlay: bool = False, **options: Any) -> None:
        super().__init__()
        self._name = "TileLayer"
        self.url = url
        self.layer_name = name
        self.overlay = overlay
        self.control = True
        self.options = {k: v for k, v in options.items() if v is not None}

    def script(self) -> str:
        return (
            f"var {self.get_name()} = L.tileLayer({js_literal(self.url)}, "
            f"{js_literal(self.options)}).addTo({self.parent.get_name()});\n"
        )


class PointLabels(ScriptElement):
    """Text labels at points (``texts`` already HTML-escaped), added to the parent layer."""

    def __init__(
        self, lats: Sequence[float], lons: Sequence[float], texts: Sequence[str], *, css: str
    ) -> None:
        super().__init__()
        self._name = "PointLabels"
        self.labels = [
            [round(float(y), 6), round(float(x), 6), t]
            for y, x, t in zip(lats, lons, texts, strict=True)
        ]
        self.css = css

    def script(self) -> str:
        return (
            f"landuse.labels({self.parent.get_name()}, {js_literal(self.labels)}, "
            f"{js_literal(self.css)});\n"
        )


class ScaleBar(ScriptElement):
    """Leaflet's scale bar in metres only (land is measured in metres, 亩 and 公顷, not miles)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "ScaleBar"

    def script(self) -> str:
        options = js_literal({"metric": True, "imperial": False, "position": "bottomleft"})
        return f"L.control.scale({options}).addTo({self.parent.get_name()});\n"


class Legend(ScriptElement):
    """A legend as a Leaflet control (so it stacks with the scale bar); ``markup`` escaped."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.markup = markup

    def script(self) -> str:
        return f"landuse.legend({self.parent.get_name()}, {js_literal(self.markup)});\n"


class LayerControl(ScriptElement):
    """Leaflet's layer control over the map's tile layers and overlays.

    folium's ``LayerControl`` would put layer names (legend labels from the data) into template
    source; here they are JSON keys, HTML-escaped because Leaflet shows them as markup.
    """

    def __init__(self, *, collapsed: bool = False) -> None:
        super().__init__()
        self._name = "LayerControl"
        self.collapsed = collapsed

    def script(self) -> str:
        base: list[str] = []
        overlays: list[str] = []
        for item in self.parent._children.values():
            label = getattr(item, "layer_name", None)
            if label is None or not getattr(item, "control", True):
                continue
            entry = f"{js_literal(html.escape(str(label)))}: {item.get_name()}"
            (overlays if getattr(item, "overlay", True) else base).append(entry)
        options = js_literal({"collapsed": self.collapsed})
        return (
            f"L.control.layers({{{', '.join(base)}}}, {{{', '.join(overlays)}}}, {options})"
            f".addTo({self.parent.get_name()});\n"
        )
