"""Data-quality report of a parcel inventory: what is wrong, where, and by how much."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from landuse._dates import parse_dates
from landuse._errors import InputError
from landuse._landuse_codes import CODES_2007_TO_2017, GBT21010_2017, normalize_codes
from landuse._progress import stages
from landuse._tables import QualityReport
from landuse._validate import (
    DATE_COLUMNS,
    DATE_RULES,
    RATIO_COLUMNS,
    nonfinite_rows,
    off_earth_rows,
)
from landuse.areas import measure_m2, project
from landuse.rules import RuleWarning, classify
from landuse.vocab import CATEGORIES, DISPOSAL_METHODS, M2_PER_MU

__all__ = ["REPORT_COLUMNS", "SEVERITIES", "check"]

SEVERITIES = ("error", "warning", "info")
REPORT_COLUMNS = ("severity", "code", "parcel_id", "message", "value")
_AREA_UNITS = {"m2": 1.0, "mu": M2_PER_MU, "ha": 10_000.0}


class _Report:
    def __init__(self, ids: pd.Series) -> None:
        self.ids = ids
        self.rows: list[pd.DataFrame] = []

    def add(
        self, severity: str, code: str, mask: Any, message: str | pd.Series, value: Any = np.nan
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        n = int(mask.sum())
        values = np.asarray(value)[mask] if np.ndim(value) else np.full(n, value)
        messages = (
            np.asarray(message)[mask]
            if isinstance(message, pd.Series | np.ndarray)
            else [message] * n
        )
        self.rows.append(
            pd.DataFrame(
                {
                    "severity": severity,
                    "code": code,
                    "parcel_id": self.ids.to_numpy()[mask],
                    "message": messages,
                    "value": values,
                }
            )
        )

    def add_one(self, severity: str, code: str, message: str, value: Any = np.nan) -> None:
        self.rows.append(
            pd.DataFrame(
                [
                    {
                        "severity": severity,
                        "code": code,
                        "parcel_id": None,
                        "message": message,
                        "value": value,
                    }
                ]
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return QualityReport({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})
        out = pd.concat(self.rows, ignore_index=True)
        order = out["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
        out = out.assign(_order=order).sort_values(["_order", "code"], kind="stable")
        return QualityReport(out.drop(columns="_order").reset_index(drop=True))


def check(
    parcels: gpd.GeoDataFrame,
    *,
    zones: gpd.GeoDataFrame | None = None,
    overlap_tolerance_m2: float = 1.0,
    stated_area_unit: str = "m2",
    area_tolerance: float = 0.05,
    sliver_m2: float = 10.0,
    sliver_thinness: float = 0.05,
    as_of: Any = None,
    verbose: bool = False,
) -> pd.DataFrame:
    """Check an inventory and report every problem instead of stopping at the first.

    Reads anything :func:`landuse.read_raw` gives (the data need not pass validation).

    Checks: missing CRS; missing, empty, non-polygonal and invalid geometries; missing and
    duplicate ids; overlaps between parcels above ``overlap_tolerance_m2`` (area, and share of
    the smaller parcel); stated area (``stated_area`` in ``stated_area_unit``: ``"m2"``,
    ``"mu"`` or ``"ha"``) off the measured area by more than ``area_tolerance``; dates that are
    not dates or come in the wrong order (approval ≤ supply ≤ agreed start ≤ actual start ≤
    completion; a disposal after what it disposes); unknown categories and disposal methods;
    ratios outside 0–1; land-use codes outside GB/T 21010-2017 (2007 three-digit codes are
    reported with their 2017 class, integer codes that lost their leading zero with the code
    they are read as); parcels outside every zone; slivers (smaller than ``sliver_m2``, or
    thinner than ``sliver_thinness`` = 4πA/P²); disposal methods without a date (read, not
    counted as disposed).

    Undetermined parcels (``undetermined``: a rule applies but values it needs are missing,
    待核查) are reported as ``undetermined`` warnings with the fields they lack: the survey's
    work list. They come from the ``undetermined`` column of a classified inventory, or, with
    ``as_of``, from :func:`landuse.classify` run on the data as of that date (which also
    reports rules that cannot run for want of columns, ``rule_cannot_run``).

    Returns
    -------
    pandas.DataFrame
        ``severity`` (error, warning, info), ``code``, ``parcel_id``, ``message``, ``value``;
        errors first. Empty when all is well.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> report = lu.check(parcels)
    >>> int((report["severity"] == "error").sum())
    0
    >>> broken = parcels.head(3).copy()
    >>> broken.loc[2, "parcel_id"] = broken.loc[0, "parcel_id"]
    >>> lu.check(broken)[["severity", "code"]].drop_duplicates().values.tolist()
    [['error', 'duplicate_id']]
    """
    if not isinstance(parcels, gpd.GeoDataFrame):
        raise TypeError(f"check() takes a GeoDataFrame, not {type(parcels).__name__}")
    frame = parcels.reset_index(drop=True)
    ids = (
        frame["parcel_id"].astype(object)
        if "parcel_id" in frame.columns
        else pd.Series([f"row {i}" for i in range(len(frame))], dtype=object)
    )
    report = _Report(ids.where(ids.notna(), [f"row {i}" for i in range(len(frame))]))

    with stages("check", 4, verbose=verbose) as stage:
        stage("ids and geometry")
        _check_ids(frame, report)
        usable = _check_geometry(frame, report)
        stage("areas, overlaps, zones")
        _check_spatial(
            frame,
            usable,
            zones,
            report,
            overlap_tolerance_m2,
            stated_area_unit,
            area_tolerance,
            sliver_m2,
            sliver_thinness,
        )
        stage("dates")
        _check_dates(frame, report)
        stage("values")
        _check_values(frame, report)
        _check_undetermined(frame, report, as_of)
    return report.frame()


def _check_undetermined(frame: gpd.GeoDataFrame, report: _Report, as_of: Any) -> None:
    classified = frame
    if as_of is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                classified = classify(frame, as_of=as_of)
            except (InputError, ValueError):
                return  # the errors above say why the rules cannot run
        for warning in caught:
            if issubclass(warning.category, RuleWarning):
                report.add_one("warning", "rule_cannot_run", str(warning.message))
    if "undetermined" not in classified.columns:
        return
    flag = classified["undetermined"].fillna(False).astype(bool).to_numpy()
    reason = (
        classified["reason"].astype(str)
        if "reason" in classified.columns
        else pd.Series("待核查", index=classified.index)
    )
    report.add("warning", "undetermined", flag, reason.reset_index(drop=True))


def _check_spatial(
    frame: gpd.GeoDataFrame,
    usable: np.ndarray,
    zones: gpd.GeoDataFrame | None,
    report: _Report,
    *options: Any,
) -> None:
    if frame.crs is None:
        report.add_one(
            "error",
            "missing_crs",
            "the data have no CRS: areas, overlaps and zones are not checked",
        )
    elif usable.any():
        _check_areas(frame, usable, zones, report, *options)


def _check_ids(frame: gpd.GeoDataFrame, report: _Report) -> None:
    if "parcel_id" not in frame.columns:
        report.add_one("error", "missing_column", "no parcel_id column (map one with fields=)")
        return
    ids = frame["parcel_id"]
    missing = ids.isna() | (ids.astype(str).str.strip() == "")
    report.add("error", "missing_id", missing, "parcel without an id")
    duplicated = ids.duplicated(keep=False) & ~missing
    counts = ids.map(ids.value_counts())
    report.add("error", "duplicate_id", duplicated, "parcel_id repeated", counts)


def _check_geometry(frame: gpd.GeoDataFrame, report: _Report) -> np.ndarray:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    missing = pd.isna(geoms)
    report.add("error", "missing_geometry", missing, "no geometry")
    present = ~missing
    empty = np.zeros(len(geoms), bool)
    empty[present] = shapely.is_empty(geoms[present])
    report.add("error", "empty_geometry", empty, "empty geometry")
    types = np.full(len(geoms), -1)
    types[present] = shapely.get_type_id(geoms[present])
    polygonal = (types == 3) | (types == 6)
    names = pd.Series(frame.geometry.geom_type, dtype=object)
    report.add(
        "error",
        "not_polygon",
        present & ~empty & ~polygonal,
        "geometry is not a polygon: " + names.fillna("").astype(str),
    )
    nonfinite = np.zeros(len(geoms), bool)
    nonfinite[present] = nonfinite_rows(geoms[present])
    report.add("error", "nonfinite_coordinates", nonfinite, "NaN or infinite coordinates")
    off_earth = np.zeros(len(geoms), bool)
    off_earth[present & ~nonfinite] = off_earth_rows(geoms[present & ~nonfinite], frame.crs)
    report.add(
        "error", "off_earth", off_earth, "coordinates beyond longitude ±180° / latitude ±90°"
    )
    usable = present & ~empty & polygonal & ~nonfinite & ~off_earth
    invalid = np.zeros(len(geoms), bool)
    invalid[usable] = ~shapely.is_valid(geoms[usable])
    reasons = pd.Series("", index=frame.index, dtype=object)
    reasons[invalid] = shapely.is_valid_reason(geoms[invalid])
    report.add(
        "warning",
        "invalid_geometry",
        invalid,
        "invalid geometry (read_parcels repairs it with make_valid): " + reasons,
    )
    return np.asarray(usable, dtype=bool)


def _area_m2_function(frame: gpd.GeoDataFrame) -> Callable[[np.ndarray], np.ndarray]:
    return lambda geoms: measure_m2(geoms, frame.crs)


def _check_areas(
    frame: gpd.GeoDataFrame,
    usable: np.ndarray,
    zones: gpd.GeoDataFrame | None,
    report: _Report,
    overlap_tolerance_m2: float,
    stated_area_unit: str,
    area_tolerance: float,
    sliver_m2: float,
    sliver_thinness: float,
) -> None:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    good = np.flatnonzero(usable)
    if good.size == 0:  # nothing measurable (an empty inventory, or every geometry reported)
        return
    valid_geoms = geoms[good].copy()
    broken = ~shapely.is_valid(valid_geoms)
    valid_geoms[broken] = shapely.make_valid(valid_geoms[broken])
    area_m2 = _area_m2_function(frame.iloc[good])
    area = np.full(len(frame), np.nan)
    area[good] = area_m2(valid_geoms)

    # Interiors overlap when the parcels, shrunk by 1 cm, still intersect: a prepared
    # `intersects` query, far cheaper than `overlaps` on a fabric where every parcel touches
    # its neighbours, and it finds containment too.
    inset = 1e-7 if frame.crs.is_geographic else 0.01
    shrunk = shapely.buffer(valid_geoms, -inset, join_style="mitre")
    pairs = shapely.STRtree(shrunk).query(shrunk, predicate="intersects")
    left, right = pairs[:, pairs[0] < pairs[1]]
    if len(left):
        shared = area_m2(shapely.intersection(valid_geoms[left], valid_geoms[right]))
        big = shared > overlap_tolerance_m2
        smaller = np.minimum(area[good][left], area[good][right])
        for a, b, s, small in zip(left[big], right[big], shared[big], smaller[big], strict=True):
            mask = np.zeros(len(frame), bool)
            mask[good[a]] = True
            report.add(
                "warning",
                "overlap",
                mask,
                f"overlaps {report.ids.iloc[good[b]]} by {s:,.1f} m² "
                f"({s / small:.1%} of the smaller parcel)",
                s,
            )

    if "stated_area" in frame.columns:
        if stated_area_unit not in _AREA_UNITS:
            raise InputError(f"stated_area_unit must be one of {', '.join(_AREA_UNITS)}")
        stated = (
            pd.to_numeric(frame["stated_area"], errors="coerce").to_numpy()
            * _AREA_UNITS[stated_area_unit]
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            relative = (stated - area) / area
        off = np.abs(relative) > area_tolerance
        report.add(
            "warning",
            "area_mismatch",
            off,
            pd.Series(
                [
                    f"stated area differs from the measured {m:,.0f} m² by {r:+.1%}"
                    for m, r in zip(area, relative, strict=True)
                ]
            ),
            relative,
        )

    perimeter = np.full(len(frame), np.nan)
    perimeter[good] = shapely.length(valid_geoms)
    with np.errstate(invalid="ignore", divide="ignore"):
        # thinness is scale-free, so measuring the perimeter in the data's units is enough
        native = np.full(len(frame), np.nan)
        native[good] = shapely.area(valid_geoms)
        thinness = 4 * np.pi * native / perimeter**2
    sliver = (area < sliver_m2) | (thinness < sliver_thinness)
    report.add(
        "warning",
        "sliver",
        sliver,
        pd.Series(
            [f"sliver: {a:,.1f} m², thinness {t:.3f}" for a, t in zip(area, thinness, strict=True)]
        ),
        area,
    )

    if zones is not None and zones.crs is not None and len(zones):
        zone_geoms = project(np.asarray(zones.geometry.array), zones.crs, frame.crs)
        hits = shapely.STRtree(zone_geoms).query(valid_geoms, predicate="intersects")[0]
        outside = np.ones(len(frame), bool)
        outside[good[np.unique(hits)]] = False
        report.add("warning", "outside_zones", outside & usable, "parcel lies outside every zone")


def _check_dates(frame: gpd.GeoDataFrame, report: _Report) -> None:
    today = pd.Timestamp.today().normalize()
    dates: dict[str, pd.Series] = {}
    for column in DATE_COLUMNS:
        if column in frame.columns:
            parsed, bad = parse_dates(frame[column])
            report.add(
                "error", "not_a_date", bad, f"{column} is not a date: " + frame[column].astype(str)
            )
            future = (parsed > today).to_numpy()
            report.add(
                "warning",
                "future_date",
                future,
                f"{column} is after today (a typo? it does not count until then): "
                + parsed.dt.strftime("%Y-%m-%d"),
            )
            dates[column] = parsed
    for earlier, later, severity, code, words, _ in DATE_RULES:
        if earlier in dates and later in dates:
            wrong = (dates[later] < dates[earlier]).to_numpy()
            days = (dates[earlier] - dates[later]).dt.days
            report.add(severity, code, wrong, f"{words} ({later} < {earlier})", days)
    if "disposal_method" in frame.columns:
        method = frame["disposal_method"].where(frame["disposal_method"].notna(), None)
        date = dates.get("disposal_date", pd.Series(pd.NaT, index=frame.index))
        report.add(
            "error",
            "undated_disposal",
            method.notna() & date.isna(),
            "disposal method without a disposal date (read, not counted as disposed)",
        )


def _check_values(frame: gpd.GeoDataFrame, report: _Report) -> None:
    category = (
        frame["category"] if "category" in frame.columns else pd.Series(None, index=frame.index)
    )
    known = category.isna() | category.isin(CATEGORIES)
    report.add("error", "unknown_category", ~known, "unknown category: " + category.astype(str))
    if "disposal_method" in frame.columns:
        method = frame["disposal_method"]
        allowed = category.map(lambda c: DISPOSAL_METHODS.get(c, ()))
        wrong = (
            method.notna()
            & category.isin(CATEGORIES)
            & ~pd.Series([m in a for m, a in zip(method, allowed, strict=True)], index=frame.index)
        )
        report.add(
            "error",
            "unknown_method",
            wrong,
            "disposal method not known for its category: " + method.astype(str),
        )
    for column in RATIO_COLUMNS:
        if column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            report.add(
                "error",
                "ratio_range",
                (values < 0) | (values > 1),
                f"{column} outside 0–1 (a percentage?)",
                values,
            )
    if "land_use_code" in frame.columns:
        code = frame["land_use_code"].astype(object).where(frame["land_use_code"].notna(), None)
        text = code.map(lambda c: str(c).strip().upper() if c is not None else None)
        old = text.isin(list(CODES_2007_TO_2017))
        report.add(
            "info",
            "land_use_code_2007",
            old,
            "GB/T 21010-2007 code "
            + text.astype(str)
            + " ≈ 2017 class "
            + text.map(CODES_2007_TO_2017).astype(str),
        )
        read_as = normalize_codes(code)
        padded = text.notna() & ~old & (read_as != text) & read_as.isin(list(GBT21010_2017))
        report.add(
            "info",
            "land_use_code_padded",
            padded,
            "land-use code "
            + text.astype(str)
            + " lost its leading zero: read as "
            + read_as.astype(str),
        )
        old |= padded
        unknown = text.notna() & ~old & ~text.isin(list(GBT21010_2017))
        report.add(
            "warning",
            "unknown_land_use_code",
            unknown,
            "land-use code not in GB/T 21010-2017: " + text.astype(str),
        )
