"""Areas measured in the right projected CRS: m², 亩 (mu) and 公顷 (ha)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from landuse import _dask
from landuse._cache import fingerprint, lookup, remember
from landuse._errors import InputError
from landuse._validate import require_crs, validate_polygons
from landuse.vocab import M2_PER_MU

__all__ = ["AREA_COLUMNS", "add_areas", "area_crs", "gk_zone_crs", "project", "project_cached"]

AREA_COLUMNS = ("area_m2", "area_mu", "area_ha")

# CGCS2000 3-degree Gauss-Krüger zones 25 (CM 75°E) … 45 (CM 135°E).
_GK_FIRST_ZONE, _GK_LAST_ZONE = 25, 45
_GK_PREFIXED_FIRST, _GK_PLAIN_FIRST = 4513, 4534
_CHINA_LON, _CHINA_LAT = (73.0, 136.0), (3.0, 54.0)


def gk_zone_crs(central_meridian: float) -> CRS:
    """CGCS2000 3-degree Gauss-Krüger CRS without zone prefix (EPSG:4534–4554).

    Examples
    --------
    >>> gk_zone_crs(120).to_epsg()
    4549
    """
    zone = round(central_meridian / 3)
    if not _GK_FIRST_ZONE <= zone <= _GK_LAST_ZONE:
        raise InputError(
            f"central meridian {central_meridian}° is outside China's GK zones 75–135°E"
        )
    return CRS.from_epsg(_GK_PLAIN_FIRST + zone - _GK_FIRST_ZONE)


def area_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """The projected CRS in which :func:`add_areas` measures.

    For data in China: the CGCS2000 3-degree Gauss-Krüger zone without prefix
    (EPSG:4534–4554) whose central meridian is nearest the centre of the data. Data already in
    one of these zones keep it; data in a prefixed zone (EPSG:4513–4533) get the same zone
    without prefix. Elsewhere: the UTM zone of the centre of the data.

    Inside a 3-degree zone the Gauss-Krüger scale error stays below 0.03 % in area at Qingdao's
    latitude; for data spanning several zones pass an equal-area ``crs=`` to :func:`add_areas`.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> lu.area_crs(parcels).to_epsg()
    4549
    """
    require_crs(gdf, "geometries")
    crs = CRS.from_user_input(gdf.crs)
    epsg = crs.to_epsg()
    if epsg is not None and _GK_PLAIN_FIRST <= epsg <= _GK_PLAIN_FIRST + 20:
        return crs
    if epsg is not None and _GK_PREFIXED_FIRST <= epsg <= _GK_PREFIXED_FIRST + 20:
        return CRS.from_epsg(epsg - _GK_PREFIXED_FIRST + _GK_PLAIN_FIRST)
    if len(gdf) == 0:
        raise InputError("cannot choose an area CRS for an empty GeoDataFrame")
    lon, lat = _centre_lonlat(gdf, crs)
    if _CHINA_LON[0] <= lon <= _CHINA_LON[1] and _CHINA_LAT[0] <= lat <= _CHINA_LAT[1]:
        return gk_zone_crs(lon)
    utm = query_utm_crs_info(
        datum_name="WGS 84", area_of_interest=AreaOfInterest(lon, lat, lon, lat)
    )
    return CRS.from_epsg(int(utm[0].code))


def _centre_lonlat(gdf: gpd.GeoDataFrame | gpd.GeoSeries, crs: CRS) -> tuple[float, float]:
    minx, miny, maxx, maxy = gdf.total_bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        raise InputError("geometries have no finite coordinates")
    if not crs.is_geographic:
        to_lonlat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
        minx, miny, maxx, maxy = to_lonlat.transform_bounds(minx, miny, maxx, maxy)
    return (minx + maxx) / 2, (miny + maxy) / 2


def project(geoms: np.ndarray, source: Any, target: Any) -> np.ndarray:
    """Transform an array of shapely geometries between CRSs on the raw coordinate array.

    Faster than ``GeoSeries.to_crs`` (one vectorised PROJ call per array) and never changes
    the input.
    """
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    if source.equals(target):
        return geoms
    transformer = Transformer.from_crs(source, target, always_xy=True)
    finite = [True]

    def transform_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = transformer.transform(x, y)
        finite[0] = bool(np.isfinite(x).all() and np.isfinite(y).all())
        return x, y

    projected = shapely.transform(geoms, transform_xy, interleaved=False)
    if not finite[0]:
        raise InputError(
            f"coordinates fall outside the area of use of {target.name}; "
            f"check that the source CRS {source.name} is right"
        )
    return projected


def project_cached(geoms: np.ndarray, source: Any, target: Any) -> np.ndarray:
    """:func:`project`, remembered for the same geometries (see ``landuse._cache``)."""
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    key, kind = fingerprint(geoms), f"projected {source.to_wkt()} -> {target.to_wkt()}"
    cached = lookup(key, kind)
    if cached is None:
        cached = project(geoms, source, target)
        remember(geoms, key, kind, cached)
    return cached


def _area_m2(geoms: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    return shapely.area(project_cached(geoms, source, target))


def area_columns(area_m2: np.ndarray) -> dict[str, np.ndarray]:
    """``area_m2``, ``area_mu`` (= m² × 15/10000) and ``area_ha`` from square metres."""
    return {"area_m2": area_m2, "area_mu": area_m2 / M2_PER_MU, "area_ha": area_m2 / 10_000}


def add_areas(gdf: gpd.GeoDataFrame, *, crs: Any = None) -> gpd.GeoDataFrame:
    """Return a copy with ``area_m2``, ``area_mu`` and ``area_ha``.

    Parameters
    ----------
    gdf
        Polygons with a CRS. Geometries stay in their CRS; only the measurement is projected.
    crs
        Projected CRS to measure in; default :func:`area_crs` of ``gdf``. A geographic CRS is
        refused: areas are never measured in degrees.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.add_areas(lu.read_parcels(lu.datasets.get_path("west_coast")))
    >>> row = parcels.iloc[0]
    >>> float(row.area_mu / row.area_m2 * 10_000), float(row.area_ha * 15 / row.area_mu)
    (15.0, 1.0)
    """
    if _dask.is_dask(gdf):
        return _dask.add_areas(gdf, crs=crs)
    id_column = "parcel_id" if "parcel_id" in gdf.columns else None
    out = validate_polygons(gdf, what="geometries", id_column=id_column)
    if len(out) == 0:  # empty in, empty out
        return out.assign(**area_columns(np.zeros(0)))
    target = area_crs(out) if crs is None else CRS.from_user_input(crs)
    if not target.is_projected:
        raise InputError(f"areas must be measured in a projected CRS, not {target.name}")
    area = _area_m2(np.asarray(out.geometry.array), CRS.from_user_input(out.crs), target)
    return out.assign(**area_columns(area))
