"""Folium maps of parcels, disposal-rate choropleths and renewal zones.

folium is imported inside the functions, so ``import landuse`` stays light.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from landuse._errors import InputError
from landuse._validate import as_date, require_crs
from landuse.coords import to_gcj02
from landuse.stats import method_label
from landuse.vocab import CATEGORIES, Lang, category_label

if TYPE_CHECKING:
    import folium
    import xyzservices

__all__ = ["CATEGORY_COLORS", "parcel_map"]

#: Colour-blind-safe colours (Okabe–Ito) per category.
CATEGORY_COLORS = {
    "approved_unsupplied": "#E69F00",
    "supplied_unused": "#D55E00",
    "low_efficiency": "#0072B2",
}
_RATE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
_RATE_COLORS = ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
_COORD_DECIMALS = 6  # ≈ 0.1 m at Qingdao's latitude

_TILES: dict[str, dict[str, Any]] = {
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": "&copy; OpenStreetMap contributors",
    },
    "gaode": {
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
    },
    "gaode-satellite": {
        "url": "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
    },
    "tianditu": {
        "url": "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk={tk}",
        "overlay": "https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk={tk}",
        "attr": "&copy; 天地图 Tianditu",
        "subdomains": "01234567",
    },
}


def _lonlat(gdf: gpd.GeoDataFrame, gcj02: bool) -> gpd.GeoDataFrame:
    out = to_gcj02(gdf) if gcj02 else gdf.to_crs(4326)
    rounded = shapely.transform(
        np.asarray(out.geometry.array), lambda xy: np.round(xy, _COORD_DECIMALS)
    )
    return out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs=out.crs))


def _text(values: pd.Series) -> list[str]:
    """Escape user text that will reach the page as HTML."""
    return ["" if pd.isna(v) else html.escape(str(v)) for v in values]


def _feature_collection(geoms: np.ndarray, properties: pd.DataFrame) -> dict[str, Any]:
    geometries = shapely.to_geojson(geoms)
    records = properties.to_dict(orient="records")
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(g), "properties": p}
            for g, p in zip(geometries, records, strict=True)
        ],
    }


def _add_tiles(m: folium.Map, tiles: Any, tk: str | None) -> bool:
    """Add the basemap; return whether vector layers must be drawn in GCJ-02."""
    import folium
    import xyzservices

    if tiles is None:
        return False
    if isinstance(tiles, xyzservices.TileProvider):
        folium.TileLayer(
            tiles=tiles.build_url(),
            attr=tiles.html_attribution,
            name=tiles.name,
            max_zoom=tiles.get("max_zoom", 19),
        ).add_to(m)
        return False
    if not isinstance(tiles, str):
        raise InputError(f"tiles must be a name, a URL template or a TileProvider, not {tiles!r}")
    if "{z}" in tiles and "{x}" in tiles:
        folium.TileLayer(tiles=tiles, attr="custom tiles", name="basemap").add_to(m)
        return False
    if tiles not in _TILES:
        raise InputError(
            f"unknown tiles {tiles!r}; use one of {', '.join(_TILES)}, None, a URL template "
            "with {z}/{x}/{y}, or an xyzservices.TileProvider"
        )
    spec = _TILES[tiles]
    if tiles == "tianditu":
        if not tk:
            raise InputError("tiles='tianditu' needs a Tianditu key: pass tk=… (天地图开发者密钥)")
        for url, name in ((spec["url"], "天地图"), (spec["overlay"], "天地图注记")):
            folium.TileLayer(
                tiles=url.replace("{tk}", html.escape(tk)),
                attr=spec["attr"],
                name=name,
                subdomains=spec["subdomains"],
                overlay=url != spec["url"],
                max_zoom=18,
            ).add_to(m)
        return False
    folium.TileLayer(
        tiles=spec["url"],
        attr=spec["attr"],
        name=tiles,
        subdomains=spec.get("subdomains", "abc"),
        max_zoom=18,
    ).add_to(m)
    return tiles.startswith("gaode")


def _legend_html(title: str, items: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'background:{color};vertical-align:middle;border:1px solid #333"></span>'
        f"{html.escape(label)}</div>"
        for label, color in items
    )
    return (
        '<div class="landuse-legend" style="position:absolute;bottom:24px;left:12px;z-index:9999;'
        "background:rgba(255,255,255,.92);padding:8px 10px;border-radius:4px;font:13px sans-serif;"
        f'box-shadow:0 1px 4px rgba(0,0,0,.3)"><b>{html.escape(title)}</b>{rows}</div>'
    )


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
    as_of: Any = None,
    rate_category: str = "all",
    lang: Lang = "zh",
) -> folium.Map:
    """A Folium map of parcels by category, zones (optionally as a rate choropleth) and renewal zones.

    Parameters
    ----------
    parcels
        Parcels with ``category`` (rows without one are not drawn: they are not in the stock).
    zones
        Zones with ``name``; drawn as a choropleth of ``rates`` when given.
    renewal
        Renewal zones (城市更新片区) with ``name``, outlined and labelled.
    rates
        A :func:`landuse.disposal_rates` table ``by="zone"``.
    tiles
        ``"osm"``, ``"tianditu"`` (needs ``tk``), ``"gaode"`` / ``"gaode-satellite"`` (every layer
        is shifted to GCJ-02 to sit on the tiles), a URL template, an
        ``xyzservices.TileProvider``, or ``None``.
    offline
        Self-contained HTML with Leaflet inlined — not available yet (raises).
    m
        Existing map to draw on.
    as_of
        Parcels disposed by this date are drawn lighter and dashed.
    rate_category
        Which category's rate colours the zones (default ``"all"``).
    lang
        Legend and tooltip language.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> m = lu.parcel_map(lu.read_parcels(path), zones=lu.read_zones(path), tiles=None)
    >>> "批而未供" in m.get_root().render()
    True
    """
    import folium

    if offline:
        raise NotImplementedError("offline=True maps are not available yet")
    require_crs(parcels)
    if len(parcels) == 0:
        raise InputError("parcels is empty: nothing to map")
    if "category" not in parcels.columns:
        raise InputError("parcels need a category column; derive it with lu.classify")

    if m is None:
        m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    gcj02 = _add_tiles(m, tiles, tk)
    drawn = _lonlat(parcels[parcels["category"].notna()], gcj02)

    if zones is not None:
        _add_zones(m, _lonlat(zones, gcj02), rates, rate_category, lang)
    day = as_date(as_of) if as_of is not None else None
    labels = {
        "zh": ("编号", "名称", "类别", "面积（亩）", "处置方式", "处置时间"),
        "en": ("Parcel", "Name", "Category", "Area (mu)", "Disposal", "Disposal date"),
    }[lang]
    area = drawn["area_mu"] if "area_mu" in drawn.columns else _area_mu(drawn, parcels)
    for category in CATEGORIES:
        rows = drawn[drawn["category"] == category]
        if rows.empty:
            continue
        methods = rows.get("disposal_method", pd.Series(None, index=rows.index))
        dates = pd.to_datetime(rows.get("disposal_date", pd.Series(pd.NaT, index=rows.index)))
        disposed = methods.notna() & (dates <= day if day is not None else dates.notna())
        props = pd.DataFrame(
            {
                "id": _text(rows["parcel_id"]),
                "name": _text(rows["name"]) if "name" in rows.columns else "",
                "category": category_label(category, lang),
                "area": area.loc[rows.index].round(1).astype(str).tolist(),
                "method": _text(methods.map(lambda v: method_label(v, lang), na_action="ignore")),
                "date": [d.strftime("%Y-%m-%d") if pd.notna(d) else "" for d in dates],
                "disposed": disposed.to_numpy(),
            }
        )
        color = CATEGORY_COLORS[category]
        folium.GeoJson(
            _feature_collection(np.asarray(rows.geometry.array), props),
            name=category_label(category, lang),
            style_function=lambda f, color=color: {
                "color": color,
                "weight": 1,
                "fillColor": color,
                "fillOpacity": 0.25 if f["properties"]["disposed"] else 0.7,
                "dashArray": "4 3" if f["properties"]["disposed"] else None,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["id", "name", "category", "area", "method", "date"], aliases=list(labels)
            ),
        ).add_to(m)

    if renewal is not None:
        _add_renewal(m, _lonlat(renewal, gcj02), lang)

    title = "存量土地" if lang == "zh" else "Stock land"
    items = [(category_label(c, lang), CATEGORY_COLORS[c]) for c in CATEGORIES]
    items.append(("已处置（浅色虚线）" if lang == "zh" else "Disposed (light, dashed)", "#dddddd"))
    m.get_root().html.add_child(folium.Element(_legend_html(title, items)))  # type: ignore[attr-defined]
    folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = (
        drawn.total_bounds if len(drawn) else _lonlat(parcels, gcj02).total_bounds
    )
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def _area_mu(drawn: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame) -> pd.Series:
    from landuse.areas import add_areas

    return add_areas(parcels.loc[drawn.index])["area_mu"]


def _add_zones(
    m: folium.Map,
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame | None,
    rate_category: str,
    lang: Lang,
) -> None:
    import branca.colormap
    import folium

    rate = pd.Series(np.nan, index=zones.index)
    if rates is not None:
        if "category" not in rates.index.names or rates.index.nlevels != 2:
            raise InputError("rates must be a disposal_rates(..., by='zone') table")
        per_zone = rates.xs(rate_category, level="category")["rate"]
        rate = zones["name"].map(per_zone)
    colormap = branca.colormap.StepColormap(
        list(_RATE_COLORS),
        index=list(_RATE_BINS),
        vmin=0,
        vmax=1,
        caption=("处置率" if lang == "zh" else "Disposal rate")
        + (f"（{category_label(rate_category, lang)}）" if rates is not None else ""),
    )
    shown = ["" if pd.isna(r) else f"{r:.1%}" for r in rate]
    props = pd.DataFrame(
        {
            "name": _text(zones["name"]),
            "rate": shown,
            "fill": [None if pd.isna(r) else colormap(r) for r in rate],
        }
    )
    folium.GeoJson(
        _feature_collection(np.asarray(zones.geometry.array), props),
        name="片区" if lang == "zh" else "Zones",
        style_function=lambda f: {
            "color": "#444",
            "weight": 2,
            "fillColor": f["properties"]["fill"] or "#ffffff",
            "fillOpacity": 0.35 if f["properties"]["fill"] else 0.0,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "rate"],
            aliases=["片区", "处置率"] if lang == "zh" else ["Zone", "Rate"],
        ),
    ).add_to(m)
    if rates is not None:
        colormap.add_to(m)


def _add_renewal(m: folium.Map, renewal: gpd.GeoDataFrame, lang: Lang) -> None:
    import folium

    group = folium.FeatureGroup(name="城市更新片区" if lang == "zh" else "Renewal zones")
    props = pd.DataFrame({"name": _text(renewal["name"])})
    folium.GeoJson(
        _feature_collection(np.asarray(renewal.geometry.array), props),
        style_function=lambda f: {
            "color": "#6a3d9a",
            "weight": 3,
            "fill": False,
            "dashArray": "8 4",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    for name, point in zip(props["name"], renewal.geometry.representative_point(), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div style="font:bold 12px sans-serif;color:#6a3d9a;'
                f'white-space:nowrap;text-shadow:0 0 3px #fff">{name}</div>'
            ),
        ).add_to(group)
    group.add_to(m)
