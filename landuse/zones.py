"""Assign parcels to zones (streets, functional zones, renewal areas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy import ndimage

from landuse import _parallel
from landuse._errors import InputError, ZoneError, format_ids, warn
from landuse._progress import stages
from landuse._rings import extent as ring_extent
from landuse._validate import (
    fresh_mark,
    mark_validated,
    require_columns,
    validate_polygons,
    validate_zones,
)
from landuse.areas import Projection, area_columns, area_crs, measure_m2, project, projected

__all__ = ["assign_zones"]

_FEW_PARCELS = 5_000  # below this, _zone_pairs tests every parcel with the full predicates
_MAX_CELLS = 4_000_000  # the border grid of _zone_pairs: at most this many cells (~150 MB)

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
    """Boxes (minx, miny, maxx, maxy) that together cover every zone border: one per border
    segment, long segments cut into pieces of about ``step`` so that each box stays close to
    its segment."""
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
    return np.column_stack([low, high])


class _BorderGrid:
    """Square cells over the zones' extent, each marked when a border box meets it.

    A cell holds the points ``p`` with ``floor((p − origin) / size)`` equal to its index. The
    same rule places border boxes and parcel boxes, and it never decreases as ``p`` grows, so a
    border point inside a parcel's box always falls in one of the cells the box spans: a
    parcel whose cells are all unmarked has no border in its box. Its box then lies inside
    one zone or outside all, and so does every cell it spans — and the whole region of
    unmarked cells around them: one point-in-polygon test per region settles every parcel in
    it. The grid may call a parcel near
    that is not (it then meets the full predicates); it never calls one far that is near.
    """

    def __init__(self, zones: np.ndarray, step: float, extent: np.ndarray | None = None) -> None:
        self.zones = zones
        boxes = _border_boxes(zones, step)
        x0, y0, x1, y1 = shapely.total_bounds(zones)
        if extent is not None:
            # only where the parcels are (one partition of a large inventory): the cells at
            # the edge stand for everything beyond them, as the margin does
            ex0, ey0, ex1, ey1 = extent
            if max(x0, ex0) < min(x1, ex1) and max(y0, ey0) < min(y1, ey1):
                x0, y0, x1, y1 = max(x0, ex0), max(y0, ey0), min(x1, ex1), min(y1, ey1)
            else:  # the parcels lie beside the zones' box
                x0, y0, x1, y1 = ex0, ey0, ex1, ey1
        self.size = max(step, float(np.sqrt((x1 - x0) * (y1 - y0) / _MAX_CELLS)))
        self.origin = (x0 - self.size, y0 - self.size)  # a margin of one cell on every side
        self.shape = (
            int((y1 - self.origin[1]) // self.size) + 2,
            int((x1 - self.origin[0]) // self.size) + 2,
        )
        (bx0, by0), (bx1, by1) = (
            self.cells(boxes[:, 0], boxes[:, 1]),
            self.cells(boxes[:, 2], boxes[:, 3]),
        )
        marked = np.zeros(self.shape, dtype=bool)
        for dy in range(int((by1 - by0).max(initial=0)) + 1):
            for dx in range(int((bx1 - bx0).max(initial=0)) + 1):
                spans = (by0 + dy <= by1) & (bx0 + dx <= bx1)
                marked[by0[spans] + dy, bx0[spans] + dx] = True
        # marked cells in any block of cells by four lookups (a summed-area table)
        self.table = np.zeros((self.shape[0] + 1, self.shape[1] + 1), dtype=np.int64)
        self.table[1:, 1:] = marked.cumsum(axis=0).cumsum(axis=1)
        self._find_regions(marked)

    def cells(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(column, row) of the cells holding the points, clipped to the grid: beyond it
        there are no borders."""
        with np.errstate(invalid="ignore"):
            column = np.clip(np.floor((x - self.origin[0]) / self.size), 0, self.shape[1] - 1)
            row = np.clip(np.floor((y - self.origin[1]) / self.size), 0, self.shape[0] - 1)
        return column.astype(np.intp), row.astype(np.intp)

    def settle(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For boxes (minx, miny, maxx, maxy): which may meet a border (``near``), and for
        the others the (zone, box) pairs of the zones holding them."""
        near, region = _parallel.map_chunks(self._near_and_region, bounds)
        far = np.flatnonzero(~near)
        region = region[far]
        pair_region, pair_zone = self.region_zones
        if len(np.unique(pair_region)) == len(pair_region):  # no region in two zones
            zone_of = np.full(self.region_count + 1, -1, dtype=np.intp)
            zone_of[pair_region] = pair_zone
            zone = zone_of[region]
            inside = zone >= 0
            return near, zone[inside], far[inside]
        # overlapping zones: each far box takes every pair of its region
        order = np.argsort(pair_region, kind="stable")
        pair_region, pair_zone = pair_region[order], pair_zone[order]
        first = np.searchsorted(pair_region, region, side="left")
        count = np.searchsorted(pair_region, region, side="right") - first
        pick = np.repeat(first - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        return near, pair_zone[pick], np.repeat(far, count)

    def _near_and_region(self, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per box: whether its cells hold a marked one, and the region of its first cell
        (elementwise: on the pool in chunks)."""
        (cx0, cy0), (cx1, cy1) = (
            self.cells(bounds[:, 0], bounds[:, 1]),
            self.cells(bounds[:, 2], bounds[:, 3]),
        )
        t, width = self.table.ravel(), self.shape[1] + 1
        low, high = cy0 * width, (cy1 + 1) * width
        marked = t[high + cx1 + 1] - t[low + cx1 + 1] - t[high + cx0] + t[low + cx0]
        with np.errstate(invalid="ignore"):
            finite = (bounds[:, 0] <= bounds[:, 2]) & (bounds[:, 1] <= bounds[:, 3])
        # a far box lies in the region of unmarked cells its first cell belongs to (region 0:
        # a marked cell, or a region whose test point was doubtful: see _find_regions)
        region = self.regions.ravel()[cy0 * self.shape[1] + cx0]
        return (marked > 0) | ~finite | (region == 0), region

    def _find_regions(self, marked: np.ndarray) -> None:
        """Label the regions of unmarked cells (4-connected: neighbours share an edge, so
        a region holds no border and lies in one zone or outside all) and find the zones
        holding each, by one point-in-polygon test per region."""
        regions, count = ndimage.label(~marked)
        columns = self.shape[1]
        # one cell per region, and its centre (which must fall in that cell, by the rule)
        flat = regions.ravel()
        present, first_cell = np.unique(flat, return_index=True)
        keep = present > 0
        present, first_cell = present[keep], first_cell[keep]
        row, column = np.divmod(first_cell, columns)
        x = self.origin[0] + (column + 0.5) * self.size
        y = self.origin[1] + (row + 0.5) * self.size
        own_x, own_y = self.cells(x, y)
        doubtful = (own_x != column) | (own_y != row)
        if doubtful.any():  # such a region is left to the full predicates
            lookup = np.arange(count + 1)
            lookup[present[doubtful]] = 0
            regions = lookup[regions]
            present, x, y = present[~doubtful], x[~doubtful], y[~doubtful]
        point, zone = shapely.STRtree(self.zones).query(shapely.points(x, y))
        inside = shapely.contains_xy(self.zones[zone], x[point], y[point])
        self.regions = regions
        self.region_count = int(count)
        self.region_zones = (present[point[inside]], zone[inside].astype(np.intp))


def _merge_order(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``np.argsort(np.concatenate([first, second]), kind="stable")`` for two sorted arrays
    that share no value: each element's place is its rank in its own array plus the count of
    the other's elements before it (a merge, not a sort of a million rows).

    Examples
    --------
    >>> _merge_order(np.array([0, 3, 4]), np.array([1, 1, 2, 5])).tolist()
    [0, 3, 4, 5, 1, 2, 6]
    """
    place_first = np.arange(len(first)) + np.searchsorted(second, first)
    place_second = np.arange(len(second)) + np.searchsorted(first, second)
    order = np.empty(len(first) + len(second), dtype=np.intp)
    order[place_first] = np.arange(len(first))
    order[place_second] = len(first) + np.arange(len(second))
    return order


def _zone_pairs(
    parcels: Projection, zones: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(zone, parcel) positions of the parcels each zone covers, and of the zone/parcel pairs
    that meet without the zone covering the parcel; each sorted by zone, then parcel.

    A parcel whose bounding box meets no zone border lies wholly inside a zone or wholly
    outside it: a grid of cells marked along the borders (:class:`_BorderGrid`) settles it
    from the box alone, with no shapely object made for it — exactly, not approximately.
    Only the parcels near a border (a few in a hundred) are built and meet the full
    ``covers`` and ``intersects`` predicates.
    """
    n = parcels.size
    zone_wkb = shapely.to_wkb(zones)
    if n < _FEW_PARCELS:  # a few parcels: the full predicates cost less than the grid
        return _full_pairs(parcels.geometries(), zone_wkb)
    bounds = parcels.bounds()
    size = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    # cells about a parcel wide (fewer parcels near a border than with coarser cells), and
    # border boxes never more than about two per parcel (tiny parcels against long borders
    # would otherwise make millions)
    border = float(shapely.length(shapely.boundary(zones)).sum())
    step = max(float(np.nanmedian(size)), border / (2 * n))
    extent = ring_extent(bounds)  # the parcels' box: the grid need cover no more
    grid = _BorderGrid(zones, step, extent if np.isfinite(extent).all() else None)
    near, far_zone, far_pos = grid.settle(bounds)
    checked = np.flatnonzero(near)
    (near_zone, near_pos), (hit_zone, hit_pos) = _full_pairs(parcels.geometries(checked), zone_wkb)
    all_zone = np.concatenate([far_zone, near_zone])
    all_pos = np.concatenate([far_pos, checked[near_pos]])
    order = np.lexsort((all_pos, all_zone))
    hit_pos = checked[hit_pos]
    hits = np.lexsort((hit_pos, hit_zone))
    return (all_zone[order], all_pos[order]), (hit_zone[hits], hit_pos[hits])


def _full_pairs(
    parcels: np.ndarray, zone_wkb: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """:func:`_zone_pairs` by the zones' full predicates."""
    covering_zone, covered_pos = _overlay_query(parcels, zone_wkb, "covers")
    covered = np.zeros(len(parcels), dtype=bool)
    covered[covered_pos] = True
    rest = np.flatnonzero(~covered)
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
    mark = fresh_mark(out)
    projection = projected(original, source, target, mark)
    parcel_area = measure_m2(original, source, crs, mark)
    zone_geoms = project(np.asarray(zones.geometry.array), zones.crs, target)
    zone_names = zones[name].astype(str).to_numpy()
    zone_geoms = _disjoint_zones(zone_geoms, zone_names, overlap_tolerance_m2)
    shapely.prepare(zone_geoms)

    n = len(out)
    zone_of = np.full(n, -1, dtype=np.intp)
    result, share, areas = out, np.ones(n), parcel_area  # `out` is already our own copy
    pieces_valid = False
    if how == "centroid":
        points = shapely.point_on_surface(projection.geometries())
        point_pos, zone_pos = shapely.STRtree(zone_geoms).query(points, predicate="covered_by")
        hit, first_hit = np.unique(point_pos, return_index=True)
        zone_of[hit] = zone_pos[first_hit]
    else:
        stage("query")
        # parcels far from every border are settled by a point test; only those near one
        # meet the zones' full predicates (see _zone_pairs)
        (zone_pos, parcel_pos), (hit_zone, hit_pos) = _zone_pairs(projection, zone_geoms)
        zone_of[parcel_pos] = zone_pos
        stage("split crossing parcels")
        # only the crossing parcels are built and cut: positions among them, then back
        crossing = np.unique(hit_pos)
        piece_parcel, piece_zone, piece_geom, piece_area = _split_pieces(
            projection.geometries(crossing),
            zone_geoms,
            (hit_zone, np.searchsorted(crossing, hit_pos)),
            parcel_m2=parcel_area[crossing],
            sliver_m2=min_piece_m2,
        )
        piece_parcel = crossing[piece_parcel]
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
            order = _merge_order(whole, piece_parcel)
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
