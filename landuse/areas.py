"""Areas measured in the right projected CRS: m², 亩 (mu) and 公顷 (ha)."""

from __future__ import annotations

import warnings
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
from landuse._rings import Rings
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
    "zone_crs_codes",
]

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
    if _in_china(lon, lat):
        return gk_zone_crs(3 * _gk_zone(lon))
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


def _in_china(lon: Any, lat: Any) -> Any:
    return (
        (_CHINA_LON[0] <= lon)
        & (lon <= _CHINA_LON[1])
        & (_CHINA_LAT[0] <= lat)
        & (lat <= _CHINA_LAT[1])
    )


def _gk_zone(lon: Any) -> Any:
    """The 3-degree zone holding a longitude: zone n covers [3n − 1.5°, 3n + 1.5°) (China's
    westernmost and easternmost slivers go to the nearest CGCS2000 zone, 25 or 45)."""
    with np.errstate(invalid="ignore"):
        zone = np.floor((np.asarray(lon, dtype=float) + 1.5) / 3)
    return np.clip(np.nan_to_num(zone, nan=0), _GK_FIRST_ZONE, _GK_LAST_ZONE).astype(np.int64)


def _to_lonlat(crs: CRS) -> Transformer | None:
    if crs.is_geographic:
        return None
    return Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)


def _centre_lonlat(gdf: gpd.GeoDataFrame | gpd.GeoSeries, crs: CRS) -> tuple[float, float]:
    mark = validated(gdf) if isinstance(gdf, gpd.GeoDataFrame) else None
    if mark is not None and mark.source_rings().complete:  # no GEOS call per geometry
        bounds = mark.source_rings().bounds()
    else:
        geoms = np.asarray(gdf.geometry.array if hasattr(gdf, "geometry") else gdf)
        bounds = _parallel.map_chunks(shapely.bounds, geoms)
    finite = np.isfinite(bounds).all(axis=1)
    if not finite.any():
        raise InputError("geometries have no finite coordinates")
    x = float(np.median((bounds[finite, 0] + bounds[finite, 2]) / 2))
    y = float(np.median((bounds[finite, 1] + bounds[finite, 3]) / 2))
    to_lonlat = _to_lonlat(crs)
    if to_lonlat is not None:
        x, y = to_lonlat.transform(x, y)
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
    to_lonlat = _to_lonlat(source)
    if to_lonlat is None:
        west, east = bounds[:, 0], bounds[:, 2]
        lat = (bounds[:, 1] + bounds[:, 3]) / 2
    else:  # the corners' longitudes: lines of equal longitude are not straight in metres
        xs = bounds[:, [0, 2, 2, 0]].ravel()
        ys = bounds[:, [1, 1, 3, 3]].ravel()
        lon, lat4 = _parallel.map_chunks(
            lambda x, y: tuple(map(np.asarray, to_lonlat.transform(x, y))), xs, ys
        )
        lon = np.asarray(lon).reshape(n, 4)
        west, east = lon.min(axis=1), lon.max(axis=1)
        lat = np.asarray(lat4).reshape(n, 4).mean(axis=1)
    zone = _gk_zone(west)
    crossing = zone != _gk_zone(east)
    if crossing.any():
        points = _parallel.map_chunks(shapely.point_on_surface, geoms[crossing])
        px, py = shapely.get_x(points), shapely.get_y(points)
        if to_lonlat is not None:
            px, py = to_lonlat.transform(px, py)
        zone[crossing] = _gk_zone(px)
    centre = np.where(crossing, np.nan, (west + east) / 2)
    if crossing.any():
        centre[crossing] = px
    china = _in_china(centre, lat)
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
    rings = mark.source_rings() if mark is not None else Rings.of(geoms)
    minx, miny, maxx, maxy = _total_bounds(geoms, rings)
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        raise InputError("geometries have no finite coordinates")
    to_lonlat = _to_lonlat(source)
    if to_lonlat is not None:
        with np.errstate(all="ignore"):
            minx, miny, maxx, maxy = to_lonlat.transform_bounds(minx, miny, maxx, maxy)
    if (
        np.isfinite([minx, maxx]).all()
        and _gk_zone(minx) == _gk_zone(maxx)
        and _in_china(minx, miny)
        and _in_china(maxx, maxy)
    ):
        target = gk_zone_crs(3 * int(_gk_zone(minx)))
        if mark is not None:
            return projected(geoms, source, target, mark).areas()
        return Projection.of(geoms, source, target, rings).areas()
    codes = zone_crs_codes(geoms, source)
    area = np.empty(len(geoms), dtype=float)
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        area[rows] = Projection.of(geoms[rows], source, _zone_crs(int(code))).areas()
    return area


def _area(geoms: np.ndarray) -> np.ndarray:
    """``shapely.area`` in chunks on the thread pool (elementwise: the same floats)."""
    return np.asarray(_parallel.map_chunks(shapely.area, geoms), dtype=float)


def _total_bounds(geoms: np.ndarray, rings: Rings | None = None) -> np.ndarray:
    """``shapely.total_bounds`` from per-chunk bounds (min/max: order does not matter);
    from the coordinates alone when every geometry is a plain polygon of ``rings``."""
    if rings is not None and rings.complete and len(rings):
        return rings.total_bounds()
    parts = _parallel.map_chunks(lambda chunk: shapely.total_bounds(chunk)[np.newaxis], geoms)
    with warnings.catch_warnings():  # a chunk (or all) without finite bounds: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.array(
            [
                np.nanmin(parts[:, 0]),
                np.nanmin(parts[:, 1]),
                np.nanmax(parts[:, 2]),
                np.nanmax(parts[:, 3]),
            ]
        )


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
    plain = (
        (shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON)
        & (shapely.get_num_interior_rings(geoms) == 0)
        & (counts >= 4)  # an empty polygon stays empty
        & ~shapely.has_z(geoms)
    )
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
    rings = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=rings[1:])
    parts = np.arange(len(counts) + 1, dtype=np.int64)
    return np.asarray(
        shapely.from_ragged_array(shapely.GeometryType.POLYGON, xy, (rings, parts)), dtype=object
    )


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

    @classmethod
    def of(
        cls, geoms: np.ndarray, source: Any, target: Any, rings: Rings | None = None
    ) -> Projection:
        """``geoms`` (of which ``rings`` are the plain polygons, if known) in ``target``."""
        geoms = np.asarray(geoms, dtype=object)
        source, target = CRS.from_user_input(source), CRS.from_user_input(target)
        rings = Rings.of(geoms) if rings is None else rings
        other_rows = np.setdiff1d(np.arange(len(geoms)), rings.rows, assume_unique=True)
        if source.equals(target):
            return cls(rings, geoms[other_rows], target)
        transformer = Transformer.from_crs(source, target, always_xy=True)
        moved, finite = rings.transformed(transformer)
        if not finite:
            raise _outside_area_of_use(source, target)
        others = geoms[other_rows]
        return cls(moved, project(others, source, target) if len(others) else others, target)

    def areas(self) -> np.ndarray:
        """Area per geometry, as ``shapely.area`` gives it (bit for bit; kept)."""
        if self._areas is None:
            self._areas = np.empty(self.size, dtype=float)
            self._areas[self.rings.rows] = self.rings.areas()
            self._areas[self.other_rows] = _area(self.others)
        return self._areas.copy()

    def bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) per geometry, as ``shapely.bounds`` gives them."""
        out = np.empty((self.size, 4), dtype=float)
        out[self.rings.rows] = self.rings.bounds()
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


def projected(
    geoms: np.ndarray, source: Any, target: Any, mark: Validated | None = None
) -> Projection:
    """``geoms`` in ``target`` (a :class:`Projection`), kept on a validated frame's ``mark``
    so that ``add_areas`` then ``assign_zones`` project once."""
    source, target = CRS.from_user_input(source), CRS.from_user_input(target)
    if mark is None:
        return Projection.of(geoms, source, target)
    key = (source.to_wkt(), target.to_wkt())
    if key not in mark.projections:
        mark.projections[key] = Projection.of(geoms, source, target, mark.source_rings())
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
