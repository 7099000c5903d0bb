"""Interactive maps: parcels by category, disposal-rate choropleths and renewal zones.

folium is imported inside the functions, so ``import landuse`` stays light.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure

from landuse._errors import InputError, MissingColumnError
from landuse._style import (
    CATEGORY_COLORS,
    RATE_BINS,
    RATE_COLORS,
    RENEWAL_COLOR,
    STAGE_COLORS,
    rate_fill,
)
from landuse._tiles import add_tiles
from landuse._validate import require_crs, require_finite
from landuse._webmap import (
    CompactPolygons,
    FitView,
    LayerControl,
    Legend,
    PointLabels,
    PolygonLayer,
    RawElement,
    ScaleBar,
    escape_text,
)
from landuse.coords import to_gcj02, wgs84_to_gcj02
from landuse.stats import disposed_by
from landuse.vocab import CATEGORIES, STAGES, Lang, category_label, method_label, stage_label

if TYPE_CHECKING:
    import folium
    import xyzservices

__all__ = [
    "CATEGORY_COLORS",
    "GRADE_COLORS",
    "PARK_TAX_BINS",
    "RATE_BINS",
    "RATE_COLORS",
    "parcel_map",
]

#: Colours of the per-mu grades (ColorBrewer RdYlGn, colour-blind-safe ends): A green … D red.
GRADE_COLORS = {"A": "#1a9850", "B": "#a6d96a", "C": "#fdae61", "D": "#d73027"}
#: Class limits (万元/亩) of the per-park 亩均税收 choropleth; 10 is the low-efficiency line.
PARK_TAX_BINS = (10.0, 20.0, 30.0, 50.0)
_PARK_COLORS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")

_CONTEXT_COLOR = "#9e9e9e"
_QUALITATIVE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#882255",
    "#44AA99",
    "#117733",
)
_MAX_CLASSES = len(_QUALITATIVE)

_WORDS = {
    "zh": {
        "parcel_id": "编号",
        "name": "名称",
        "category": "类别",
        "area_mu": "面积（亩）",
        "disposal_method": "处置方式",
        "disposal_date": "处置时间",
        "stock": "存量土地",
        "disposed": "已处置（浅色虚线）",
        "context": "其他地块",
        "zones": "片区",
        "rate": "处置率",
        "renewal": "城市更新片区",
        "no_data": "无存量",
        "meets": "达标",
        "misses": "未达标",
        "target": "目标",
        "grade": "亩均效益评价",
        "enterprises": "企业数",
        "parks": "园区（区中园）",
        "park_tax": "园区亩均税收（万元/亩）",
        "no_firms": "无参评企业",
        "stage": "更新阶段",
        "days": "天",
        "overdue": "逾期",
        "package": "工作包",
        "packages": "调查工作包",
    },
    "en": {
        "parcel_id": "Parcel",
        "name": "Name",
        "category": "Category",
        "area_mu": "Area (mu)",
        "disposal_method": "Disposal",
        "disposal_date": "Disposal date",
        "stock": "Stock land",
        "disposed": "Disposed (light, dashed)",
        "context": "Other parcels",
        "zones": "Zones",
        "rate": "Disposal rate",
        "renewal": "Renewal zones",
        "no_data": "No stock",
        "meets": "met",
        "misses": "missed",
        "target": "target",
        "grade": "Per-mu evaluation",
        "enterprises": "Enterprises",
        "parks": "Parks",
        "park_tax": "Park tax per mu (10k yuan)",
        "no_firms": "No enterprises evaluated",
        "stage": "Renewal stage",
        "days": "days",
        "overdue": "overdue",
        "package": "Package",
        "packages": "Survey packages",
    },
}
_DEFAULT_TOOLTIP = (
    "parcel_id",
    "name",
    "category",
    "package",
    "area_mu",
    "disposal_method",
    "disposal_date",
)


@dataclass
class _Classes:
    """How parcels fall into legend entries: a label and a colour per class, a class per row."""

    labels: list[str]
    colors: list[str]
    of_row: np.ndarray


def _lonlat(gdf: gpd.GeoDataFrame, gcj02: bool, decimals: int | None = None) -> np.ndarray:
    """Geometries in lon/lat (GCJ-02 for Gaode tiles).

    With ``decimals`` (for zone outlines): simplified below a metre, which no screen shows,
    and rounded, so the page stays small.
    """
    out = to_gcj02(gdf) if gcj02 else gdf.to_crs(4326)
    geoms = np.asarray(out.geometry.array)
    if decimals is None:
        return geoms
    geoms = shapely.simplify(geoms, 1e-5, preserve_topology=True)
    return np.asarray(shapely.transform(geoms, lambda xy: np.round(xy, decimals)))


def _to_lonlat(crs: Any, gcj02: bool) -> Callable[[np.ndarray], np.ndarray]:
    """Coordinates in ``crs`` to lon/lat (GCJ-02 for Gaode tiles), as :func:`_lonlat` does for
    geometries, in one call over an (n, 2) array."""
    import pyproj

    transformer = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)

    def convert(xy: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
        if gcj02:
            lon, lat = wgs84_to_gcj02(np.asarray(lon), np.asarray(lat))
        return np.column_stack([lon, lat])

    return convert


def _category_classes(parcels: gpd.GeoDataFrame, context: bool, lang: Lang, cmap: Any) -> _Classes:
    colors = {**CATEGORY_COLORS, **(cmap if isinstance(cmap, Mapping) else {})}
    present = [c for c in CATEGORIES if (parcels["category"] == c).any()]
    labels = [category_label(c, lang) for c in present]
    palette = [colors[c] for c in present]
    of_row = _relabel(parcels["category"], {c: i for i, c in enumerate(present)}.get).astype(float)
    if context and of_row.isna().any():
        labels.append(_WORDS[lang]["context"])
        palette.append(_CONTEXT_COLOR)
        of_row = of_row.fillna(len(present))
    return _Classes(labels, palette, of_row.fillna(-1).to_numpy(dtype=int))


def _column_classes(values: pd.Series, cmap: Any, scheme: str | None, k: int) -> _Classes:
    import branca.utilities
    import mapclassify

    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        valid = values.notna().to_numpy()
        if not valid.any():
            raise InputError(f"column {values.name!r} has no values to classify")
        classifier = mapclassify.classify(
            values[valid].to_numpy(dtype=float), scheme or "quantiles", k=k
        )
        bins = np.asarray(classifier.bins)
        lower = np.r_[values.min(), bins[:-1]]
        labels = [f"{lo:,.4g} – {hi:,.4g}" for lo, hi in zip(lower, bins, strict=True)]
        of_row = np.full(len(values), -1)
        of_row[valid] = classifier.yb
        name = cmap if isinstance(cmap, str) else "YlOrRd"
        colors = branca.utilities.color_brewer(name, n=max(len(bins), 3))
        return _Classes(labels, list(colors)[: len(bins)], of_row)
    codes, uniques = pd.factorize(values, sort=True)
    if len(uniques) > _MAX_CLASSES:
        raise InputError(
            f"column {values.name!r} has {len(uniques)} distinct values; a map legend reads "
            f"{_MAX_CLASSES} at most: pick another column or group the values first"
        )
    labels = [str(u) for u in uniques]
    if isinstance(cmap, Mapping):
        colors = [cmap.get(u, _CONTEXT_COLOR) for u in uniques]
    else:
        colors = list(_QUALITATIVE[: len(uniques)])
    return _Classes(labels, colors, codes)


def _styles(colors: list[str], style_kwds: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Two styles per class: pending (solid) and disposed (light, dashed); context muted."""
    out = []
    for color in colors:
        fill = 0.3 if color == _CONTEXT_COLOR else 0.7
        base = {
            "color": color,
            "weight": 1,
            "opacity": 0.9,
            "fillColor": color,
            "fillOpacity": fill,
        }
        out.append({**base, **style_kwds})
        out.append({**base, "fillOpacity": 0.2, "dashArray": "4 3", **style_kwds})
    return out


def _relabel(values: pd.Series, label: Callable[[Any], Any]) -> pd.Series:
    """``values.map(label)`` with missing values kept, calling ``label`` once per distinct value."""
    codes, uniques = pd.factorize(values)
    labels = np.asarray([label(u) for u in uniques] + [None], dtype=object)
    return pd.Series(labels[codes], index=values.index, dtype=object)


def _tooltips(rows: gpd.GeoDataFrame, tooltip: Any, lang: Lang) -> dict[str, list[str]]:
    if tooltip is False:
        return {}
    words = _WORDS[lang]
    explicit = tooltip is not None and tooltip is not True
    fields = tuple(tooltip) if explicit else _DEFAULT_TOOLTIP  # type: ignore[arg-type,unused-ignore]
    missing = [f for f in fields if f not in rows.columns]
    if explicit and missing:
        raise MissingColumnError(f"tooltip column(s) not found: {', '.join(missing)}")
    tips: dict[str, list[str]] = {}
    for field in fields:
        if field not in rows.columns:
            continue
        values = rows[field]
        if field == "category":
            values = _relabel(values, lambda c: category_label(c, lang))
        elif field == "disposal_method":
            values = _relabel(values, lambda m: method_label(m, lang))
        elif pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(values):
            values = values.round(2)
        tips[words.get(field, field)] = escape_text(values)
    return tips


def _legend(title: str, entries: list[tuple[str, str, str]]) -> str:
    """HTML of one legend block: (label, fill colour, extra CSS) per entry; text escaped."""
    rows = "".join(
        '<div style="margin:2px 0"><span style="display:inline-block;width:14px;height:14px;'
        f'margin-right:6px;vertical-align:middle;background:{color};border:1px solid #444;{extra}">'
        f"</span>{html.escape(label)}</div>"
        for label, color, extra in entries
    )
    return f'<div style="margin-bottom:6px"><b>{html.escape(title)}</b>{rows}</div>'


def _zone_rates(zones: gpd.GeoDataFrame, rates: pd.DataFrame, category: str) -> pd.DataFrame:
    if "category" not in rates.index.names or rates.index.nlevels != 2:
        raise InputError("rates must be a disposal_rates(..., by='zone') table (one area level)")
    if category not in rates.index.get_level_values("category"):  # no stock: no rate
        return pd.DataFrame({"rate": np.nan}, index=zones["name"].to_numpy())
    per_zone = pd.DataFrame(rates.xs(category, level="category"))
    return per_zone.reindex(zones["name"].to_numpy())


def _add_zones(
    m: folium.Map,
    zones: gpd.GeoDataFrame,
    geoms: np.ndarray,
    rates: pd.DataFrame | None,
    rate_category: str,
    rate_bins: Sequence[float],
    lang: Lang,
) -> str | None:
    """Zones as outlines, or as a rate choropleth; return the rate legend HTML if any."""
    words = _WORDS[lang]
    fill: list[str | None] = [None] * len(zones)
    tip = escape_text(zones["name"])
    legend = None
    if rates is not None:
        table = _zone_rates(zones, rates, rate_category)
        rate = table["rate"].to_numpy(dtype=float)
        bins = list(rate_bins)
        fill, colors = rate_fill(rate, bins)
        target = table["target"].to_numpy() if "target" in table else None
        shown = []
        for i, r in enumerate(rate):
            text = words["no_data"] if np.isnan(r) else f"{r:.1%}"
            if target is not None and not np.isnan(r):
                met = words["meets"] if r >= target[i] else words["misses"]
                text += f"（{words['target']} {target[i]:.0%}，{met}）"
            shown.append(f"{tip[i]}：{html.escape(text)}")
        tip = shown
        lower = [0.0, *bins[:-1]]
        entries = [
            (f"{lo:.0%} – {hi:.0%}", color, "")
            for lo, hi, color in zip(lower, bins, colors, strict=True)
        ]
        entries.append((words["no_data"], "#ffffff", ""))
        label = f"{words['rate']}（{category_label(rate_category, lang)}）"
        legend = _legend(label, entries)
    outline = {"color": "#333", "weight": 2, "fillOpacity": 0.0}
    styles = [None if f is None else {**outline, "fillColor": f, "fillOpacity": 0.55} for f in fill]
    layer = PolygonLayer(
        geoms,
        tips=tip,
        styles=styles,
        default_style=outline,
        name=words["zones"],
        labels=escape_text(zones["name"]),
        label_css="font:12px sans-serif;color:#222;white-space:nowrap;"
        "transform:translate(-50%,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff",
    )
    layer.add_to(m)
    return legend


def _add_renewal(
    m: folium.Map, renewal: gpd.GeoDataFrame, geoms: np.ndarray, lang: Lang, as_of: Any
) -> str | None:
    """Renewal zones outlined and labelled; filled by stage when they carry stage dates.

    Returns the stage legend HTML, if any."""
    import folium

    from landuse.renewal import STAGE_DATE_COLUMNS, renewal_stages

    words = _WORDS[lang]
    group = folium.FeatureGroup(name=words["renewal"])
    names = escape_text(renewal["name"])
    status = escape_text(renewal["status"]) if "status" in renewal.columns else [""] * len(names)
    tips = [f"{n}（{s}）" if s else n for n, s in zip(names, status, strict=True)]
    fills: list[str | None] = [None] * len(names)
    legend = None
    if any(c in renewal.columns for c in STAGE_DATE_COLUMNS):
        day = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
        stages = renewal_stages(renewal, as_of=day)
        tips = []
        for name, stage, days, overdue in zip(
            names, stages["stage"], stages["days_in_stage"], stages["overdue"], strict=True
        ):
            text = stage_label(stage, lang)
            if stage is not None and not pd.isna(days):
                text += f"，{int(days)} {words['days']}" if lang == "zh" else f", {int(days)} days"
            if overdue:
                text += f"，{words['overdue']}" if lang == "zh" else f", {words['overdue']}"
            tips.append(
                f"{name}：{html.escape(text)}" if lang == "zh" else f"{name}: {html.escape(text)}"
            )
        fills = [STAGE_COLORS.get(s) if s is not None else None for s in stages["stage"]]
        present = [s for s in STAGES if s in set(stages["stage"].dropna())]
        entries = [(stage_label(s, lang), STAGE_COLORS[s], "") for s in present]
        if stages["stage"].isna().any():
            entries.append((stage_label(None, lang), "#ffffff", ""))
        label = (
            f"{words['stage']}（{day:%Y-%m-%d}）"
            if lang == "zh"
            else f"{words['stage']} ({day:%Y-%m-%d})"
        )
        legend = _legend(label, entries)
    outline = {"color": RENEWAL_COLOR, "weight": 3, "fill": False, "dashArray": "8 5"}
    PolygonLayer(
        geoms,
        tips=tips,
        styles=[
            None if f is None else {**outline, "fill": True, "fillColor": f, "fillOpacity": 0.45}
            for f in fills
        ],
        default_style=outline,
        labels=names,
        label_css="font:bold 13px sans-serif;color:#4a2475;white-space:nowrap;"
        "transform:translate(-50%,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff",
    ).add_to(group)
    group.add_to(m)
    return legend


def _package_classes(values: pd.Series) -> _Classes:
    """One class per package; colours cycle so that neighbouring numbers differ."""
    codes, uniques = pd.factorize(values, sort=True)
    labels = [str(u) for u in uniques]
    colors = [_QUALITATIVE[i % (_MAX_CLASSES - 3)] for i in range(len(uniques))]
    return _Classes(labels, colors, codes)


def _add_package_labels(
    m: folium.Map, rows: gpd.GeoDataFrame, column: str, geoms: np.ndarray
) -> None:
    """The package number at the middle of each package."""
    points = shapely.get_coordinates(shapely.centroid(geoms))
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "p": rows[column].to_numpy()})
    centres = frame.groupby("p", sort=True)[["x", "y"]].mean()
    # the number at the centre of its parcels: a polygon-free label layer, text as data
    PointLabels(
        centres["y"].tolist(),
        centres["x"].tolist(),
        escape_text(list(centres.index)),
        css="font:bold 15px sans-serif;color:#111;background:rgba(255,255,255,.85);"
        "border:1px solid #333;border-radius:10px;padding:0 5px;white-space:nowrap;"
        "display:inline-block;transform:translate(-50%,-50%)",
    ).add_to(m)


def _make_offline(m: folium.Map) -> None:
    """Inline Leaflet (with its licence) and drop every other external script and stylesheet."""

    from landuse._assets import leaflet_css, leaflet_js, leaflet_license

    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    assert isinstance(figure, Figure)
    header = figure.header
    notice = leaflet_license().replace("--", "- -")
    header.add_child(
        RawElement(f"<!-- Leaflet 1.9.4 licence:\n{notice}\n-->"), name="leaflet_license"
    )
    header.add_child(RawElement(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    header.add_child(RawElement(f"<script>{leaflet_js()}</script>"), name="leaflet")


def _new_map() -> folium.Map:
    import folium

    from landuse._assets import LEAFLET_CDN

    # half zoom steps, so fitting the data fills the window (a whole step halves the map)
    m = folium.Map(tiles=None, control_scale=False, prefer_canvas=True, zoom_snap=0.5)
    ScaleBar().add_to(m)  # metres only
    # only Leaflet is needed: no jQuery, Bootstrap or icon fonts to fetch
    m.default_js = [("leaflet", LEAFLET_CDN["js"])]
    m.default_css = [("leaflet_css", LEAFLET_CDN["css"])]
    return m


def parcel_map(
    parcels: gpd.GeoDataFrame,
    *,
    zones: gpd.GeoDataFrame | None = None,
    renewal: gpd.GeoDataFrame | None = None,
    rates: pd.DataFrame | None = None,
    tiles: str | xyzservices.TileProvider | None = "osm",
    tk: str | None = None,
    offline: bool = False,
    m: folium.Map | None = None,
    column: str = "category",
    cmap: str | Mapping[str, str] | None = None,
    scheme: str | None = None,
    k: int = 5,
    tooltip: bool | Sequence[str] | None = None,
    style_kwds: Mapping[str, Any] | None = None,
    as_of: Any = None,
    context: bool = False,
    rate_category: str = "all",
    rate_bins: Sequence[float] = RATE_BINS,
    legend: bool = True,
    precision: int = 6,
    lang: Lang = "zh",
    grades: pd.DataFrame | None = None,
    parks: gpd.GeoDataFrame | None = None,
    park_bins: Sequence[float] = PARK_TAX_BINS,
    packages: bool = False,
    lod: bool | None = None,
) -> folium.Map:
    """A Folium map of parcels, zones (as a disposal-rate choropleth) and renewal zones.

    Parcels are packed compactly into the page and drawn on a canvas, so 100,000 parcels make
    a map of a few MB that draws in about a second, and a city's million parcels one of about
    25 MB; one layer per legend entry in the layer control. No parcel is drawn smaller than a
    few pixels, so small parcels show at the opening zoom.

    Parameters
    ----------
    parcels
        Parcels with ``category`` (rows without one are the context, drawn only with
        ``context=True``), or any column named by ``column``.
    zones
        Zones with ``name``; a choropleth of ``rates`` when given, else outlines.
    renewal
        Renewal zones (城市更新片区) with ``name`` (and ``status``), outlined and labelled;
        with stage dates (see :func:`landuse.renewal_progress`) filled by their stage as of
        ``as_of`` (default today), the stage and days in it in the tooltip.
    rates
        A :func:`landuse.disposal_rates` table ``by="zone"``; classes from mapclassify
        (``rate_bins``), rates shown in %, with the target when the table has one.
    tiles
        ``"osm"``; ``"tianditu"`` / ``"tianditu-satellite"`` (vector or imagery with annotation;
        need ``tk``); ``"gaode"`` / ``"gaode-satellite"`` (every layer is shifted to GCJ-02 to
        sit on the tiles); a URL template with ``{z}/{x}/{y}`` (an intranet tile server); an
        ``xyzservices.TileProvider``; or ``None``.
    tk
        Tianditu key (天地图开发者密钥).
    offline
        One self-contained HTML file: Leaflet inlined from the ``offline`` extra (with its
        licence), no other script or stylesheet; only tiles come from the network.
    m
        An existing ``folium.Map`` to draw on.
    column, cmap, scheme, k
        As in ``GeoDataFrame.explore``: colour by another column; ``cmap`` a ColorBrewer name
        for numbers or ``{value: colour}``; numbers are classed by mapclassify ``scheme``
        (default quantiles) into ``k`` classes.
    tooltip
        Columns shown on hover (default id, name, category, 亩, disposal method and date);
        ``False`` for none.
    style_kwds
        Leaflet path options applied to every parcel (``weight``, ``fillOpacity``, …).
    as_of
        Parcels disposed by this date (default: any recorded disposal) are drawn light and
        dashed.
    context
        Also draw the parcels without a category, in grey.
    rate_category, rate_bins
        Which category's rate colours the zones (default ``"all"``), and the class limits.
    legend
        Add the legend (Chinese by default).
    precision
        Decimal places of the coordinates (6 ≈ 0.1 m).
    lang
        ``"zh"`` or ``"en"`` for legend, layer names and tooltips.
    grades
        A :func:`landuse.per_mu` table: parcels are coloured by the grade (A–D) holding most of
        their enterprises' land (a tie goes to the worse grade), with the number of
        enterprises in the tooltip; parcels without enterprises are left out (grey with
        ``context=True``).
    parks
        Parks (区中园) with ``name``, outlined and labelled; with ``grades`` a choropleth of
        each park's 亩均税收 (:func:`landuse.per_mu_by`, classes ``park_bins`` in 万元/亩).
    packages
        Draw the survey work packages (column ``package`` from :func:`landuse.work_packages`):
        one colour per package, its number in the middle. ``column="package"`` does the same.
    lod
        Draw parcels with a level of detail by zoom (one canvas layer: small parcels as boxes
        of a few pixels, full outlines when zoomed in, only what is in view; hover through a
        grid index) instead of one Leaflet polygon each. Default: above 5,000 parcels.

    Returns
    -------
    folium.Map
        ``m.save("map.html")`` writes the page; in a notebook it displays inline.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> m = lu.parcel_map(lu.read_parcels(path), zones=lu.read_zones(path), tiles=None)
    >>> len(m.get_root().render()) < 200_000  # 645 stock parcels, zones and legend
    True
    """
    import folium

    if packages:
        column = "package"
    if lang not in _WORDS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    if k < 1:
        raise InputError(f"k is the number of classes, at least 1, not {k!r}")
    bins = np.asarray(rate_bins, dtype=float)
    if len(bins) == 0 or (np.diff(bins) <= 0).any() or bins[0] <= 0:
        raise InputError(f"rate_bins must be increasing upper bounds above 0, not {rate_bins!r}")
    if isinstance(tooltip, str):
        tooltip = [tooltip]  # one column, not its letters
    require_crs(parcels)
    if len(parcels) == 0 and zones is None and renewal is None:
        raise InputError("parcels is empty and no zones are given: nothing to map")
    if column not in parcels.columns:
        hint = "; derive it with lu.classify" if column == "category" else ""
        raise MissingColumnError(f"parcels need a {column!r} column{hint}")
    require_finite(parcels)
    for other, what in ((zones, "zones"), (renewal, "renewal"), (parks, "parks")):
        if other is not None:
            require_crs(other, what)
            require_finite(other, what)
            if "name" not in other.columns:
                raise MissingColumnError(f"{what} need a name column")

    if grades is not None:
        parcels, column, cmap, tooltip = _with_grades(parcels, grades, tooltip, lang, context)
    if m is None:
        m = _new_map()
    if offline:
        _make_offline(m)
    gcj02 = add_tiles(m, tiles, tk)
    words = _WORDS[lang]
    blocks: list[str] = []

    extents: list[np.ndarray] = []
    if zones is not None:
        zone_geoms = _lonlat(zones, gcj02, precision)
        extents.append(zone_geoms)
        rate_legend = _add_zones(m, zones, zone_geoms, rates, rate_category, rate_bins, lang)
        if rate_legend:
            blocks.append(rate_legend)

    if parks is not None:
        park_geoms = _lonlat(parks, gcj02, precision)
        extents.append(park_geoms)
        blocks.append(_add_parks(m, parks, park_geoms, parcels, grades, park_bins, lang))

    if column == "category" or len(parcels) == 0:
        classes = _category_classes(parcels, context, lang, cmap)
    elif column == "package":
        classes = _package_classes(parcels[column])
    else:
        classes = _column_classes(parcels[column], cmap, scheme, k)
    drawn = classes.of_row >= 0
    rows = parcels[drawn]
    if rows.empty and not extents and renewal is None:
        raise InputError(f"no parcel has a {column!r} to draw")
    if "area_mu" not in rows.columns and (tooltip is None or tooltip is True):
        from landuse.areas import add_areas

        rows = add_areas(rows)
    disposed = disposed_by(rows, as_of)

    present = np.unique(classes.of_row[drawn])
    if column == "package":  # one layer for all packages, not one per package
        groups = [folium.FeatureGroup(name=words["packages"])]
        group_of = np.zeros(int(drawn.sum()), dtype=int)
    else:
        groups = [folium.FeatureGroup(name=classes.labels[i]) for i in present]
        group_of = np.searchsorted(present, classes.of_row[drawn])
    for group in groups:
        group.add_to(m)
    style_of = 2 * classes.of_row[drawn] + disposed.to_numpy(dtype=int)
    parcels_layer = CompactPolygons(
        np.asarray(rows.geometry.array),
        groups=groups,
        group_of=group_of,
        style_of=style_of,
        styles=_styles(classes.colors, style_kwds or {}),
        tips=_tooltips(rows, tooltip, lang),
        precision=precision,
        lod=lod,
        to_lonlat=_to_lonlat(rows.crs, gcj02),
    )
    parcels_layer.add_to(m)
    if len(rows):
        extents.append(np.asarray([shapely.box(*parcels_layer.bounds)]))

    stage_legend = None
    if renewal is not None:
        renewal_geoms = _lonlat(renewal, gcj02, precision)
        extents.append(renewal_geoms)
        stage_legend = _add_renewal(m, renewal, renewal_geoms, lang, as_of)
    if column == "package":
        _add_package_labels(m, rows, column, _lonlat(rows, gcj02))

    if legend:
        title = (
            words["stock"]
            if column == "category"
            else words["grade"]
            if grades is not None
            else str(column)
        )
        entries = [(classes.labels[i], classes.colors[i], "") for i in present]
        if column == "package":
            title = words["packages"]
            entries = [
                (
                    f"{words['package']} {classes.labels[present[0]]}–{classes.labels[present[-1]]}"
                    f"（{len(present)}）",
                    classes.colors[0],
                    "",
                )
            ]
        if disposed.any():
            entries.append((words["disposed"], "rgba(120,120,120,.25)", "border-style:dashed"))
        blocks.insert(0, _legend(title, entries))
        if stage_legend:
            blocks.append(stage_legend)
        Legend("".join(blocks)).add_to(m)
    LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = shapely.total_bounds(np.concatenate(extents))
    # keep the data clear of the legend (bottom left) and the layer control (top right)
    FitView([[miny, minx], [maxy, maxx]], left=190 if legend else 20, right=170).add_to(m)
    return m


def _with_grades(
    parcels: gpd.GeoDataFrame, grades: pd.DataFrame, tooltip: Any, lang: Lang, context: bool
) -> tuple[gpd.GeoDataFrame, str, dict[str, str], Any]:
    """Parcels with a display ``grade`` column, its colours and the tooltip fields."""
    from landuse._permu import parcel_grade
    from landuse.vocab import grade_label

    if "parcel_id" not in parcels.columns:
        raise MissingColumnError("parcels need a parcel_id column to show grades")
    held = parcel_grade(grades, parcels["parcel_id"].astype(str))
    label = held["grade"].map(lambda g: grade_label(g, lang), na_action="ignore")
    words = _WORDS[lang]
    colors = {grade_label(g, lang): c for g, c in GRADE_COLORS.items()}
    if context:  # parcels without enterprises in grey
        label = label.fillna(words["no_firms"])
        colors[words["no_firms"]] = _CONTEXT_COLOR
    out = parcels.assign(**{words["grade"]: label, words["enterprises"]: held["enterprises"]})
    if tooltip is None or tooltip is True:
        tooltip = [
            c
            for c in ("parcel_id", "name", words["grade"], words["enterprises"], "park", "area_mu")
            if c in out.columns or c == "area_mu"
        ]
        if "area_mu" not in out.columns:
            from landuse.areas import add_areas

            out = add_areas(out)
    return out, words["grade"], colors, tooltip


def _add_parks(
    m: folium.Map,
    parks: gpd.GeoDataFrame,
    geoms: np.ndarray,
    parcels: gpd.GeoDataFrame,
    grades: pd.DataFrame | None,
    bins: Sequence[float],
    lang: Lang,
) -> str:
    """Parks outlined and labelled, or filled by their 亩均税收; return the legend HTML."""
    import folium

    words = _WORDS[lang]
    names = escape_text(parks["name"])
    fill: list[str | None] = [None] * len(parks)
    tips = list(names)
    entries: list[tuple[str, str, str]] = [(words["parks"], "#ffffff", "border:2px solid #54278f")]
    title = words["parks"]
    if grades is not None:
        from landuse.enterprises import per_mu_by

        by = "park" if "park" in parcels.columns else "_park"
        table = per_mu_by(grades, parcels, by=by, areas=parks)
        tax = table["tax_per_mu"].reindex(parks["name"].to_numpy()).to_numpy(dtype=float)
        edges = [float(b) for b in bins]
        colors = list(_PARK_COLORS[: len(edges) + 1])
        klass = np.searchsorted(edges, tax, side="right")
        for i, value in enumerate(tax):
            if not np.isnan(value):
                fill[i] = colors[min(int(klass[i]), len(colors) - 1)]
                count = table["enterprises"].reindex(parks["name"].to_numpy()).iloc[i]
                tips[i] = f"{names[i]}：{value:.1f}（{int(count)} {words['enterprises']}）"
        lower = [0.0, *edges]
        upper = [*edges, None]
        entries = [
            (f"{lo:g} – {hi:g}" if hi is not None else f"≥ {lo:g}", color, "")
            for lo, hi, color in zip(lower, upper, colors, strict=True)
        ]
        title = words["park_tax"]
    outline = {"color": "#54278f", "weight": 2.5, "fillOpacity": 0.0}
    group = folium.FeatureGroup(name=words["parks"])
    PolygonLayer(
        geoms,
        tips=tips,
        styles=[
            None if f is None else {**outline, "fillColor": f, "fillOpacity": 0.6} for f in fill
        ],
        default_style=outline,
        labels=names,
        label_css="font:bold 12px sans-serif;color:#3f007d;white-space:nowrap;"
        "transform:translate(-50%,-160%);text-shadow:0 0 3px #fff,0 0 3px #fff",
    ).add_to(group)
    group.add_to(m)
    return _legend(title, entries)
