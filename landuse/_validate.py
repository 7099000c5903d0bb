"""Input checks shared by every public function.

Each check either returns a cleaned *copy* or raises an :class:`~landuse._errors.InputError`
naming the rows at fault. Nothing here mutates the caller's frame.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from landuse import _parallel
from landuse._dates import parse_dates, two_digit_year
from landuse._errors import (
    DateOrderError,
    DisposalMethodError,
    DuplicateIdError,
    GeometryError,
    InputError,
    MissingColumnError,
    MissingCRSError,
    UnknownCategoryError,
    ZoneError,
    format_ids,
    warn,
)
from landuse._projection import Projection
from landuse._rings import Rings
from landuse.vocab import CATEGORIES

__all__ = [
    "DATE_COLUMNS",
    "DATE_RULES",
    "MARK",
    "NUMERIC_COLUMNS",
    "RATIO_COLUMNS",
    "DateRule",
    "Inspection",
    "UndatedDisposalWarning",
    "Validated",
    "as_date",
    "fresh_mark",
    "inspect",
    "mark_validated",
    "nonfinite_rows",
    "off_earth_rows",
    "require_columns",
    "require_crs",
    "require_finite",
    "validate_parcels",
    "validate_polygons",
    "validate_zones",
    "validated",
]

DATE_COLUMNS: tuple[str, ...] = (
    "approval_date",
    "supply_date",
    "delivery_date",
    "agreed_start_date",
    "actual_start_date",
    "agreed_completion_date",
    "actual_completion_date",
    "stopped_date",
    "disposal_date",
)
RATIO_COLUMNS: tuple[str, ...] = ("developed_ratio", "invested_ratio", "building_coverage")
NUMERIC_COLUMNS: tuple[str, ...] = (
    *RATIO_COLUMNS,
    "far",
    "tax_per_mu",
    "output_per_mu",
    "stated_area",
    "land_price",
)
_POLYGONAL = {"Polygon", "MultiPolygon"}


class UndatedDisposalWarning(UserWarning):
    """A disposal method without a date: the row is read, the disposal does not count."""


MARK = "landuse"  # the key of the mark in ``gdf.attrs``


class Validated(str):
    """The mark a validated frame carries in ``gdf.attrs["landuse"]``: later steps trust it.

    It holds the geometry objects that were checked, so it vouches for a frame only while that
    frame still holds *those same objects* (shapely geometries are immutable; replacing one —
    even in place — or reordering, filtering or concatenating rows breaks the match, and the
    next step checks again). Being held, the objects' ids cannot be reused by others.

    It also keeps the projections of those geometries that steps computed (``projections``),
    so ``add_areas`` then ``assign_zones`` project once, and the flat coordinates of the plain
    polygons among them (``rings``: from the reader, or taken once when first needed). All of it lives and dies with the frame
    and its copies: there is no module-level cache.

    It is a ``str`` so that ``attrs`` stays JSON-serialisable (GeoParquet writes ``attrs`` as
    JSON); copies share it (pandas deep-copies ``attrs`` on every operation) and a pickled or
    written frame carries only the text, so it is checked again when read back.
    """

    geoms: np.ndarray
    ids: np.ndarray
    crs: CRS
    kind: str
    projections: dict[tuple[str, str], Any]
    rings: Rings | None
    bounds: np.ndarray | None

    def __new__(cls, geoms: np.ndarray, crs: Any, kind: str) -> Validated:
        mark = super().__new__(cls, f"validated {kind}")
        mark.geoms = np.array(geoms, dtype=object, copy=True)
        mark.ids = _object_ids(mark.geoms)
        mark.crs = CRS.from_user_input(crs)
        mark.kind = kind
        mark.projections = {}
        mark.rings = None
        mark.bounds = None
        return mark

    def source_rings(self) -> Rings:
        """The plain polygons' coordinates, as the geometries hold them (taken once)."""
        if self.rings is None:
            self.rings = Rings.of(self.geoms)
        return self.rings

    def source_bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) per geometry (taken once)."""
        if self.bounds is None:
            rings = self.rings
            if rings is not None and rings.complete:
                self.bounds = rings.bounds()
            else:
                self.bounds = np.asarray(_parallel.map_chunks(shapely.bounds, self.geoms))
        return self.bounds

    def __deepcopy__(self, memo: dict[int, Any]) -> Validated:
        return self

    def __copy__(self) -> Validated:
        return self

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return (str, (str(self),))

    def vouches_for(self, gdf: gpd.GeoDataFrame) -> bool:
        geoms = np.asarray(gdf.geometry.array)
        return (
            len(geoms) == len(self.geoms)
            and gdf.crs is not None
            and self.crs.equals(CRS.from_user_input(gdf.crs))
            and bool(np.array_equal(_object_ids(geoms), self.ids))
        )


def _object_ids(geoms: np.ndarray) -> np.ndarray:
    """The addresses of the objects an object array holds (what ``id`` gives in CPython),
    read from the array's own buffer of pointers: a copy of 8 bytes per row, no Python loop."""
    geoms = np.ascontiguousarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0, dtype=np.uintp)
    pointers = (ctypes.c_size_t * len(geoms)).from_address(geoms.ctypes.data)
    return np.frombuffer(memoryview(pointers), dtype=np.uintp).copy()


def validated(
    gdf: gpd.GeoDataFrame, kinds: Iterable[str] = ("polygons", "pieces")
) -> Validated | None:
    """The frame's mark when it still vouches for the frame (and is of one of ``kinds``)."""
    mark = gdf.attrs.get(MARK)
    if isinstance(mark, Validated) and mark.kind in tuple(kinds) and mark.vouches_for(gdf):
        return mark
    return None


def fresh_mark(checked: gpd.GeoDataFrame) -> Validated:
    """The mark of a frame :func:`validate_polygons` just returned (it vouches: no re-check)."""
    mark = checked.attrs[MARK]
    assert isinstance(mark, Validated)
    return mark


def mark_validated(gdf: gpd.GeoDataFrame, kind: str = "polygons") -> Validated:
    """Mark ``gdf`` (our own copy, never the caller's frame) as checked; return the mark."""
    mark = Validated(np.asarray(gdf.geometry.array), gdf.crs, kind)
    gdf.attrs = {**gdf.attrs, MARK: mark}
    return mark


class DateRule(NamedTuple):
    """Two ledger dates that come in this order (the later may be missing)."""

    earlier: str
    later: str
    severity: str  # how landuse.check reports a breach: error, warning or info
    code: str
    words: str
    refused: bool = False  # reading refuses the inventory (one cannot dispose of unapproved land)


#: The one table of date order: validation refuses the ``refused`` rules, ``check`` reports all.
DATE_RULES: tuple[DateRule, ...] = (
    DateRule(
        "approval_date",
        "supply_date",
        "error",
        "date_order",
        "supplied before it was approved",
        True,
    ),
    DateRule(
        "supply_date", "agreed_start_date", "warning", "date_order", "agreed start before supply"
    ),
    DateRule(
        "supply_date",
        "actual_start_date",
        "warning",
        "date_order",
        "construction started before supply (未供先用)",
    ),
    # legal, but worth knowing when reading start dates
    DateRule(
        "agreed_start_date",
        "actual_start_date",
        "info",
        "early_start",
        "started before the agreed start",
    ),
    DateRule(
        "actual_start_date",
        "actual_completion_date",
        "error",
        "date_order",
        "completed before it started",
    ),
    DateRule(
        "approval_date",
        "disposal_date",
        "error",
        "date_order",
        "disposed before it was approved",
        True,
    ),
    DateRule(
        "supply_date",
        "disposal_date",
        "error",
        "date_order",
        "disposed before it was supplied",
        True,
    ),
)


def as_date(value: object, name: str = "as_of") -> pd.Timestamp:
    """Parse a date argument, or raise an :class:`InputError` naming it."""
    hint = " (write the year in full)" if two_digit_year(value) else ""
    problem = InputError(f"{name} must be a date such as '2021-12-31', not {value!r}{hint}")
    if isinstance(value, str):
        # the ledger's rules: 2022年6月30日 and 2022.6.30 are dates, 22-6-30 is not
        parsed, bad = parse_dates(pd.Series([value], dtype=object))
        if bool(bad.iloc[0]) or pd.isna(parsed.iloc[0]):
            raise problem
        return pd.Timestamp(parsed.iloc[0])
    try:
        day = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise problem from None
    if pd.isna(day):
        raise problem
    return day.tz_localize(None) if day.tzinfo is not None else day


def require_crs(gdf: gpd.GeoDataFrame, what: str = "parcels") -> None:
    """Raise :class:`MissingCRSError` when ``gdf`` has no CRS."""
    if not isinstance(gdf, gpd.GeoDataFrame | gpd.GeoSeries):
        raise InputError(f"{what} must be a geopandas.GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise MissingCRSError(
            f"{what} have no CRS; set it with .set_crs(...) — CGCS2000 is EPSG:4490, "
            "its 3-degree Gauss-Krüger zones EPSG:4513–4554"
        )


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, hint: str = "") -> None:
    """Raise :class:`MissingColumnError` naming every absent column."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        suffix = f" ({hint})" if hint else ""
        raise MissingColumnError(f"missing column(s) {', '.join(missing)}{suffix}")


def _ids(gdf: pd.DataFrame, mask: np.ndarray | pd.Series, id_column: str | None) -> list[object]:
    mask = np.asarray(mask, dtype=bool)
    if id_column and id_column in gdf.columns:
        return list(gdf.loc[mask, id_column])
    return [f"row {i}" for i in np.flatnonzero(mask)]


def nonfinite_rows(geoms: np.ndarray) -> np.ndarray:
    """Mask of geometries with a NaN or infinite x or y coordinate."""

    def chunk_mask(chunk: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(chunk), dtype=bool)
        if np.isfinite(shapely.get_coordinates(chunk)).all():
            return mask  # the usual case: no row index needed
        coords, row = shapely.get_coordinates(chunk, return_index=True)
        bad = ~np.isfinite(coords).all(axis=1)
        mask[row[bad]] = True
        return mask

    return np.asarray(_parallel.map_chunks(chunk_mask, np.asarray(geoms)), dtype=bool)


def off_earth_rows(geoms: np.ndarray, crs: object, bounds: np.ndarray | None = None) -> np.ndarray:
    """Mask of geometries in a geographic CRS with a longitude beyond ±180° or latitude ±90°
    (``bounds``: the geometries' bounds when known, read without GEOS)."""
    if crs is None or not CRS.from_user_input(crs).is_geographic:
        return np.zeros(len(geoms), dtype=bool)
    if bounds is None:
        bounds = np.asarray(_parallel.map_chunks(shapely.bounds, geoms))
    with np.errstate(invalid="ignore"):
        outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1)
        return np.asarray(outside | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1), dtype=bool)


def require_finite(gdf: gpd.GeoDataFrame, what: str = "parcels") -> None:
    """Refuse NaN/inf coordinates (naming the rows) where a full validation is not wanted."""
    geoms = np.asarray(gdf.geometry.array)
    present = ~pd.isna(geoms)
    bad = np.zeros(len(geoms), dtype=bool)
    bad[present] = nonfinite_rows(geoms[present])
    if bad.any():
        id_column = "parcel_id" if "parcel_id" in gdf.columns else "name"
        raise GeometryError(
            f"{what} with NaN or infinite coordinates (GEOS cannot use them)",
            _ids(gdf, bad, id_column),
        )


class Inspection(NamedTuple):
    """The per-geometry facts validation needs, taken where the geometries were made (the
    reader takes them row group by row group, while other row groups are still parsed)."""

    geoms: np.ndarray  # the very objects inspected
    empty: np.ndarray
    types: np.ndarray
    valid: np.ndarray
    rings: Rings | None  # their coordinates, where the reader had them
    # (source CRS, the plain polygons in the zone add_areas measures them in), where the
    # reader projected them while building the geometries
    projected: tuple[CRS, Projection] | None = None
    # (minx, miny, maxx, maxy) per geometry, where known without ``rings`` (the reader keeps
    # the bounds, not the coordinates, of what it projected)
    bounds: np.ndarray | None = None

    def source_bounds(self) -> np.ndarray | None:
        """Bounds per geometry from the coordinates, where every geometry has them."""
        if self.bounds is not None:
            return self.bounds
        if self.rings is not None and self.rings.complete:
            return self.rings.bounds()
        return None

    def describes(self, geoms: np.ndarray) -> bool:
        """Whether this inspection is of exactly these geometry objects."""
        return len(geoms) == len(self.geoms) and bool(
            np.array_equal(_object_ids(geoms), _object_ids(self.geoms))
        )


def inspect(
    geoms: np.ndarray, rings: Rings | None = None, convex: np.ndarray | None = None
) -> Inspection:
    """Inspect ``geoms``, of which ``rings`` are the plain polygons (taken when not given;
    ``convex``: their :meth:`Rings.convex`, when already known).

    A plain polygon that is certainly convex is valid without asking GEOS (see
    :meth:`Rings.convex`): GEOS's validity check is the costliest step of reading.
    """
    geoms = np.asarray(geoms, dtype=object)
    if rings is None:
        rings = Rings.of(geoms)
    if convex is None:
        convex = rings.convex()
    empty, types = _parallel.map_chunks(
        lambda chunk: (shapely.is_empty(chunk), shapely.get_type_id(chunk)), geoms
    )
    valid = np.zeros(len(geoms), dtype=bool)
    valid[rings.rows[convex]] = True
    doubtful = np.flatnonzero(~valid)
    valid[doubtful] = _parallel.map_chunks(shapely.is_valid, geoms[doubtful], heavy=True)
    return Inspection(geoms, empty, types, valid, rings)


def validate_polygons(
    gdf: gpd.GeoDataFrame,
    *,
    what: str = "parcels",
    id_column: str | None = "parcel_id",
    inspection: Inspection | None = None,
) -> gpd.GeoDataFrame:
    """Check that every geometry is a non-empty polygon; repair invalid ones.

    Invalid polygons are repaired with :func:`shapely.make_valid`, keeping the polygonal part,
    and a warning names them. Returns a copy (the input is never modified). ``inspection``:
    the facts the reader already took of these geometries (ignored unless it describes
    exactly the frame's geometry objects).
    """
    require_crs(gdf, what)
    if validated(gdf) is not None:
        return gdf.copy(deep=False)
    geoms = gdf.geometry.array
    if inspection is None or not inspection.describes(np.asarray(geoms)):
        inspection = inspect(np.asarray(geoms))  # the per-geometry facts the checks need
    _, empty, types, valid, rings, _, _ = inspection
    bounds = inspection.source_bounds()
    missing = types < 0  # shapely's type of a missing geometry: -1
    if missing.any():
        raise GeometryError(f"{what} with no geometry", _ids(gdf, missing, id_column))
    if empty.any():
        raise GeometryError(f"{what} with an empty geometry", _ids(gdf, empty, id_column))
    # GEOS calls a NaN or infinite coordinate invalid: only invalid geometries can have one
    nonfinite = np.zeros(len(geoms), dtype=bool)
    nonfinite[~valid] = nonfinite_rows(np.asarray(geoms)[~valid])
    if nonfinite.any():
        raise GeometryError(
            f"{what} with NaN or infinite coordinates (GEOS cannot use them)",
            _ids(gdf, nonfinite, id_column),
        )
    outside = off_earth_rows(np.asarray(geoms), gdf.crs, bounds)
    if outside.any():
        raise GeometryError(
            f"{what} with coordinates outside longitude ±180° / latitude ±90° "
            f"(is the CRS {gdf.crs.name} right?)",
            _ids(gdf, outside, id_column),
        )
    polygonal = (types == 3) | (types == 6)
    if not polygonal.all():
        bad = ~polygonal
        kinds = sorted(set(gdf.geometry.geom_type[bad]))
        raise GeometryError(
            f"{what} must be Polygon or MultiPolygon, found {', '.join(kinds)}",
            _ids(gdf, bad, id_column),
        )
    out = gdf.copy(deep=False)
    invalid = ~valid
    if invalid.any():
        repaired = _polygonal_part(shapely.make_valid(geoms[invalid]))
        lost = shapely.is_empty(repaired)
        if lost.any():
            rows = np.flatnonzero(invalid)[lost]
            mask = np.zeros(len(gdf), dtype=bool)
            mask[rows] = True
            raise GeometryError(
                f"{what} whose invalid geometry has no area once repaired",
                _ids(gdf, mask, id_column),
            )
        values = out.geometry.array.copy()
        values[invalid] = repaired
        out[out.geometry.name] = values
        warn(
            f"repaired {int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
            f"of {what} with make_valid (polygonal part kept): "
            f"{format_ids(_ids(gdf, invalid, id_column))}",
            UserWarning,
        )
    mark = mark_validated(out)
    if not invalid.any():  # repaired geometries have new coordinates
        mark.rings = rings
        mark.bounds = bounds
        if inspection.projected is not None:
            source, projection = inspection.projected
            if CRS.from_user_input(out.crs).equals(source):
                mark.projections[(source.to_wkt(), projection.crs.to_wkt())] = projection
                # projected already: the source coordinates are not needed again (another
                # CRS would take them anew), their memory is
                mark.rings = None
    return out


def _polygonal_part(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of each geometry (make_valid may add lines and points)."""
    out = np.empty(len(geoms), dtype=object)
    for i, geom in enumerate(geoms):  # only the few repaired geometries pass through here
        if geom.geom_type in _POLYGONAL:
            out[i] = geom
            continue
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
        out[i] = shapely.union_all(parts) if parts else shapely.Polygon()
    return out


def _labels(values: pd.Series, *, blank_is_missing: bool = False) -> pd.Series:
    """A column of a few distinct labels as Python objects, missing as ``None``.

    Each distinct label is one object shared by its rows (a million rows of three categories
    hold three strings, not a million), read through ``factorize``: quicker and far smaller
    than ``astype(object)`` on Arrow strings.
    """
    codes, uniques = pd.factorize(values)
    labels = np.empty(len(uniques) + 1, dtype=object)  # the last one: missing
    labels[:-1] = pd.Index(uniques).to_numpy(dtype=object)
    if blank_is_missing:
        labels[:-1][[str(label) == "" for label in labels[:-1]]] = None
    return pd.Series(labels[codes], index=values.index, dtype=object, name=values.name)


def _to_datetime(df: pd.DataFrame, column: str, id_column: str | None) -> pd.Series:
    parsed, bad = parse_dates(df[column])
    if bad.any():
        example = df[column][bad].iloc[0]
        hint = " (write the year in full, e.g. 2022-06-30)" if two_digit_year(example) else ""
        raise DateOrderError(
            f"column {column!r} has values that are not dates (e.g. {example!r}){hint}",
            _ids(df, bad, id_column),
        )
    return parsed


def _to_number(df: pd.DataFrame, column: str, id_column: str | None) -> pd.Series:
    values = df[column]
    parsed = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = parsed.isna() & values.notna()
    if bad.any():
        raise InputError(
            f"column {column!r} has values that are not numbers (e.g. {values[bad].iloc[0]!r})",
            _ids(df, bad, id_column),
        )
    if column in RATIO_COLUMNS:
        out_of_range = (parsed < 0) | (parsed > 1)
        if out_of_range.any():
            raise InputError(
                f"column {column!r} must be a ratio between 0 and 1 (divide percentages by 100)",
                _ids(df, out_of_range, id_column),
            )
    return parsed


def validate_parcels(
    gdf: gpd.GeoDataFrame,
    *,
    require: Sequence[str] = (),
    what: str = "parcels",
    inspection: Inspection | None = None,
) -> gpd.GeoDataFrame:
    """Validate a parcel inventory and return a normalised copy.

    Checks CRS, geometries (repairing invalid ones with a warning), ``parcel_id`` presence and
    uniqueness, categories, date and number columns, the order of ledger dates, and that a
    disposal method and its date come together.
    """
    require_crs(gdf, what)
    require_columns(gdf, ("parcel_id", *require))
    ids = gdf["parcel_id"]
    text_ids = ids.astype(str)
    # is_unique first: one hash pass, no row mask, when nothing repeats (the usual case);
    # Arrow hashes without the GIL, so the pool does it while the geometries are checked
    (unique_ids,) = _parallel.start([lambda: text_ids.is_unique])
    out = validate_polygons(gdf, what=what, inspection=inspection)

    no_id = ids.isna() | (text_ids.str.strip() == "")
    if no_id.any():
        raise DuplicateIdError(f"{what} with no parcel_id", _ids(out, no_id, None))
    out["parcel_id"] = text_ids
    pieces = fresh_mark(out).kind == "pieces" and "zone" in out.columns
    # pieces from assign_zones share their parcel's id, once per zone
    key = ["parcel_id", "zone"] if pieces else "parcel_id"
    unique = not pieces and unique_ids()
    dup = np.zeros(len(out), dtype=bool) if unique else out.duplicated(subset=key, keep=False)
    if dup.any():
        what_repeats = "parcel_id and zone" if pieces else "parcel_id"
        raise DuplicateIdError(
            f"{what_repeats} must be unique; repeated", sorted(set(out.loc[dup, "parcel_id"]))
        )

    if "category" in out.columns:
        given = out["category"]
        category = _labels(given)
        unknown = given.notna() & ~given.isin(CATEGORIES)  # on the source dtype: Arrow is quick
        if unknown.any():
            values = sorted(set(map(str, category[unknown])))
            raise UnknownCategoryError(
                f"unknown category {', '.join(map(repr, values))}; expected one of "
                f"{', '.join(CATEGORIES)}",
                _ids(out, unknown, "parcel_id"),
            )
        out["category"] = category

    for column in DATE_COLUMNS:
        if column in out.columns:
            out[column] = _to_datetime(out, column, "parcel_id")
    for column in NUMERIC_COLUMNS:
        if column in out.columns:
            out[column] = _to_number(out, column, "parcel_id")

    for rule in DATE_RULES:
        earlier, later = rule.earlier, rule.later
        if rule.refused and earlier in out.columns and later in out.columns:
            wrong = out[later] < out[earlier]
            if wrong.any():
                raise DateOrderError(f"{later} is before {earlier}", _ids(out, wrong, "parcel_id"))

    has_method = "disposal_method" in out.columns
    has_date = "disposal_date" in out.columns
    if has_method or has_date:
        method = out["disposal_method"] if has_method else pd.Series(None, index=out.index)
        method = _labels(method, blank_is_missing=True)
        if has_method:
            out["disposal_method"] = method
        date = out["disposal_date"] if has_date else pd.Series(pd.NaT, index=out.index)
        undated = method.notna() & date.isna()
        if undated.any():
            # read what can be read: the row stays, its disposal does not count (API.md)
            warn(
                f"{int(undated.sum())} parcel(s) have a disposal_method but no disposal_date; "
                "they are kept and not counted as disposed: "
                f"{format_ids(_ids(out, undated, 'parcel_id'))}",
                UndatedDisposalWarning,
            )
        orphan = date.notna() & method.isna()
        if orphan.any():
            raise DisposalMethodError(
                "disposal_date given without a disposal_method", _ids(out, orphan, "parcel_id")
            )
    return out


def validate_zones(zones: gpd.GeoDataFrame, *, name: str = "name") -> gpd.GeoDataFrame:
    """Validate a zones layer: CRS, polygonal geometry and a non-empty ``name`` per zone."""
    require_crs(zones, "zones")
    require_columns(zones, (name,), hint="pass name= to say which column names the zones")
    out = validate_polygons(zones, what="zones", id_column=name)
    unnamed = out[name].isna() | (out[name].astype(str).str.strip() == "")
    if unnamed.any():
        raise InputError("zones with no name", [f"row {i}" for i in np.flatnonzero(unnamed)])
    repeated = out[name].duplicated(keep=False)
    if repeated.any():
        raise ZoneError(
            "zone names must be unique (rates are keyed by name); merge the zones with "
            "dissolve(by=name) or rename them",
            sorted(set(out.loc[repeated, name].astype(str))),
        )
    return out
