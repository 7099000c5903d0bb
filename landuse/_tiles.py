"""Basemaps: OpenStreetMap, Tianditu (天地图), Gaode (高德, GCJ-02), intranet URLs, xyzservices."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

from landuse._errors import InputError
from landuse._webmap import TileLayer

if TYPE_CHECKING:
    import folium

__all__ = ["TILES", "add_tiles"]

TILES: dict[str, dict[str, Any]] = {
    "osm": {
        "layers": [("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "OpenStreetMap")],
        "attr": "&copy; OpenStreetMap contributors",
        "subdomains": "abc",
        "max_zoom": 19,
    },
    "tianditu": {
        "layers": [
            ("https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk={tk}", "天地图"),
            (
                "https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk={tk}",
                "天地图注记",
            ),
        ],
        "attr": "&copy; 天地图 Tianditu",
        "subdomains": "01234567",
        "max_zoom": 18,
        "needs_key": True,
    },
    "tianditu-satellite": {
        "layers": [
            (
                "https://t{s}.tianditu.gov.cn/DataServer?T=img_w&x={x}&y={y}&l={z}&tk={tk}",
                "天地图影像",
            ),
            (
                "https://t{s}.tianditu.gov.cn/DataServer?T=cia_w&x={x}&y={y}&l={z}&tk={tk}",
                "天地图注记",
            ),
        ],
        "attr": "&copy; 天地图 Tianditu",
        "subdomains": "01234567",
        "max_zoom": 18,
        "needs_key": True,
    },
    "gaode": {
        "layers": [
            (
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                "&x={x}&y={y}&z={z}",
                "高德地图",
            )
        ],
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
        "max_zoom": 18,
        "gcj02": True,
    },
    "gaode-satellite": {
        "layers": [
            ("https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}", "高德影像"),
            ("https://webst0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", "高德注记"),
        ],
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
        "max_zoom": 18,
        "gcj02": True,
    },
}


def add_tiles(m: folium.Map, tiles: Any, tk: str | None) -> bool:
    """Add the basemap to ``m``; return whether vector layers must be drawn in GCJ-02."""
    import xyzservices

    if tiles is None:
        return False
    if isinstance(tiles, xyzservices.TileProvider):
        TileLayer(
            tiles.build_url(),
            attribution=tiles.html_attribution,
            name=tiles.name,
            maxZoom=tiles.get("max_zoom", 19),
        ).add_to(m)
        return False
    if not isinstance(tiles, str):
        raise InputError(f"tiles must be a name, a URL template or a TileProvider, not {tiles!r}")
    if all(key in tiles for key in ("{z}", "{x}", "{y}")):
        TileLayer(tiles, attribution="custom tiles", name="basemap").add_to(m)
        return False
    if tiles not in TILES:
        raise InputError(
            f"unknown tiles {tiles!r}; use one of {', '.join(TILES)}, None, a URL template "
            "with {z}/{x}/{y}, or an xyzservices.TileProvider"
        )
    spec = TILES[tiles]
    if spec.get("needs_key") and not tk:
        raise InputError(f"tiles={tiles!r} needs a Tianditu key: pass tk=… (天地图开发者密钥)")
    for i, (url, name) in enumerate(spec["layers"]):
        TileLayer(
            url.replace("{tk}", urllib.parse.quote(tk or "", safe="")),
            attribution=spec["attr"],
            name=name,
            subdomains=spec["subdomains"],
            maxZoom=spec["max_zoom"],
            overlay=i > 0,
        ).add_to(m)
    return bool(spec.get("gcj02"))
