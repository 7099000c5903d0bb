"""Input checks shared by every public function.

Each check either returns a cleaned *copy* or raises an :class:`~landuse._errors.InputError`
naming the rows at fault. Nothing here mutates the caller's frame.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from landuse import _parallel
from landuse._cache import fingerprint, lookup, remember
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
)
from landuse.vocab import CATEGORIES

__all__ = [
    "DATE_COLUMNS",
    "NUMERIC_COLUMNS",
    "RATIO_COLUMNS",
    "UndatedDisposalWarning",
    "as_date",
    "nonfinite_rows",
    "off_earth_rows",
    "require_columns",
    "require_crs",
    "require_finite",
    "validate_parcels",
    "validate_polygons",
    "validate_zones",
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


_VALID = "valid polygons"

# The dates that must come before a disposal: one cannot dispose of what was not yet approved.
_DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("approval_date", "supply_date"),
    ("approval_date", "disposal_date"),
    ("supply_date", "disposal_date"),
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


def off_earth_rows(geoms: np.ndarray, crs: object) -> np.ndarray:
    """Mask of geometries in a geographic CRS with a longitude beyond ±180° or latitude ±90°."""
    if crs is None or not CRS.from_user_input(crs).is_geographic:
        return np.zeros(len(geoms), dtype=bool)
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        return (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(
            axis=1
        )


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


def validate_polygons(
    gdf: gpd.GeoDataFrame, *, what: str = "parcels", id_column: str | None = "parcel_id"
) -> gpd.GeoDataFrame:
    """Check that every geometry is a non-empty polygon; repair invalid ones.

    Invalid polygons are repaired with :func:`shapely.make_valid`, keeping the polygonal part,
    and a warning names them. Returns a copy (the input is never modified).
    """
    require_crs(gdf, what)
    geoms = gdf.geometry.array
    key = fingerprint(np.asarray(geoms))
    if lookup(key, _VALID):
        return gdf.copy(deep=False)
    missing = pd.isna(np.asarray(geoms, dtype=object))
    if missing.any():
        raise GeometryError(f"{what} with no geometry", _ids(gdf, missing, id_column))
    empty = _parallel.map_chunks(shapely.is_empty, np.asarray(geoms))
    if empty.any():
        raise GeometryError(f"{what} with an empty geometry", _ids(gdf, empty, id_column))
    nonfinite = nonfinite_rows(np.asarray(geoms))
    if nonfinite.any():
        raise GeometryError(
            f"{what} with NaN or infinite coordinates (GEOS cannot use them)",
            _ids(gdf, nonfinite, id_column),
        )
    outside = off_earth_rows(np.asarray(geoms), gdf.crs)
    if outside.any():
        raise GeometryError(
            f"{what} with coordinates outside longitude ±180° / latitude ±90° "
            f"(is the CRS {gdf.crs.name} right?)",
            _ids(gdf, outside, id_column),
        )
    types = _parallel.map_chunks(shapely.get_type_id, np.asarray(geoms))
    polygonal = (types == 3) | (types == 6)
    if not polygonal.all():
        bad = ~polygonal
        kinds = sorted(set(gdf.geometry.geom_type[bad]))
        raise GeometryError(
            f"{what} must be Polygon or MultiPolygon, found {', '.join(kinds)}",
            _ids(gdf, bad, id_column),
        )
    out = gdf.copy(deep=False)
    invalid = ~_parallel.map_chunks(shapely.is_valid, np.asarray(geoms))
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
        warnings.warn(
            f"repaired {int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
            f"of {what} with make_valid (polygonal part kept): "
            f"{format_ids(_ids(gdf, invalid, id_column))}",
            UserWarning,
            stacklevel=3,
        )
        final = np.asarray(out.geometry.array)
        key = fingerprint(final)
    remember(np.asarray(out.geometry.array), key, _VALID, True)
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
) -> gpd.GeoDataFrame:
    """Validate a parcel inventory and return a normalised copy.

    Checks CRS, geometries (repairing invalid ones with a warning), ``parcel_id`` presence and
    uniqueness, categories, date and number columns, the order of ledger dates, and that a
    disposal method and its date come together.
    """
    require_crs(gdf, what)
    require_columns(gdf, ("parcel_id", *require))
    out = validate_polygons(gdf, what=what)

    ids = out["parcel_id"]
    no_id = ids.isna() | (ids.astype(str).str.strip() == "")
    if no_id.any():
        raise DuplicateIdError(f"{what} with no parcel_id", _ids(out, no_id, None))
    out["parcel_id"] = ids.astype(str)
    dup = out["parcel_id"].duplicated(keep=False)
    if dup.any():
        raise DuplicateIdError(
            "parcel_id must be unique; repeated", sorted(set(out.loc[dup, "parcel_id"]))
        )

    if "category" in out.columns:
        category = out["category"].astype("object").where(out["category"].notna(), None)
        unknown = category.notna() & ~category.isin(CATEGORIES)
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

    for earlier, later in _DATE_ORDER:
        if earlier in out.columns and later in out.columns:
            wrong = out[later] < out[earlier]
            if wrong.any():
                raise DateOrderError(f"{later} is before {earlier}", _ids(out, wrong, "parcel_id"))

    has_method = "disposal_method" in out.columns
    has_date = "disposal_date" in out.columns
    if has_method or has_date:
        method = out["disposal_method"] if has_method else pd.Series(None, index=out.index)
        method = method.astype("object").where(method.notna() & (method.astype(str) != ""), None)
        if has_method:
            out["disposal_method"] = method
        date = out["disposal_date"] if has_date else pd.Series(pd.NaT, index=out.index)
        undated = method.notna() & date.isna()
        if undated.any():
            # read what can be read: the row stays, its disposal does not count (API.md)
            warnings.warn(
                f"{int(undated.sum())} parcel(s) have a disposal_method but no disposal_date; "
                "they are kept and not counted as disposed: "
                f"{format_ids(_ids(out, undated, 'parcel_id'))}",
                UndatedDisposalWarning,
                stacklevel=3,
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
