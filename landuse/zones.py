"""Assign parcels to zones (streets, functional zones, renewal areas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from landuse import _parallel
from landuse._errors import InputError, ZoneError, format_ids, warn
from landuse._progress import stages
from landuse._validate import (
    fresh_mark,
    mark_validated,
    require_columns,
    validate_polygons,
    validate_zones,
)
from landuse.areas import area_columns, area_crs, measure_m2, project, project_cached

__all__ = ["assign_zones"]

_FEW_PARCELS = 5_000  # below this, _zone_pairs tests every parcel with the full predicates

How = Literal["split", "largest", "centroid"]


def _disjoint_zones(zones: np.ndarray, names: np.ndarray, tolerance_m2: float) -> np.ndarray:
    """Return zones with slight overlaps removed; raise when zones overlap more than that.

    Overlapping zones would count the shared land twice. Overlaps up to ``tolerance_m2`` (the
    usual digitising slop) are given to the zone listed first.
    """
    tree = shapely.STRtree(zones)
    left, right = tree.query(zones, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return zones
    overlap = _parallel.map_chunks(
        lambda a, b: shapely.area(shapely.intersection(a, b)), zones[left], zones[right], heavy=True
    )
    too_big = overlap > tolerance_m2
    if too_big.any():
        pairs = [
            f"{names[a]} & {names[b]} ({o:,.0f} m²)"
            for a, b, o in zip(left[too_big], right[too_big], overlap[too_big], strict=True)
        ]
        raise ZoneError(f"zones overlap (more than {tolerance_m2} m²)", pairs)
    slight = overlap > 0
    if not slight.any():
        return zones
    out = zones.copy()
    for later in np.unique(right[slight]):
        earlier = left[slight & (right == later)]
        out[later] = shapely.difference(out[later], shapely.union_all(zones[earlier]))
    warn(
        f"{int(slight.sum())} slight zone overlap(s) given to the zone listed first: "
        f"{format_ids(f'{names[a]} & {names[b]}' for a, b in zip(left[slight], right[slight], strict=True))}",
        UserWarning,
    )
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Drop the lines and points an intersection may carry (shared edges)."""
    out = geoms.copy()
    mixed = _parallel.map_chunks(shapely.get_type_id, geoms) == 7  # GeometryCollection
    for i in np.flatnonzero(mixed):
        parts = shapely.get_parts(geoms[i])
        polys = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[i] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return out


def _intersect_pieces(parcels: np.ndarray, zones: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polygonal intersections of parcel/zone pairs and their areas (one chunk)."""
    pieces = _polygonal(shapely.intersection(parcels, zones))
    return pieces, shapely.area(pieces)


def _overlay_query(
    parcels: np.ndarray, zone_wkb: np.ndarray, predicate: str
) -> tuple[np.ndarray, np.ndarray]:
    """(zone position, parcel position) of the pairs where ``predicate(zone, parcel)``.

    The parcels are cut into contiguous chunks, one STRtree per chunk queried by the zones,
    on the pool. Each chunk parses its own copy of the zones from WKB (exactly the same
    coordinates): a prepared geometry is not shared between threads. Pairs come back sorted
    by zone, then parcel, whatever the number of threads.
    """

    def query(chunk: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        own = shapely.from_wkb(zone_wkb)
        shapely.prepare(own)
        zone_pos, pos = shapely.STRtree(chunk).query(own, predicate=predicate)
        return zone_pos, index[pos]

    zone_pos, parcel_pos = _parallel.map_chunks(
        query, parcels, np.arange(len(parcels), dtype=np.intp), heavy=True
    )
    order = np.lexsort((parcel_pos, zone_pos))
    return zone_pos[order].astype(np.intp), parcel_pos[order].astype(np.intp)


def _border_boxes(zones: np.ndarray, step: float) -> np.ndarray:
    """Boxes that together cover every zone border: one per border segment, long segments cut
    into pieces of about ``step`` so that each box stays close to its segment."""
    rings = shapely.get_rings(shapely.get_parts(zones))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[:-1] == ring[1:]  # consecutive vertices of one ring: a segment
    start, end = xy[:-1][same], xy[1:][same]
    length = np.hypot(*(end - start).T)
    cuts = np.maximum(np.ceil(length / step), 1).astype(np.int64)
    segment = np.repeat(np.arange(len(start)), cuts)
    first = np.repeat(np.cumsum(cuts) - cuts, cuts)
    k = np.arange(len(segment)) - first
    t0 = (k / cuts[segment])[:, np.newaxis]
    t1 = ((k + 1) / cuts[segment])[:, np.newaxis]
    delta = (end - start)[segment]
    a, b = start[segment] + t0 * delta, start[segment] + t1 * delta
    # widened by a hair more than the rounding of the cut points: a box may be too big,
    # never too small
    pad = 1e-9 * (np.abs(start[segment]).max(axis=1) + np.abs(delta).max(axis=1)) + 1e-9
    low, high = np.minimum(a, b) - pad[:, np.newaxis], np.maximum(a, b) + pad[:, np.newaxis]
    return np.asarray(shapely.box(low[:, 0], low[:, 1], high[:, 0], high[:, 1]))


def _zone_pairs(
    parcels: np.ndarray, zones: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(zone, parcel) positions of the parcels each zone covers, and of the zone/parcel pairs
    that meet without the zone covering the parcel; each sorted by zone, then parcel.

    A parcel whose bounding box meets no zone border lies wholly inside a zone or wholly
    outside it, so one point-in-polygon test of its box's centre settles it — exactly, not
    approximately. Only the parcels near a border (a few in a hundred) need the full
    ``covers`` and ``intersects`` predicates. Far cheaper than testing every parcel against
    the zones it overlaps.
    """
    n = len(parcels)
    zone_wkb = shapely.to_wkb(zones)
    if n < _FEW_PARCELS:  # a few parcels: the full predicates cost less than the border index
        return _full_pairs(parcels, zone_wkb, np.arange(n, dtype=np.intp))
    bounds = _parallel.map_chunks(shapely.bounds, parcels)
    size = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    # boxes about 4 parcels long, and never more than about two per parcel (tiny parcels
    # against long borders would otherwise make millions)
    border = float(shapely.length(shapely.boundary(zones)).sum())
    step = max(4 * float(np.median(size)), border / (2 * n))
    # one small tree (the border boxes, then the zones) queried by the parcels: no tree of a
    # million
    boxes = _border_boxes(zones, step)
    parcel_pos, item = shapely.STRtree(np.concatenate([boxes, zones])).query(parcels)
    on_border = item < len(boxes)
    near = np.zeros(n, dtype=bool)
    near[parcel_pos[on_border]] = True
    parcel_pos, zone_pos = parcel_pos[~on_border], item[~on_border] - len(boxes)  # boxes meet
    far = ~near[parcel_pos]
    zone_pos, parcel_pos = zone_pos[far], parcel_pos[far]
    cx = (bounds[parcel_pos, 0] + bounds[parcel_pos, 2]) / 2
    cy = (bounds[parcel_pos, 1] + bounds[parcel_pos, 3]) / 2

    def contains(zone: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        own = shapely.from_wkb(zone_wkb)  # per thread, as in _overlay_query
        shapely.prepare(own)
        return np.asarray(shapely.contains_xy(own[zone], x, y))

    inside = _parallel.map_chunks(contains, zone_pos, cx, cy, heavy=True)
    (near_zone, near_pos), crossing = _full_pairs(parcels, zone_wkb, np.flatnonzero(near))
    all_zone = np.concatenate([zone_pos[inside], near_zone])
    all_pos = np.concatenate([parcel_pos[inside], near_pos])
    order = np.lexsort((all_pos, all_zone))
    return (all_zone[order], all_pos[order]), crossing


def _full_pairs(
    parcels: np.ndarray, zone_wkb: np.ndarray, checked: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """:func:`_zone_pairs` by the zones' full predicates, for the parcels at ``checked``."""
    covering_zone, covered_pos = _overlay_query(parcels[checked], zone_wkb, "covers")
    covered_pos = checked[covered_pos]
    zone_of = np.full(len(parcels), -1, dtype=np.intp)
    zone_of[covered_pos] = covering_zone
    rest = checked[zone_of[checked] < 0]
    hit_zone, hit_pos = _overlay_query(parcels[rest], zone_wkb, "intersects")
    return (covering_zone, covered_pos), (hit_zone, rest[hit_pos])


def _split_pieces(
    parcels: np.ndarray,
    zones: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    *,
    parcel_m2: np.ndarray,
    sliver_m2: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pieces of crossing parcels: (parcel position, zone position or -1, geometry, area m²).

    Geometries are in metres. Slivers (pieces under ``sliver_m2``: coordinate noise along
    shared edges) join the parcel's largest piece; the part outside every zone becomes a piece
    of its own (zone -1). Piece areas are rescaled by the float residue of the overlay
    (~1e-15) so that they add up to the parcel's area exactly.
    """
    zone_pos, parcel_pos = pairs
    # the intersections (and their areas) in chunks on the pool: elementwise, so the same
    # pieces and the same floats as one call
    pieces, native = _parallel.map_chunks(
        _intersect_pieces, parcels[parcel_pos], zones[zone_pos], heavy=True
    )
    keep = native > 0
    zone_pos, parcel_pos, pieces, native = (
        zone_pos[keep],
        parcel_pos[keep],
        pieces[keep],
        native[keep],
    )
    parcel_native = np.zeros(len(parcels))  # only the crossing parcels are looked up
    crossing = np.unique(parcel_pos)
    parcel_native[crossing] = shapely.area(parcels[crossing])

    out_parcel: list[int] = []
    out_zone: list[int] = []
    out_geom: list[shapely.Geometry] = []
    order = np.lexsort((zone_pos, parcel_pos))
    bounds = np.flatnonzero(np.diff(parcel_pos[order], prepend=-1, append=-1) != 0)
    starts, counts = bounds[:-1], np.diff(bounds)
    # Most crossing parcels need nothing but their pieces: no sliver, nothing outside the
    # zones. Those are settled at once (the same sums as the loop: a plain left-to-right sum
    # up to 8 pieces); the loop sees only the rest.
    simple = np.zeros(len(starts), dtype=bool)
    if len(starts):
        native_sorted = native[order]
        first = parcel_pos[order[starts]]
        outside_all = parcel_native[first] - np.add.reduceat(native_sorted, starts)
        any_sliver = np.logical_or.reduceat(native_sorted < sliver_m2, starts)
        simple = (
            (counts <= 8)
            & ~any_sliver
            & (outside_all < sliver_m2)
            & (outside_all <= 1e-9 * parcel_m2[first])
        )
    simple_rows = order[np.repeat(simple, counts)]
    for start, count in zip(starts[~simple], counts[~simple], strict=True):
        rows = order[start : start + count]
        position = parcel_pos[rows[0]]
        parcel = parcels[position]
        big = native[rows] >= sliver_m2
        if not big.any():
            big[np.argmax(native[rows])] = True
        geoms = list(pieces[rows[big]])
        zone_ids = list(zone_pos[rows[big]])
        outside_m2 = parcel_native[position] - native[rows].sum()
        if outside_m2 >= sliver_m2:
            outside = shapely.difference(parcel, shapely.union_all(zones[zone_pos[rows]]))
            geoms.append(_polygonal(np.array([outside]))[0])
            zone_ids.append(-1)
        noise = 1e-9 * parcel_m2[position]  # float residue of the overlay, not land
        if not big.all() or noise < outside_m2 < sliver_m2:
            # the largest piece takes the slivers: parcel minus the other pieces
            largest = int(np.argmax(shapely.area(np.array(geoms, dtype=object))))
            others = [g for i, g in enumerate(geoms) if i != largest]
            remainder = shapely.difference(parcel, shapely.union_all(others))
            geoms[largest] = _polygonal(np.array([remainder]))[0]
        out_parcel += [position] * len(geoms)
        out_zone += zone_ids
        out_geom += geoms

    # pieces by parcel, each parcel's pieces in the loop's order
    piece_parcel = np.concatenate([parcel_pos[simple_rows], np.asarray(out_parcel, dtype=np.intp)])
    back = np.argsort(piece_parcel, kind="stable")
    piece_parcel = piece_parcel[back]
    loop_geoms = np.empty(len(out_geom), dtype=object)
    loop_geoms[:] = out_geom
    geometry = np.concatenate([pieces[simple_rows], loop_geoms])[back]
    piece_zone = np.concatenate([zone_pos[simple_rows], np.asarray(out_zone, dtype=np.intp)])[back]
    measured = _parallel.map_chunks(shapely.area, geometry)
    total = np.bincount(piece_parcel, measured, minlength=len(parcels))
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = parcel_m2 / total
    return (
        piece_parcel.astype(np.intp),
        piece_zone.astype(np.intp),
        geometry,
        measured * scale[piece_parcel],
    )


def assign_zones(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    how: How = "split",
    name: str = "name",
    columns: Sequence[str] = (),
    crs: Any = None,
    overlap_tolerance_m2: float = 1.0,
    min_piece_m2: float = 1e-4,
    verbose: bool = False,
    overlay_crs: Any = None,
) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.assign_zones` (documented there)."""
    if how not in ("split", "largest", "centroid"):
        raise InputError(f"how must be 'split', 'largest' or 'centroid', not {how!r}")
    options: dict[str, Any] = {
        "how": how,
        "name": name,
        "columns": columns,
        "crs": crs,
        "overlap_tolerance_m2": overlap_tolerance_m2,
        "min_piece_m2": min_piece_m2,
        "overlay_crs": overlay_crs,
    }
    with stages("assign_zones", 4, verbose=verbose) as stage:
        stage("validate")
        return _assign(parcels, zones, **options, stage=stage)


def _assign(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    how: How,
    name: str,
    columns: Sequence[str],
    crs: Any,
    overlap_tolerance_m2: float,
    min_piece_m2: float,
    stage: Any,
    overlay_crs: Any = None,
) -> gpd.GeoDataFrame:
    out = validate_polygons(parcels)  # what the overlay needs; the ledger is not read here
    require_columns(out, ("parcel_id",))
    zones = validate_zones(zones, name=name)
    missing = [c for c in columns if c not in zones.columns]
    if missing:
        raise InputError(f"zone column(s) not found: {', '.join(missing)}")
    if len(out) == 0:  # empty in, empty out, with the columns a non-empty result has
        empty = {c: pd.Series(dtype=zones[c].dtype) for c in columns}
        zoned = out.assign(zone=pd.Series(dtype=object), **empty, zone_share=1.0)
        return zoned.assign(**area_columns(np.zeros(0)))
    if crs is not None:
        target = CRS.from_user_input(crs)
    elif overlay_crs is not None:
        target = CRS.from_user_input(overlay_crs)
    else:
        target = area_crs(out)
    if not target.is_projected:
        raise InputError(f"zones are assigned in a projected CRS, not {target.name}")

    # Overlay in one projected CRS (topology does not care which); measure each parcel in its
    # own GK zone (or in `crs`), as add_areas does, and share that area among its pieces in
    # proportion to their overlay areas: pieces then tile their parcel exactly.
    stage("project")
    source = CRS.from_user_input(out.crs)
    original = np.asarray(out.geometry.array)
    projections = fresh_mark(out).projections
    geoms = project_cached(original, source, target, projections)
    parcel_area = measure_m2(original, source, crs, projections)
    zone_geoms = project(np.asarray(zones.geometry.array), zones.crs, target)
    zone_names = zones[name].astype(str).to_numpy()
    zone_geoms = _disjoint_zones(zone_geoms, zone_names, overlap_tolerance_m2)
    shapely.prepare(zone_geoms)

    n = len(out)
    zone_of = np.full(n, -1, dtype=np.intp)
    result, share, areas = out, np.ones(n), parcel_area  # `out` is already our own copy
    pieces_valid = False
    if how == "centroid":
        points = shapely.point_on_surface(geoms)
        point_pos, zone_pos = shapely.STRtree(zone_geoms).query(points, predicate="covered_by")
        hit, first_hit = np.unique(point_pos, return_index=True)
        zone_of[hit] = zone_pos[first_hit]
    else:
        stage("query")
        # parcels far from every border are settled by a point test; only those near one
        # meet the zones' full predicates (see _zone_pairs)
        (zone_pos, parcel_pos), crossing = _zone_pairs(geoms, zone_geoms)
        zone_of[parcel_pos] = zone_pos
        stage("split crossing parcels")
        piece_parcel, piece_zone, piece_geom, piece_area = _split_pieces(
            geoms,
            zone_geoms,
            crossing,
            parcel_m2=parcel_area,
            sliver_m2=min_piece_m2,
        )
        if how == "largest":
            zoned = piece_zone >= 0
            order = np.lexsort((-piece_area[zoned], piece_parcel[zoned]))
            best_parcel, first = np.unique(piece_parcel[zoned][order], return_index=True)
            zone_of[best_parcel] = piece_zone[zoned][order][first]
        else:
            is_split = np.zeros(n, dtype=bool)
            is_split[piece_parcel] = True
            whole = np.flatnonzero(~is_split)
            positions = np.concatenate([whole, piece_parcel])
            order = np.argsort(positions, kind="stable")
            positions = positions[order]
            zone_of = np.concatenate([zone_of[whole], piece_zone])[order]
            areas = np.concatenate([parcel_area[whole], piece_area])[order]
            share = areas / parcel_area[positions]
            result = out.iloc[positions]
            # whole parcels keep their exact original geometry; pieces come back from the
            # area CRS
            back = project(piece_geom, target, source)
            pieces_valid = bool(shapely.is_valid(back).all())
            values = np.concatenate([original[whole], back])[order]
            result[result.geometry.name] = gpd.GeoSeries(values, index=result.index, crs=out.crs)

    assigned = zone_of >= 0
    for zone_column, column in ((name, "zone"), *((c, c) for c in columns)):
        per_zone = pd.Series(zones[zone_column].to_numpy(dtype=object)).array
        if pd.api.types.is_object_dtype(per_zone.dtype):  # None outside every zone
            values = np.full(len(zone_of), None, dtype=object)
            values[assigned] = np.asarray(per_zone, dtype=object)[zone_of[assigned]]
            result[column] = values
        else:
            # text (str): taken per parcel in its own dtype, not a million Python objects
            # for pandas to infer the dtype from again
            taken = per_zone.take(zone_of, allow_fill=True)  # -1: outside every zone
            result[column] = pd.Series(taken, index=result.index)
    result["zone_share"] = share
    for column, value in area_columns(np.asarray(areas, dtype=float)).items():
        result[column] = value
    if pieces_valid:  # whole parcels were checked; the pieces are new
        mark_validated(result, kind="pieces")  # pieces may share a parcel_id, one per zone
    return result
