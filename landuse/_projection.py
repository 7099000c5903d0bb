"""Gauss-Krüger zones and projected coordinates: the parts of measuring that reading shares.

The reader projects plain polygons into the zone :func:`landuse.add_areas` will measure them
in while it builds their shapely objects (PROJ releases the GIL; building does not), so this
lives below both: the zone rules (:func:`gk_zone_crs`, :func:`one_zone_crs`) and
:class:`Projection`, geometries projected once.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from landuse import _parallel
from landuse._errors import InputError
from landuse._rings import Rings

__all__ = [
    "Projection",
    "gk_zone",
    "gk_zone_crs",
    "in_china",
    "one_zone_crs",
    "shapely_areas",
    "to_lonlat",
]

# CGCS2000 3-degree Gauss-Krüger zones 25 (CM 75°E) … 45 (CM 135°E).
GK_FIRST_ZONE, GK_LAST_ZONE = 25, 45
GK_PREFIXED_FIRST, GK_PLAIN_FIRST = 4513, 4534
CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)


def gk_zone_crs(central_meridian: float) -> CRS:
    """CGCS2000 3-degree Gauss-Krüger CRS without zone prefix (EPSG:4534–4554).

    Examples
    --------
    >>> gk_zone_crs(120).to_epsg()
    4549
    """
    zone = round(central_meridian / 3)
    if not GK_FIRST_ZONE <= zone <= GK_LAST_ZONE:
        raise InputError(
            f"central meridian {central_meridian}° is outside China's GK zones 75–135°E"
        )
    return CRS.from_epsg(GK_PLAIN_FIRST + zone - GK_FIRST_ZONE)


def in_china(lon: Any, lat: Any) -> Any:
    return (
        (CHINA_LON[0] <= lon)
        & (lon <= CHINA_LON[1])
        & (CHINA_LAT[0] <= lat)
        & (lat <= CHINA_LAT[1])
    )


def gk_zone(lon: Any) -> Any:
    """The 3-degree zone holding a longitude: zone n covers [3n − 1.5°, 3n + 1.5°) (China's
    westernmost and easternmost slivers go to the nearest CGCS2000 zone, 25 or 45)."""
    with np.errstate(invalid="ignore"):
        zone = np.floor((np.asarray(lon, dtype=float) + 1.5) / 3)
    return np.clip(np.nan_to_num(zone, nan=0), GK_FIRST_ZONE, GK_LAST_ZONE).astype(np.int64)


def to_lonlat(crs: CRS) -> Transformer | None:
    if crs.is_geographic:
        return None
    return Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)


class Projection:
    """Geometries projected once into ``crs``: the plain polygons as projected
    :class:`~landuse._rings.Rings` (no shapely objects), the others (holes, multipolygons, z)
    as shapely geometries. Areas and bounds come from the coordinates; shapely objects are
    built only for the rows asked for.
    """

    def __init__(self, rings: Rings, others: np.ndarray, crs: CRS) -> None:
        self.rings = rings
        self.size = rings.size
        self.crs = crs
        self.other_rows = np.setdiff1d(np.arange(self.size), rings.rows, assume_unique=True)
        self.others = np.asarray(others, dtype=object)  # at other_rows
        self._all: np.ndarray | None = None
        self._areas: np.ndarray | None = None

    def areas(self) -> np.ndarray:
        """Area per geometry, as ``shapely.area`` gives it (bit for bit; kept)."""
        if self._areas is None:
            self._areas = np.empty(self.size, dtype=float)
            self._areas[self.rings.rows] = self.rings.areas()
            self._areas[self.other_rows] = shapely_areas(self.others)
        return self._areas.copy()

    def bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) per geometry, as ``shapely.bounds`` gives them."""
        out = np.empty((self.size, 4), dtype=float)
        out[self.rings.rows] = self.rings.bounds(keep=False)  # asked for once
        out[self.other_rows] = shapely.bounds(self.others).reshape(-1, 4)
        return out

    def geometries(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The shapely geometries at ``rows`` (all, kept once built, by default)."""
        if rows is None:
            if self._all is None:
                self._all = self.geometries(np.arange(self.size))
            return self._all
        rows = np.asarray(rows, dtype=np.intp)
        if self._all is not None:
            return np.asarray(self._all[rows])
        ring_of = np.full(self.size, -1, dtype=np.intp)
        ring_of[self.rings.rows] = np.arange(len(self.rings))
        out = np.empty(len(rows), dtype=object)
        plain = ring_of[rows] >= 0
        if plain.any():
            out[plain] = self.rings.take(ring_of[rows[plain]]).polygons()
        if not plain.all():
            other_of = np.full(self.size, -1, dtype=np.intp)
            other_of[self.other_rows] = np.arange(len(self.other_rows))
            out[~plain] = self.others[other_of[rows[~plain]]]
        return out


def shapely_areas(geoms: np.ndarray) -> np.ndarray:
    """``shapely.area`` in chunks on the thread pool (elementwise: the same floats)."""
    return np.asarray(_parallel.map_chunks(shapely.area, geoms), dtype=float)


def one_zone_crs(source: CRS, extent: np.ndarray) -> CRS | None:
    """The GK zone CRS of data in ``source`` whose ``extent`` (minx, miny, maxx, maxy) lies in
    China within one 3-degree zone; ``None`` otherwise (several zones, abroad, no extent).

    Examples
    --------
    >>> one_zone_crs(CRS.from_epsg(4490), np.array([120.1, 36.0, 120.4, 36.2])).to_epsg()
    4549
    >>> one_zone_crs(CRS.from_epsg(4490), np.array([118.0, 36.0, 120.4, 36.2])) is None  # 39, 40
    True
    """
    minx, miny, maxx, maxy = (float(v) for v in extent)
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return None
    lonlat = to_lonlat(source)
    if lonlat is not None:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            minx, miny, maxx, maxy = lonlat.transform_bounds(minx, miny, maxx, maxy)
    if (
        np.isfinite([minx, maxx]).all()
        and gk_zone(minx) == gk_zone(maxx)
        and in_china(minx, miny)
        and in_china(maxx, maxy)
    ):
        return gk_zone_crs(3 * int(gk_zone(minx)))
    return None
