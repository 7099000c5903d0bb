"""Areas measured in the right projected CRS: m², 亩 (mu) and 公顷 (ha)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from landuse import _parallel
from landuse._errors import GeometryError, InputError
from landuse._progress import stages
from landuse._projection import (
    Projection,
    gk_zone,
    gk_zone_crs,
    in_china,
    one_zone_crs,
    to_lonlat,
)
from landuse._rings import Rings, plain_polygons
from landuse._rings import extent as ring_extent
from landuse._validate import Validated, fresh_mark, require_crs, validate_polygons, validated
from landuse.vocab import M2_PER_MU

__all__ = [
    "AREA_COLUMNS",
    "Projection",
    "add_areas",
    "area_crs",
    "gk_zone_crs",
    "measure_m2",
    "project",
    "projected",
    "projection_of",
    "zone_crs_codes",
]

AREA_COLUMNS = ("area_m2", "area_mu", "area_ha")


def area_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """The projected CRS for the data as a whole (the overlay CRS of :func:`assign_zones`).

    For data in China: the CGCS2000 3-degree Gauss-Krüger zone without prefix
    (EPSG:4534–4554) whose central meridian is nearest the data — the median of the parcels'
    centres, so one far-away parcel does not move it — whatever CRS the data arrive in (data
    in EPSG:4550, CM 123°E, that lie near 120°E get EPSG:4549). Elsewhere: the UTM zone of
    the data.

    :func:`add_areas` measures each parcel in its own zone (see :func:`zone_crs_codes`), so
    a province spanning several zones is measured right.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> lu.area_crs(parcels).to_epsg()
    4549
    """
    require_crs(gdf, "geometries")
    crs = CRS.from_user_input(gdf.crs)
    if len(gdf) == 0:
        raise InputError("cannot choose an area CRS for an empty GeoDataFrame")
    lon, lat = _centre_lonlat(gdf, crs)
    if in_china(lon, lat):
        return gk_zone_crs(3 * gk_zone(lon))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            f"the data's centre ({lon:.6g}, {lat:.6g}) is not on Earth: is the CRS right?"
        )
    utm = query_utm_crs_info(
        datum_name="WGS 84", area_of_interest=AreaOfInterest(lon, lat, lon, lat)
    )
    if not utm:
        raise GeometryError(f"no UTM zone holds the data's centre ({lon:.6g}, {lat:.6g})")
    return CRS.from_epsg(int(utm[0].code))


def _centre_lonlat(gdf: gpd.GeoDataFrame | gpd.GeoSeries, crs: CRS) -> tuple[float, float]:
    mark = validated(gdf) if isinstance(gdf, gpd.GeoDataFrame) else None
    if mark is not None:
        bounds = mark.source_bounds()
    else:
        geoms = np.asarray(gdf.geometry.array if hasattr(gdf, "geometry") else gdf)
        bounds = _parallel.map_chunks(shapely.bounds, geoms)
    finite = np.isfinite(bounds).all(axis=1)
    if not finite.any():
        raise InputError("geometries have no finite coordinates")
    x = float(np.median((bounds[finite, 0] + bounds[finite, 2]) / 2))
    y = float(np.median((bounds[finite, 1] + bounds[finite, 3]) / 2))
    lonlat = to_lonlat(crs)
    if lonlat is not None:
        x, y = lonlat.transform(x, y)
    return x, y


def zone_crs_codes(geoms: np.ndarray, source: Any) -> np.ndarray:
    """Per geometry, the zone it is measured in: a GK zone number (25–45) in China, else the
    EPSG code of its WGS 84 UTM zone.

    The zone is the one holding the longitude of the geometry's representative point
    (``shapely.point_on_surface``). Only geometries whose extent crosses a zone border need
    that point; the others are settled by their bounds (vectorised, cheap).

    Examples
    --------
    >>> import shapely
    >>> squares = shapely.box([117.0, 119.9, 122.0], 36.0, [117.01, 119.91, 122.01], 36.01)
    >>> zone_crs_codes(squares, 4490).tolist()
    [39, 40, 41]
    """
    source = CRS.from_user_input(source)
    n = len(geoms)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    bounds = _parallel.map_chunks(shapely.bounds, geoms)
    lonlat = to_lonlat(source)
    if lonlat is None:
        west, east = bounds[:, 0], bounds[:, 2]
        lat = (bounds[:, 1] + bounds[:, 3]) / 2
    else:  # the corners' longitudes: lines of equal longitude are not straight in metres
        xs = bounds[:, [0, 2, 2, 0]].ravel()
        ys = bounds[:, [1, 1, 3, 3]].ravel()
        lon, lat4 = _parallel.map_chunks(
            lambda x, y: tuple(map(np.asarray, lonlat.transform(x, y))), xs, ys
        )
        lon = np.asarray(lon).reshape(n, 4)
        west, east = lon.min(axis=1), lon.max(axis=1)
        lat = np.asarray(lat4).reshape(n, 4).mean(axis=1)
    zone = gk_zone(west)
    crossing = zone != gk_zone(east)
    if crossing.any():
        points = _parallel.map_chunks(shapely.point_on_surface, geoms[crossing])
        px, py = shapely.get_x(points), shapely.get_y(points)
        if lonlat is not None:
            px, py = lonlat.transform(px, py)
        zone[crossing] = gk_zone(px)
    centre = np.where(crossing, np.nan, (west + east) / 2)
    if crossing.any():
        centre[crossing] = px
    china = in_china(centre, lat)
    if not china.all():
        utm = np.floor((centre + 180) / 6).astype(np.int64) % 60 + 1
        zone = np.where(china, zone, np.where(lat >= 0, 32600, 32700) + utm)
    return np.asarray(zone)


def _zone_crs(code: int) -> CRS:
    return gk_zone_crs(3 * code) if code < 1000 else CRS.from_epsg(int(code))


def measure_m2(
    geoms: np.ndarray,
    source: Any,
    crs: Any = None,
    mark: Validated | None = None,
) -> np.ndarray:
    """Areas in m²: each geometry in its own GK zone (China) or UTM zone, or all in ``crs``.

    Geometries are grouped by zone and each group is projected once (one vectorised PROJ
    call per zone); data in one zone take a single call, as with one CRS for all. A validated
    frame's ``mark`` keeps the projection for the next step (see :func:`projected`).
    """
    source = CRS.from_user_input(source)
    if crs is not None:
        target = CRS.from_user_input(crs)
        if not target.is_projected:
            raise InputError(f"areas must be measured in a projected CRS, not {target.name}")
        return projected(geoms, source, target, mark).areas()
    if len(geoms) == 0:
        return np.zeros(0, dtype=float)
    # fast path: the whole extent lies in one zone
    rings = None if mark is not None else Rings.of(geoms)
    extent = _total_bounds(geoms, rings) if mark is None else ring_extent(mark.source_bounds())
    if not np.isfinite(extent).all():
        raise InputError("geometries have no finite coordinates")
    zone = one_zone_crs(source, extent)
    if zone is not None:
        if mark is not None:
            return projected(geoms, source, zone, mark).areas()
        return projection_of(geoms, source, zone, rings).areas()
    codes = zone_crs_codes(geoms, source)
    area = np.empty(len(geoms), dtype=float)
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        area[rows] = projection_of(geoms[rows], source, _zone_crs(int(code))).areas()
    return area


def _total_bounds(geoms: np.ndarray, rings: Rings | None = None) -> np.ndarray:
    """``shapely.total_bounds`` from per-chunk bounds (min/max: order does not matter);
    from the coordinates alone when every geometry is a plain polygon of ``rings``."""
    if rings is not None and rings.complete and len(rings):
        return rings.total_bounds()
    parts = _parallel.map_chunks(lambda chunk: shapely.total_bounds(chunk)[np.newaxis], geoms)
    return ring_extent(parts)


def project(geoms: np.ndarray, source: Any, target: Any) -> np.ndarray:
    """Transform an array of shapely geometries between CRSs on the raw coordinate array.

    Faster than ``GeoSeries.to_crs`` (one vectorised PROJ call per array) and never changes
    the input.
    """
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    if source.equals(target):
        return geoms
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def project_chunk(chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # one PROJ call over the chunk's raw coordinates, in place (pyproj releases the GIL,
        # and a Transformer may be shared by threads), written back with one
        # set_coordinates into new geometries: the input is never changed
        xy = shapely.get_coordinates(chunk)
        x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
        transformer.transform(x, y, inplace=True)
        finite = np.isfinite(x).all() and np.isfinite(y).all()
        xy[:, 0], xy[:, 1] = x, y
        del x, y
        return _with_coordinates(chunk, xy), np.array([finite])

    moved, finite = _parallel.map_chunks(project_chunk, np.asarray(geoms, dtype=object))
    if not finite.all():
        raise _outside_area_of_use(source, target)
    return np.asarray(moved)


def _with_coordinates(geoms: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """New geometries: ``geoms`` with their x/y coordinates replaced by ``xy`` (as given by
    ``shapely.get_coordinates``), the input unchanged — ``shapely.set_coordinates`` on a copy,
    with the same coordinates.

    Plain polygons (one ring, no z: nearly every parcel) are built in one
    ``shapely.from_ragged_array`` call, which is about twice as fast as cloning each
    geometry and writing its coordinates; the rest (holes, multipolygons, z) go through
    ``set_coordinates``.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> squares = np.array([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 7, 7)])
    >>> moved = _with_coordinates(squares, shapely.get_coordinates(squares) + 10)
    >>> [g.bounds for g in moved], [g.bounds for g in squares]
    ([(10.0, 10.0, 11.0, 11.0), (15.0, 15.0, 17.0, 17.0)], [(0.0, 0.0, 1.0, 1.0), (5.0, 5.0, 7.0, 7.0)])
    """
    geoms = np.asarray(geoms, dtype=object)
    if xy.ndim != 2 or xy.shape[1] != 2:  # z given: set_coordinates decides what to keep
        return np.asarray(shapely.set_coordinates(np.array(geoms, dtype=object, copy=True), xy))
    xy = np.ascontiguousarray(xy, dtype=float)
    counts = shapely.get_num_coordinates(geoms)
    plain = plain_polygons(geoms)  # (an empty polygon stays empty)
    if plain.all() and _closed(xy, counts):
        return _polygons(xy, counts)
    of_plain = np.repeat(plain, counts)
    if not _closed(xy[of_plain], counts[plain]):  # set_coordinates says what is wrong
        plain[:] = False
        of_plain[:] = False
    out = np.empty(len(geoms), dtype=object)
    out[plain] = _polygons(xy[of_plain], counts[plain])
    out[~plain] = shapely.set_coordinates(np.array(geoms[~plain], copy=True), xy[~of_plain])
    return out


def _closed(xy: np.ndarray, counts: np.ndarray) -> bool:
    """Whether every ring (``counts`` consecutive vertices each) ends where it starts."""
    ends = np.cumsum(counts)
    return bool((xy[ends - counts] == xy[ends - 1]).all())


def _polygons(xy: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """One-ring polygons from their consecutive closed rings (``counts`` vertices each)."""
    return Rings(xy, counts, np.arange(len(counts)), len(counts)).polygons()


def projection_of(
    geoms: np.ndarray, source: Any, target: Any, rings: Rings | None = None
) -> Projection:
    """``geoms`` (of which ``rings`` are the plain polygons, if known) in ``target``: the plain
    polygons' coordinates through one PROJ call on the pool, the others as geometries."""
    geoms = np.asarray(geoms, dtype=object)
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    rings = Rings.of(geoms) if rings is None else rings
    other_rows = np.setdiff1d(np.arange(len(geoms)), rings.rows, assume_unique=True)
    if source.equals(target):
        return Projection(rings, geoms[other_rows], target)
    moved, finite = rings.transformed(Transformer.from_crs(source, target, always_xy=True))
    if not finite:
        raise _outside_area_of_use(source, target)
    others = geoms[other_rows]
    return Projection(moved, project(others, source, target) if len(others) else others, target)


def projected(
    geoms: np.ndarray, source: Any, target: Any, mark: Validated | None = None
) -> Projection:
    """``geoms`` in ``target`` (a :class:`Projection`), kept on a validated frame's ``mark``
    so that ``add_areas`` then ``assign_zones`` project once (the reader may have projected
    them already)."""
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    if mark is None:
        return projection_of(geoms, source, target)
    key = (source.to_wkt(), target.to_wkt())
    if key not in mark.projections:
        mark.source_bounds()  # kept: the extent and centre come from them
        mark.projections[key] = projection_of(geoms, source, target, mark.source_rings())
        mark.rings = None  # the source coordinates are taken anew if another CRS needs them
    found: Projection = mark.projections[key]
    return found


def _outside_area_of_use(source: CRS, target: CRS) -> InputError:
    return InputError(
        f"coordinates fall outside the area of use of {target.name}; "
        f"check that the source CRS {source.name} is right"
    )


def area_columns(area_m2: np.ndarray) -> dict[str, np.ndarray]:
    """``area_m2``, ``area_mu`` (= m² × 15/10000) and ``area_ha`` from square metres."""
    return {"area_m2": area_m2, "area_mu": area_m2 / M2_PER_MU, "area_ha": area_m2 / 10_000}


def add_areas(gdf: gpd.GeoDataFrame, *, crs: Any = None, verbose: bool = False) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.add_areas` (documented there)."""
    with stages("add_areas", 2, verbose=verbose) as stage:
        stage("validate")
        id_column = "parcel_id" if "parcel_id" in gdf.columns else None
        out = validate_polygons(gdf, what="geometries", id_column=id_column)
        if len(out) == 0:  # empty in, empty out
            return out.assign(**area_columns(np.zeros(0)))
        stage("measure")
        area = measure_m2(np.asarray(out.geometry.array), out.crs, crs, fresh_mark(out))
        return out.assign(**area_columns(area))
