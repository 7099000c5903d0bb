"""Leaflet layers whose text is data: compact parcels, zone polygons, labels, legend, layers.

Why not folium's own elements for anything that carries user text: branca renders the output of
every ``MacroElement`` a second time as Jinja template *source* (``Element(script(...))``), so a
zone named ``{{ 7*7 }}`` would print 49, and worse would run Python. Every element here builds
its script in Python from JSON literals and hands it to the page as it is (:class:`RawElement`).

Compact parcels: 100k parcels in under 3 MB of HTML, a million in about 26 MB, on one canvas.

folium's ``GeoJson`` writes every coordinate as decimal text, twice, and styles features one by
one. Here coordinates are quantised (1e-6° ≈ 0.1 m), delta-encoded as zigzag varints and
deflated with the other columns (counts, groups, styles, tooltip text) as one binary block of
typed-array sections (:func:`encode_parcels`; :func:`decode_parcels` is the reference decoder);
styles are computed once per group. A small script in the page (``static/webmap.js``) inflates
the block with the browser's ``DecompressionStream`` and either adds one ``L.polygon`` per
parcel to a ``L.featureGroup`` per legend entry (small maps), or, for large maps, draws every
parcel on one canvas with a level of detail by zoom through a grid index (see
:class:`CompactPolygons`).
"""

from __future__ import annotations

import base64
import html
import importlib.resources
import json
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement

if TYPE_CHECKING:
    import folium

__all__ = [
    "LOD_THRESHOLD",
    "MIN_PIXELS",
    "CompactPolygons",
    "FitView",
    "LayerControl",
    "Legend",
    "PointLabels",
    "PolygonLayer",
    "RawElement",
    "ScaleBar",
    "ScriptElement",
    "TileLayer",
    "decode_parcels",
    "encode_geometries",
    "encode_parcels",
    "escape_text",
    "geometry_arrays",
    "js_literal",
    "pack",
    "spatial_order",
    "unpack",
]


def _static(name: str) -> str:
    return importlib.resources.files("landuse").joinpath("static", name).read_text(encoding="utf-8")


RUNTIME_JS = _static("webmap.js")
RUNTIME_CSS = _static("webmap.css")


def escape_text(values: Sequence[Any] | pd.Series) -> list[str]:
    """Text safe to insert as HTML (as ``html.escape``); missing values become empty strings.

    Each distinct value is escaped once, and only those holding ``&<>"'`` go through
    ``html.escape`` (found by pyarrow in one pass), so a million ids take about a second.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=True)
    plain = [u if isinstance(u, str) else str(u) for u in uniques]
    special = pc.match_substring_regex(pa.array(plain, type=pa.large_string()), "[&<>\"']")
    for i in np.flatnonzero(special.to_numpy(zero_copy_only=False)):
        plain[i] = html.escape(plain[i])
    escaped = np.asarray([*plain, ""], dtype=object)
    return list(escaped[codes].tolist())  # code -1 (missing) is the "" at the end


def geometry_arrays(geoms: np.ndarray) -> dict[str, np.ndarray]:
    """Every coordinate of (multi)polygons, ring by ring, with the counts that split them.

    ``xy``: the coordinates (closing vertices included); ``f``: parts per feature; ``g``: rings
    per part; ``r``: coordinates per ring. Plain polygons (one part, no hole; nearly every
    parcel) are read in one ``get_coordinates`` call; only the others are split into parts and
    rings, so a million parcels take about a second.
    """
    n = len(geoms)
    xy, feature_of = shapely.get_coordinates(geoms, return_index=True)
    per_feature = np.bincount(feature_of, minlength=n)
    simple = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
    f = np.ones(n, dtype=np.int64)
    if simple.all():
        return {"xy": xy, "f": f, "g": np.ones(n, dtype=np.int64), "r": per_feature}
    other = np.flatnonzero(~simple)
    parts, part_of = shapely.get_parts(geoms[other], return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    f[other] = np.bincount(part_of, minlength=len(other))
    part_row = np.repeat(np.arange(n), f)
    g = np.ones(len(part_row), dtype=np.int64)
    g[~simple[part_row]] = np.bincount(ring_of, minlength=len(parts))
    ring_row = np.repeat(part_row, g)
    r = per_feature[ring_row]
    r[~simple[ring_row]] = shapely.get_num_coordinates(rings)
    return {"xy": xy, "f": f, "g": g, "r": r}


def encode_geometries(
    geoms: np.ndarray,
    precision: int = 6,
    *,
    to_lonlat: Callable[[np.ndarray], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Polygons as part/ring/vertex counts and integer lon/lat deltas.

    ``f``: parts per feature; ``g``: rings per part; ``r``: vertices per ring (the closing
    vertex dropped); ``x``, ``y``: deltas in units of 10^-precision degrees, the first from
    ``o`` (the first vertex), each other from the vertex before it (across parcels too).
    ``geoms`` are in lon/lat, or in any CRS with ``to_lonlat`` mapping an (n, 2) array of
    their coordinates to lon/lat (one projection call for all coordinates).
    """
    arrays = geometry_arrays(geoms)
    per_ring = arrays["r"]
    keep = np.ones(len(arrays["xy"]), dtype=bool)
    keep[np.cumsum(per_ring)[per_ring > 0] - 1] = False
    coords = arrays["xy"][keep]
    if to_lonlat is not None and len(coords):
        coords = to_lonlat(coords)
    quantised = np.round(coords * 10**precision).astype(np.int64)
    origin = quantised[0] if len(quantised) else np.zeros(2, dtype=np.int64)
    deltas = np.diff(quantised, axis=0, prepend=origin[None, :])
    lower = quantised.min(axis=0) / 10**precision if len(quantised) else np.zeros(2)
    upper = quantised.max(axis=0) / 10**precision if len(quantised) else np.zeros(2)
    return {
        "p": precision,
        "o": origin.tolist(),
        "x": deltas[:, 0],
        "y": deltas[:, 1],
        "r": np.maximum(per_ring - 1, 0),
        "g": arrays["g"],
        "f": arrays["f"],
        "bounds": (*lower.tolist(), *upper.tolist()),
    }


def spatial_order(geoms: np.ndarray) -> np.ndarray:
    """Positions that put parcels in Hilbert-curve order of their bounding-box centres.

    Neighbours in the page are neighbours on the ground: coordinate deltas between parcels
    stay small (the payload deflates better) and the page draws a region's parcels together.
    """
    if len(geoms) < 2:
        return np.arange(len(geoms))
    bounds = shapely.bounds(geoms)
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2
    level = 16
    side = (1 << level) - 1
    span_x = max(float(cx.max() - cx.min()), 1e-12)
    span_y = max(float(cy.max() - cy.min()), 1e-12)
    x = np.round((cx - cx.min()) / span_x * side).astype(np.int64)
    y = np.round((cy - cy.min()) / span_y * side).astype(np.int64)
    return np.argsort(_hilbert(x, y, level), kind="stable")


def _hilbert(x: np.ndarray, y: np.ndarray, level: int) -> np.ndarray:
    """Distance along the Hilbert curve of integer points on a 2^level grid (vectorised)."""
    d = np.zeros(len(x), dtype=np.int64)
    x, y = x.copy(), y.copy()
    s = 1 << (level - 1)
    while s > 0:
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += s * s * ((3 * rx) ^ ry)
        # rotate the quadrant
        flip = ~ry & rx
        x = np.where(flip, s - 1 - x, x)
        y = np.where(flip, s - 1 - y, y)
        swap = ~ry
        x, y = np.where(swap, y, x), np.where(swap, x, y)
        s >>= 1
    return d


def _uint(values: np.ndarray) -> np.ndarray:
    """Non-negative integers in the smallest unsigned type that holds them."""
    values = np.asarray(values, dtype=np.int64)
    top = int(values.max()) if len(values) else 0
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype)
    raise ValueError("a count does not fit in 32 bits")


def _varints(values: np.ndarray) -> np.ndarray:
    """Signed integers as zigzag LEB128 varints (1 byte for -64..63, 2 up to ±8191, ...)."""
    v = np.asarray(values, dtype=np.int64)
    u = ((v << 1) ^ (v >> 63)).astype(np.uint64)
    size = np.ones(len(u), dtype=np.int64)
    for k in range(1, 10):
        size += u >= np.uint64(1 << (7 * k))
    out = np.zeros(int(size.sum()), dtype=np.uint8)
    start = np.cumsum(size) - size
    for k in range(int(size.max()) if len(size) else 0):
        rows = size > k
        byte = ((u[rows] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        byte |= np.where(size[rows] > k + 1, 0x80, 0).astype(np.uint8)
        out[start[rows] + k] = byte
    return out


def _from_varints(data: np.ndarray, count: int) -> np.ndarray:
    """The inverse of :func:`_varints` (reference decoder, for tests)."""
    values = np.zeros(count, dtype=np.int64)
    pos = 0
    for i in range(count):
        shift = u = 0
        while True:
            byte = int(data[pos])
            pos += 1
            u |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values[i] = (u >> 1) ^ -(u & 1)
    return values


_DTYPES = {"u1": np.uint8, "u2": np.uint16, "u4": np.uint32, "i4": np.int32, "f8": np.float64}


def _distinct(values: Sequence[str]) -> tuple[np.ndarray, Any]:
    """Codes and distinct values of strings (pyarrow's dictionary encoding, far faster than
    hashing Python objects)."""
    import pyarrow as pa

    encoded = pa.array(values, type=pa.large_string()).dictionary_encode()
    return encoded.indices.to_numpy(), encoded.dictionary


def _utf8(values: Any) -> tuple[np.ndarray, bytes]:
    """Byte lengths and the concatenated UTF-8 bytes of strings (pyarrow's own buffers)."""
    import pyarrow as pa

    array = values if isinstance(values, pa.Array) else pa.array(values, type=pa.large_string())
    array = array.cast(pa.large_string())
    _, offsets, data = array.buffers()
    start = array.offset
    ends = np.frombuffer(offsets, dtype=np.int64)[start : start + len(array) + 1].astype(np.int64)
    if data is None or not len(ends):
        return np.zeros(len(array), dtype=np.int64), b""
    return np.diff(ends), data.to_pybytes()[ends[0] : ends[-1]]


def encode_parcels(
    geoms: np.ndarray,
    *,
    group_of: np.ndarray,
    style_of: np.ndarray,
    tips: Sequence[Sequence[str]],
    precision: int = 6,
    to_lonlat: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[bytes, tuple[float, float, float, float]]:
    """Parcels as one binary block for the page: a JSON header, then typed-array sections.

    Layout: ``uint32`` header length, the header (UTF-8 JSON: ``n`` parcels, precision ``p``,
    origin ``o``, per section ``[byte offset after the header, type, length]``, per text column whether it is
    dictionary-coded), then the sections, each 8-byte aligned. Sections: ``f``/``g``/``r``
    part, ring and vertex counts; ``x``/``y`` coordinate deltas as zigzag varints (see
    :func:`encode_geometries`); ``group`` and ``style`` per parcel; per text column ``i``:
    ``tb{i}`` UTF-8 bytes, ``tl{i}`` byte lengths, and ``tc{i}`` codes when dictionary-coded.
    Counts use the smallest unsigned type that holds them. The page reads the sections as
    typed arrays without copying; :func:`decode_parcels` is the reference decoder.

    Returns the block and the lon/lat bounds of the parcels.
    """
    geom = encode_geometries(geoms, precision, to_lonlat=to_lonlat)
    sections: dict[str, np.ndarray] = {
        "f": _uint(geom["f"]),
        "g": _uint(geom["g"]),
        "r": _uint(geom["r"]),
        "x": _varints(geom["x"]),
        "y": _varints(geom["y"]),
        "group": _uint(group_of),
        "style": _uint(style_of),
    }
    columns = []
    for i, values in enumerate(tips):
        codes, uniques = _distinct(values)
        coded = len(uniques) * 2 < len(values)
        lengths, data = _utf8(uniques if coded else values)
        sections[f"tl{i}"] = _uint(lengths)
        sections[f"tb{i}"] = np.frombuffer(data, dtype=np.uint8)
        if coded:
            sections[f"tc{i}"] = _uint(codes)
        columns.append({"dict": coded})
    kinds = {np.dtype(v).name: k for k, v in _DTYPES.items()}
    header: dict[str, Any] = {
        "v": 2,
        "n": len(geoms),
        "p": precision,
        "o": geom["o"],
        "nv": len(geom["x"]),
        "t": columns,
        "s": {},
    }
    blobs: list[bytes] = []
    offset = 0
    for name, array in sections.items():
        header["s"][name] = [offset, kinds[array.dtype.name], len(array)]
        blob = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        blobs.append(blob + b"\0" * (-len(blob) % 8))
        offset += len(blobs[-1])
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(4 + len(text)) % 8)  # sections start 8-byte aligned
    block = np.uint32(len(text)).astype("<u4").tobytes() + text + b"".join(blobs)
    return block, geom["bounds"]


def decode_parcels(block: bytes) -> dict[str, Any]:
    """Reference decoder of :func:`encode_parcels` (what the page does, in Python).

    Returns ``geoms`` (shapely polygons, lon/lat rounded to the precision), ``group``,
    ``style`` and ``tips`` (a list of text lists), in the order of the page.
    """
    size = int(np.frombuffer(block[:4], dtype="<u4")[0])
    header = json.loads(block[4 : 4 + size].decode("utf-8"))
    base = 4 + size  # sections are placed after the header, offsets counted from there
    s = {
        name: np.frombuffer(
            block,
            dtype=np.dtype(_DTYPES[kind]).newbyteorder("<"),
            count=count,
            offset=base + offset,
        )
        for name, (offset, kind, count) in header["s"].items()
    }
    nv = header["nv"]
    xy = np.c_[_from_varints(s["x"], nv), _from_varints(s["y"], nv)]
    coords = (np.cumsum(xy, axis=0) + header["o"]) / 10 ** header["p"]
    per_ring = s["r"].astype(np.int64)
    ring_ends = np.cumsum(per_ring)
    rings = [
        shapely.linearrings(c) if len(c) >= 3 else None for c in np.split(coords, ring_ends[:-1])
    ]
    polygons = []
    r = 0
    for count in s["g"]:
        polygons.append(shapely.Polygon(rings[r], rings[r + 1 : r + int(count)]))
        r += int(count)
    geoms = []
    p = 0
    for count in s["f"]:
        parts = polygons[p : p + int(count)]
        geoms.append(parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts))
        p += int(count)
    tips = []
    for i, column in enumerate(header["t"]):
        ends = np.cumsum(s[f"tl{i}"].astype(np.int64))
        data = s[f"tb{i}"].tobytes()
        strings = [
            data[a:b].decode("utf-8") for a, b in zip(np.r_[0, ends[:-1]], ends, strict=True)
        ]
        if column["dict"]:
            strings = [strings[c] for c in s[f"tc{i}"]]
        tips.append(strings)
    return {
        "n": header["n"],
        "geoms": np.asarray(geoms, dtype=object),
        "group": s["group"].astype(int),
        "style": s["style"].astype(int),
        "tips": tips,
        "header": header,
    }


def pack(payload: dict[str, Any] | bytes) -> str:
    """JSON (or a binary block) → deflate → base64, for the page to unpack with
    ``DecompressionStream``."""
    raw = (
        payload
        if isinstance(payload, bytes)
        else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    )
    # level 1: 3x faster than the default 6 for ~2.5 % more bytes (a million parcels)
    return base64.b64encode(zlib.compress(raw, 1)).decode("ascii")


def unpack(text: str) -> bytes:
    """The inverse of :func:`pack` for a binary block."""
    return zlib.decompress(base64.b64decode(text))


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

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped

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


#: Parcels above this many are drawn by the level-of-detail canvas layer, not as Leaflet polygons.
LOD_THRESHOLD = 5_000
#: The smallest size (screen pixels) a parcel is drawn at, so none is a speck at any zoom.
MIN_PIXELS = 5


class CompactPolygons(ScriptElement):
    """Polygons packed into the page (:func:`encode_parcels`) and drawn on a canvas.

    Up to :data:`LOD_THRESHOLD` parcels (or ``lod=False``), each parcel becomes a Leaflet
    polygon in its legend entry's ``folium.FeatureGroup``. Above it (or ``lod=True``) one
    canvas layer draws them with a level of detail by zoom: parcels smaller than a few pixels
    as squares written straight into the canvas's pixels, the rest as paths, only those in
    view (a grid index in the page), redrawn after each pan or zoom; hovering finds the parcel
    through the same index. The feature groups stay in the layer control and switch their
    parcels on and off. Either way no parcel is drawn smaller than :data:`MIN_PIXELS`.

    Parameters
    ----------
    geoms
        Polygons in lon/lat (EPSG:4326, or GCJ-02 for Gaode tiles), or see ``to_lonlat``.
    groups
        The feature groups (legend entries), already on the map.
    group_of, style_of
        Per feature: the index of its group and of its style in ``styles``.
    styles
        Leaflet path options.
    tips
        ``{label: escaped values}`` shown in a hover tooltip; empty for none.
    lod
        Force the level-of-detail layer on or off (default: by the number of parcels).
    to_lonlat
        Maps an (n, 2) array of the coordinates of ``geoms`` to lon/lat, when they are in
        another CRS (one projection call for every coordinate).
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
        lod: bool | None = None,
        to_lonlat: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        super().__init__()
        self._name = "CompactPolygons"
        self.group_names = ", ".join(group.get_name() for group in groups)
        self.styles_json = js_literal(list(styles))
        self.fields_json = js_literal([html.escape(label) for label in tips])
        self.lod = len(geoms) > LOD_THRESHOLD if lod is None else bool(lod)
        columns = [np.asarray(values, dtype=object) for values in tips.values()]
        group_of = np.asarray(group_of, dtype=np.int64)
        style_of = np.asarray(style_of, dtype=np.int64)
        if self.lod:  # neighbours together: smaller deltas, and the page draws by region
            order = spatial_order(geoms)
            geoms, group_of, style_of = geoms[order], group_of[order], style_of[order]
            columns = [values[order] for values in columns]
        self.block, self.bounds = encode_parcels(
            geoms,
            group_of=group_of,
            style_of=style_of,
            tips=[values.tolist() for values in columns],
            precision=precision,
            to_lonlat=to_lonlat,
        )
        self.payload = pack(self.block)

    def script(self) -> str:
        options = js_literal({"lod": self.lod, "min": MIN_PIXELS})
        return f"""
landuse.pending += 1;
landuse.decode("{self.payload}").then(function (d) {{
  landuse.draw(d, {self.parent.get_name()}, [{self.group_names}], {self.styles_json},
               {self.fields_json}, {options});
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


class FitView(ScriptElement):
    """Open the map on ``[[south, west], [north, east]]``, clear of the legend and layer control.

    The margins kept for them (pixels: ``left``, ``right``) shrink on a small map (at most a
    fifth of its width each), so a narrow notebook cell or report frame still shows every
    parcel instead of cutting off the west of the data.
    """

    def __init__(self, bounds: Sequence[Sequence[float]], *, left: int, right: int) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.margins = {"left": left, "right": right, "top": 20, "bottom": 20, "maxZoom": 18}

    def script(self) -> str:
        return (
            f"landuse.fit({self.parent.get_name()}, {js_literal(self.bounds)}, "
            f"{js_literal(self.margins)});\n"
        )


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
