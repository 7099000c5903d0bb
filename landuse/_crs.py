"""Finding the CRS of coordinates that arrive without one (or with a wrong one)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from landuse._errors import MissingCRSError, warn
from landuse._projection import gk_zone_crs
from landuse._validate import nonfinite_rows

__all__ = ["CRSGuessWarning", "fits", "guess_crs"]

_LON, _LAT = (73.0, 136.0), (3.0, 54.0)
_ZONES = range(25, 46)


class CRSGuessWarning(UserWarning):
    """A CRS was guessed from the coordinates, or axes were swapped: check it."""


def fits(crs: CRS, bounds: np.ndarray) -> bool:
    """Whether coordinates with these bounds can be in ``crs`` (inside its area of use)."""
    minx, miny, maxx, maxy = bounds
    if crs.is_geographic:
        return bool(minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90)
    area = crs.area_of_use
    if area is None:
        return True
    with np.errstate(all="ignore"):
        to_lonlat = Transformer.from_crs(crs, crs.geodetic_crs or 4326, always_xy=True)
        west, south, east, north = to_lonlat.transform_bounds(minx, miny, maxx, maxy)
    if not np.isfinite([west, south, east, north]).all():
        return False
    margin = 2.0  # degrees: GK zones are used a little beyond their nominal 3°
    return bool(
        west >= area.west - margin
        and east <= area.east + margin
        and south >= area.south - margin
        and north <= area.north + margin
    )


def _in(values: tuple[float, float], low: float, high: float) -> bool:
    return low <= values[0] and values[1] <= high


def _kind(x: tuple[float, float], y: tuple[float, float]) -> tuple[str, int] | None:
    """What x/y ranges look like: lon/lat, prefixed GK (with zone) or plain GK."""
    if _in(x, *_LON) and _in(y, *_LAT):
        return "lonlat", 0
    zones = {int(x[0] // 1e6), int(x[1] // 1e6)}
    if len(zones) == 1 and zones <= set(_ZONES) and _in(y, 2e5, 6.5e6):
        return "gk_prefixed", zones.pop()
    if _in(x, 1e5, 9e5) and _in(y, 2e5, 6.5e6):
        return "gk_plain", 0
    return None


def guess_crs(
    gdf: gpd.GeoDataFrame, *, central_meridian: float | None = None, source: str = "the data"
) -> gpd.GeoDataFrame:
    """Return ``gdf`` with a CRS guessed from its coordinates, axes swapped if they were.

    lon/lat in China → CGCS2000 (EPSG:4490); eastings carrying a zone prefix → the prefixed
    Gauss-Krüger zone (EPSG:4513–4533); eastings without prefix → the zone of
    ``central_meridian`` (EPSG:4534–4554), which must then be given. Every guess is announced
    with a :class:`CRSGuessWarning`.
    """
    geoms = np.asarray(gdf.geometry.array)
    # rows with NaN/inf coordinates say nothing about the CRS; validation rejects them by id
    minx, miny, maxx, maxy = shapely.total_bounds(geoms[~nonfinite_rows(geoms)])
    x, y = (minx, maxx), (miny, maxy)
    swapped = False
    kind = _kind(x, y)
    if kind is None:
        kind = _kind(y, x)
        swapped = kind is not None
    if kind is None:
        raise MissingCRSError(
            f"{source} has no usable CRS and its coordinates (x {minx:,.6g}–{maxx:,.6g}, "
            f"y {miny:,.6g}–{maxy:,.6g}) are neither lon/lat in China nor Gauss-Krüger metres; "
            "pass crs="
        )
    name, zone = kind
    if name == "lonlat":
        crs, why = CRS.from_epsg(4490), "lon/lat in China: CGCS2000 (EPSG:4490)"
    elif name == "gk_prefixed":
        crs = CRS.from_epsg(4513 + zone - 25)
        why = f"eastings carry zone prefix {zone}: CGCS2000 GK zone {zone} (EPSG:{crs.to_epsg()})"
    elif central_meridian is None:
        raise MissingCRSError(
            f"{source} looks like Gauss-Krüger metres without a zone prefix (x ≈ "
            f"{(minx + maxx) / 2:,.0f}); its zone cannot be told from the coordinates: pass "
            "crs='EPSG:45xx' or central_meridian= (e.g. 120 for Qingdao, EPSG:4549)"
        )
    else:
        crs = gk_zone_crs(central_meridian)
        why = f"Gauss-Krüger metres, central meridian {central_meridian}°E (EPSG:{crs.to_epsg()})"
    out = gdf
    if swapped:
        swap = shapely.transform(np.asarray(gdf.geometry.array), lambda xy: xy[:, ::-1])
        out = gdf.set_geometry(gpd.GeoSeries(swap, index=gdf.index), crs=None)
        why = "x and y were swapped (fixed); " + why
    warn(f"{source}: CRS guessed from the coordinates — {why}", CRSGuessWarning)
    return out.set_crs(crs, allow_override=True)
