"""China's web-map coordinate systems: WGS84 ↔ GCJ-02 (Gaode/AMap, Tencent) ↔ BD-09 (Baidu).

GCJ-02 is WGS84 (≈ CGCS2000) shifted by an obfuscating offset of a few hundred metres inside
China; BD-09 adds Baidu's own offset on top. The forward formulas are the published ones; the
inverses iterate the forward transform until the round trip is below 1e-10° (≈ 1 cm is 1e-7°).
All functions take scalars or arrays and return ``(lon, lat)`` arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = [
    "bd09_to_gcj02",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "to_gcj02",
    "wgs84_to_gcj02",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30

Coords = tuple[np.ndarray, np.ndarray]


def in_china(lon: Any, lat: Any) -> np.ndarray:
    """Whether points fall in the bounding box where GCJ-02 applies (the published test)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    inside = (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)
    return np.asarray(inside, dtype=bool)


def _offset(lon: np.ndarray, lat: np.ndarray) -> Coords:
    x, y = lon - 105.0, lat - 35.0
    common = (20 * np.sin(6 * x * np.pi) + 20 * np.sin(2 * x * np.pi)) * 2 / 3
    dlat = (
        -100
        + 2 * x
        + 3 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + common
        + (20 * np.sin(y * np.pi) + 40 * np.sin(y / 3 * np.pi)) * 2 / 3
        + (160 * np.sin(y / 12 * np.pi) + 320 * np.sin(y * np.pi / 30)) * 2 / 3
    )
    dlon = (
        300
        + x
        + 2 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + common
        + (20 * np.sin(x * np.pi) + 40 * np.sin(x / 3 * np.pi)) * 2 / 3
        + (150 * np.sin(x / 12 * np.pi) + 300 * np.sin(x / 30 * np.pi)) * 2 / 3
    )
    radlat = lat / 180 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180 / (_A / sqrt_magic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: Any, lat: Any) -> Coords:
    """WGS84 (or CGCS2000) → GCJ-02; points outside China are returned unchanged.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(120.2, 35.95)  # Qingdao West Coast: ~460 m east
    >>> round(float(lon), 5), round(float(lat), 5)
    (120.20509, 35.95011)
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _offset(lon, lat)
    inside = in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def _invert(
    forward: Callable[[np.ndarray, np.ndarray], Coords], lon: Any, lat: Any, first_guess: Coords
) -> Coords:
    """Solve forward(x) = (lon, lat) by fixed-point iteration from ``first_guess``."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x, y = (np.array(v, dtype=float) for v in first_guess)
    for _ in range(_MAX_ITERATIONS):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if np.all(np.abs(ex) < _TOLERANCE_DEG) and np.all(np.abs(ey) < _TOLERANCE_DEG):
            break
    return x, y


def gcj02_to_wgs84(lon: Any, lat: Any) -> Coords:
    """GCJ-02 → WGS84, exact to well below 1 cm (iterative); outside China unchanged.

    Examples
    --------
    >>> lon, lat = gcj02_to_wgs84(*wgs84_to_gcj02(120.2, 35.95))
    >>> abs(float(lon) - 120.2) < 1e-9, abs(float(lat) - 35.95) < 1e-9
    (True, True)
    """
    return _invert(wgs84_to_gcj02, lon, lat, (lon, lat))


def gcj02_to_bd09(lon: Any, lat: Any) -> Coords:
    """GCJ-02 → BD-09 (Baidu). Applied everywhere, as Baidu does."""
    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: Any, lat: Any) -> Coords:
    """BD-09 → GCJ-02, iterating the forward transform to well below 1 cm.

    Examples
    --------
    >>> lon, lat = bd09_to_gcj02(*gcj02_to_bd09(120.2, 35.95))
    >>> abs(float(lon) - 120.2) < 1e-9, abs(float(lat) - 35.95) < 1e-9
    (True, True)
    """
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return _invert(gcj02_to_bd09, lon, lat, (z * np.cos(theta), z * np.sin(theta)))


def to_gcj02(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """A copy with every geometry shifted to GCJ-02 (any geometry type, holes kept).

    The result keeps ``EPSG:4326`` as its CRS label — GCJ-02 has no EPSG code — so it must
    only be drawn on GCJ-02 tiles (Gaode/AMap).
    """
    from landuse._validate import require_crs

    require_crs(gdf, "geometries")
    lonlat = gdf.to_crs(4326)

    def shift(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1]))

    shifted = shapely.transform(np.asarray(lonlat.geometry.array), shift)
    out = lonlat.copy()
    if isinstance(out, gpd.GeoDataFrame):
        out[out.geometry.name] = gpd.GeoSeries(shifted, index=out.index, crs=4326)
        return out
    return gpd.GeoSeries(shifted, index=out.index, crs=4326, name=out.name)
