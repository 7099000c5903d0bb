"""Interactive maps: parcels by category, disposal-rate choropleths and renewal zones.

folium is imported inside the functions, so ``import landuse`` stays light.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from landuse._errors import InputError, MissingColumnError
from landuse._style import (
    CATEGORY_COLORS,
    RATE_BINS,
    RATE_COLORS,
    RENEWAL_COLOR,
    STAGE_COLORS,
    rate_colors,
)
from landuse._tiles import add_tiles
from landuse._validate import require_crs
from landuse._webmap import CompactPolygons, RawElement, escape_text
from landuse.coords import to_gcj02
from landuse.stats import disposed_by, method_label
from landuse.vocab import CATEGORIES, STAGES, Lang, category_label, stage_label

if TYPE_CHECKING:
    import folium
    import xyzservices

__all__ = ["CATEGORY_COLORS", "RATE_BINS", "RATE_COLORS", "parcel_map"]

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
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


def _category_classes(parcels: gpd.GeoDataFrame, context: bool, lang: Lang, cmap: Any) -> _Classes:
    colors = {**CATEGORY_COLORS, **(cmap if isinstance(cmap, Mapping) else {})}
    present = [c for c in CATEGORIES if (parcels["category"] == c).any()]
    labels = [category_label(c, lang) for c in present]
    palette = [colors[c] for c in present]
    of_row = parcels["category"].map({c: i for i, c in enumerate(present)})
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
            values = values.map(lambda c: category_label(c, lang), na_action="ignore")
        elif field == "disposal_method":
            values = values.map(lambda m: method_label(m, lang), na_action="ignore")
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


class _Legend(MacroElement):
    """A legend as a Leaflet control, so it stacks with the scale bar instead of covering it."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "landuse-legend");
    div.innerHTML = {{ this.html_json }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, blocks: list[str]) -> None:
        super().__init__()
        self._name = "Legend"
        # json.dumps keeps quotes safe; "</" is split so the HTML cannot end the script
        self.html_json = json.dumps("".join(blocks)).replace("</", "<\\/")

    def render(self, **kwargs: Any) -> Any:
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.header.add_child(
                Element(f"<style>{_LEGEND_CSS}</style>"), name="landuse_legend_css"
            )
        return super().render(**kwargs)


_LEGEND_CSS = """
.landuse-legend { background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 4px;
  font: 13px/1.3 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 260px; }
.landuse-legend b { display: block; margin-bottom: 3px; }
"""


def _zone_rates(zones: gpd.GeoDataFrame, rates: pd.DataFrame, category: str) -> pd.DataFrame:
    if "category" not in rates.index.names or rates.index.nlevels != 2:
        raise InputError("rates must be a disposal_rates(..., by='zone') table (one area level)")
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
    import folium
    import mapclassify

    words = _WORDS[lang]
    fill: list[str | None] = [None] * len(zones)
    tip = escape_text(zones["name"])
    legend = None
    if rates is not None:
        table = _zone_rates(zones, rates, rate_category)
        rate = table["rate"].to_numpy(dtype=float)
        bins = list(rate_bins)
        colors = rate_colors(len(bins))
        valid = ~np.isnan(rate)
        if valid.any():
            classes = mapclassify.UserDefined(rate[valid], bins=bins)
            for row, klass in zip(np.flatnonzero(valid), classes.yb, strict=True):
                fill[row] = colors[klass]
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
    features = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(g),
            "properties": {"tip": t, "fill": f},
        }
        for g, t, f in zip(geoms, tip, fill, strict=True)
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=words["zones"],
        style_function=lambda f: {
            "color": "#333",
            "weight": 2,
            "fillColor": f["properties"]["fill"] or "#ffffff",
            "fillOpacity": 0.55 if f["properties"]["fill"] else 0.0,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)
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
    features = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(g),
            "properties": {"tip": t, "fill": f},
        }
        for g, t, f in zip(geoms, tips, fills, strict=True)
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {
            "color": RENEWAL_COLOR,
            "weight": 3,
            "fill": bool(f["properties"]["fill"]),
            "fillColor": f["properties"]["fill"] or RENEWAL_COLOR,
            "fillOpacity": 0.45,
            "dashArray": "8 5",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(group)
    points = shapely.point_on_surface(geoms)
    for name, point in zip(names, points, strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                icon_size=(0, 0),
                html='<div class="landuse-label" style="font:bold 13px sans-serif;color:#4a2475;'
                "white-space:nowrap;transform:translate(-50%,-50%);"
                f'text-shadow:0 0 3px #fff,0 0 3px #fff">{name}</div>',
            ),
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
    import folium

    points = shapely.get_coordinates(shapely.centroid(geoms))
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "p": rows[column].to_numpy()})
    for package, at in frame.groupby("p", sort=True):
        x, y = float(at["x"].mean()), float(at["y"].mean())
        label = escape_text([package])[0]
        folium.Marker(
            [y, x],
            icon=folium.DivIcon(
                icon_size=(0, 0),
                class_name="landuse-package-icon",
                html='<div class="landuse-package" style="font:bold 15px sans-serif;color:#111;'
                "background:rgba(255,255,255,.85);border:1px solid #333;border-radius:10px;"
                "padding:0 5px;white-space:nowrap;display:inline-block;transform:translate(-50%,-50%)"
                f'">{label}</div>',
            ),
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

    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
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
    packages: bool = False,
) -> folium.Map:
    """A Folium map of parcels, zones (as a disposal-rate choropleth) and renewal zones.

    Parcels are packed compactly into the page and drawn on a canvas, so 100,000 parcels make
    a map of a few MB that draws in seconds; one layer per legend entry in the layer control.

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
    packages
        Draw the survey work packages (column ``package`` from :func:`landuse.work_packages`):
        one colour per package, its number in the middle. ``column="package"`` does the same.

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
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    require_crs(parcels)
    if len(parcels) == 0:
        raise InputError("parcels is empty: nothing to map")
    if column not in parcels.columns:
        hint = "; derive it with lu.classify" if column == "category" else ""
        raise MissingColumnError(f"parcels need a {column!r} column{hint}")
    for other, what in ((zones, "zones"), (renewal, "renewal")):
        if other is not None:
            require_crs(other, what)
            if "name" not in other.columns:
                raise MissingColumnError(f"{what} need a name column")

    if m is None:
        m = _new_map()
    if offline:
        _make_offline(m)
    gcj02 = add_tiles(m, tiles, tk)
    words = _WORDS[lang]
    blocks: list[str] = []

    if zones is not None:
        rate_legend = _add_zones(
            m, zones, _lonlat(zones, gcj02, precision), rates, rate_category, rate_bins, lang
        )
        if rate_legend:
            blocks.append(rate_legend)

    if column == "category":
        classes = _category_classes(parcels, context, lang, cmap)
    elif column == "package":
        classes = _package_classes(parcels[column])
    else:
        classes = _column_classes(parcels[column], cmap, scheme, k)
    drawn = classes.of_row >= 0
    rows = parcels[drawn]
    if rows.empty:
        raise InputError(f"no parcel has a {column!r} to draw")
    if "area_mu" not in rows.columns and (tooltip is None or tooltip is True):
        from landuse.areas import add_areas

        rows = add_areas(rows)
    disposed = disposed_by(rows, as_of)

    present = np.unique(classes.of_row[drawn])
    if column == "package":  # one layer for all packages, not one per package
        groups = [folium.FeatureGroup(name=html.escape(words["packages"]))]
        group_of = np.zeros(int(drawn.sum()), dtype=int)
    else:
        groups = [folium.FeatureGroup(name=html.escape(classes.labels[i])) for i in present]
        group_of = np.searchsorted(present, classes.of_row[drawn])
    for group in groups:
        group.add_to(m)
    style_of = 2 * classes.of_row[drawn] + disposed.to_numpy(dtype=int)
    geoms = _lonlat(rows, gcj02)
    CompactPolygons(
        geoms,
        groups=groups,
        group_of=group_of,
        style_of=style_of,
        styles=_styles(classes.colors, style_kwds or {}),
        tips=_tooltips(rows, tooltip, lang),
        precision=precision,
    ).add_to(m)

    stage_legend = None
    if renewal is not None:
        stage_legend = _add_renewal(m, renewal, _lonlat(renewal, gcj02, precision), lang, as_of)
    if column == "package":
        _add_package_labels(m, rows, column, geoms)

    if legend:
        title = words["stock"] if column == "category" else str(column)
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
        _Legend(blocks).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m
