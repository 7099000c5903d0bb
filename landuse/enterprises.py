"""亩均效益评价 (per-mu evaluation, "亩均论英雄"): enterprises on parcels, graded A–D.

The provincial evaluations (浙江 "亩均论英雄", 山东 "亩产效益" 评价) survey the enterprises one by
one, relate what they pay and produce to the land they use (1 亩 = 10000/15 m²), score each
indicator against all the enterprises evaluated, and class the enterprises A (优先发展) … D
(倒逼整治) by their rank. The D class is where low-efficiency land (低效用地) is redeveloped.

Data flow: :func:`read_enterprises` → :func:`per_mu` → :func:`per_mu_by` (per park, zone or
street), and ``classify(parcels, per_mu=graded)`` screens the parcels of D-class enterprises.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._errors import DuplicateIdError, InputError, MissingColumnError, format_ids, warn
from landuse._fields import FieldPreset, resolve_enterprise_preset
from landuse._permu import DEFAULT_GRADES, land_table
from landuse._validate import require_columns, require_crs
from landuse.areas import add_areas
from landuse.vocab import ENTERPRISE_LABELS, INDICATOR_LABELS, M2_PER_MU, PER_MU_INDICATORS, Lang

__all__ = [
    "DEFAULT_GRADE_SHARES",
    "DEFAULT_WEIGHTS",
    "ENTERPRISE_COLUMNS",
    "UnmatchedParcelWarning",
    "per_mu",
    "per_mu_by",
    "read_enterprises",
    "validate_enterprises",
]

#: Ledger figures of an enterprise (money in 万元, energy in 吨标煤, land in 亩).
ENTERPRISE_COLUMNS: tuple[str, ...] = (
    "tax",
    "revenue",
    "output",
    "value_added",
    "profit",
    "energy_tce",
    "rd_spend",
    "employees",
)
_NON_NEGATIVE = ("land_area_mu", "revenue", "output", "energy_tce", "rd_spend", "employees")

#: Default weights of the indicators (sum 1). They follow the structure of the provincial
#: schemes (浙江 "亩均论英雄", 山东 "亩产效益" 评价): 亩均税收 carries the largest weight,
#: then output per mu and per unit of energy, R&D intensity and labour productivity. Provinces
#: and cities publish their own weights (and add emissions per unit, which ledgers seldom
#: hold): pass yours as ``weights=``.
DEFAULT_WEIGHTS: dict[str, float] = {
    "tax_per_mu": 0.35,
    "revenue_per_mu": 0.15,
    "value_added_per_mu": 0.15,
    "value_added_per_tce": 0.15,
    "rd_intensity": 0.10,
    "labour_productivity": 0.10,
}

#: Default grade shares, best first: A the top 20 %, B the next 40 %, C the next 30 %, D the
#: bottom 10 % (DOMAIN.md: A ≤ 20 %, D ≥ 5 %; provinces set their own, e.g. D 5 %).
DEFAULT_GRADE_SHARES: dict[str, float] = {"A": 0.20, "B": 0.40, "C": 0.30, "D": 0.10}

_INDICATOR_INPUTS: dict[str, tuple[str, str]] = {
    "tax_per_mu": ("tax", "land_mu"),
    "revenue_per_mu": ("revenue", "land_mu"),
    "value_added_per_mu": ("value_added", "land_mu"),
    "value_added_per_tce": ("value_added", "energy_tce"),
    "rd_intensity": ("rd_spend", "revenue"),
    "labour_productivity": ("value_added", "employees"),
}

PathLike = str | os.PathLike[str]
Fields = str | FieldPreset | Mapping[str, str] | None
_UNIT_SUFFIX = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")
_NO_AREA = "⟂none⟂"  # stands for a missing area while grouping
_EXCEL = {".xlsx", ".xlsm", ".xls"}
_TEXT = {".csv", ".txt"}


class UnmatchedParcelWarning(UserWarning):
    """Enterprises name parcels that are not in the parcel inventory (they are kept)."""


# --- reading and validating --------------------------------------------------------------------


def _rename(frame: pd.DataFrame, fields: Fields) -> pd.DataFrame:
    preset = resolve_enterprise_preset(fields)
    if preset is None:
        return frame
    renames = preset.renames([str(c) for c in frame.columns])
    unmatched = [str(c) for c in frame.columns if c not in renames]
    # "实缴税金（万元）": a header with its unit in brackets
    stripped = preset.renames([_UNIT_SUFFIX.sub("", c) for c in unmatched])
    for column in unmatched:
        bare = _UNIT_SUFFIX.sub("", column)
        if bare in stripped and bare != column:
            renames[column] = stripped[bare]
    out = frame.rename(columns=renames)
    duplicated = out.columns[out.columns.duplicated()].tolist()
    if duplicated:
        raise InputError(
            f"several source columns map to {', '.join(map(str, duplicated))}; "
            "pass a fields= mapping that names one"
        )
    return out


def read_enterprises(
    path: PathLike,
    *,
    layer: str | None = None,
    fields: Fields = None,
    sheet: str | int = 0,
    encoding: str | None = None,
    parcels: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Read and validate an enterprise ledger (企业台账 of the 亩均效益评价).

    One row per enterprise and parcel it uses (and year): ``enterprise_id`` (统一社会信用代码),
    ``name``, ``parcel_id``, optional ``land_area_mu`` (its land on that parcel; without it the
    parcel's area is shared equally by the enterprises on it), ``year``, and the figures
    ``tax`` (实缴税金), ``revenue`` (营业收入), ``output`` (工业总产值), ``value_added``
    (工业增加值), ``profit`` (利润总额) in 万元, ``energy_tce`` (综合能耗, 吨标煤), ``rd_spend``
    (研发经费, 万元) and ``employees`` (从业人员). The figures are the enterprise's totals for the
    year, repeated on each of its parcel rows (or given on one of them).

    Parameters
    ----------
    path
        An Excel workbook (``.xlsx``), a CSV file, a table or layer of a GeoPackage (or any
        file OGR reads), or GeoParquet.
    layer
        Layer of a GeoPackage; default ``enterprises``.
    fields
        ``"cn-ledger"`` maps Chinese headers (企业名称, 统一社会信用代码, 地块编号, 用地面积,
        实缴税金, 营业收入, 工业增加值, 综合能耗, 研发经费, 从业人员, …, units in brackets
        allowed) and pinyin initials (TYSHXYDM, QYMC, DKBH, YDMJ); or a ``{source: canonical}``
        mapping. ``用地面积（平方米）`` is converted to 亩.
    sheet
        Worksheet of an Excel file.
    encoding
        Text encoding of a CSV file (default UTF-8, with or without BOM; else GB18030).
    parcels
        The parcel inventory: rows whose parcel is not in it are reported with an
        :class:`UnmatchedParcelWarning` (and kept).

    Returns
    -------
    pandas.DataFrame
        Canonical columns, numbers as floats, ``year`` as an integer where given.

    Raises
    ------
    landuse.InputError
        Naming the problem and the enterprises (or rows) at fault: no ``enterprise_id``,
        numbers that are not numbers, negative land, revenue, energy or staff, the same
        enterprise, parcel and year twice, or an enterprise's figures that differ between its
        rows of one year.

    Examples
    --------
    >>> import landuse as lu
    >>> ents = lu.read_enterprises(lu.datasets.get_path("west_coast"))
    >>> sorted(ents["year"].unique().tolist())
    [2020, 2021, 2022]
    >>> bool(ents["enterprise_id"].nunique() >= 2500)
    True
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in _EXCEL:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=object)
    elif suffix in _TEXT:
        frame = _read_csv(path, encoding)
    elif suffix in {".parquet", ".pq"}:
        frame = pd.read_parquet(path)
    else:
        import pyogrio

        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
        if layer is None:
            if "enterprises" in names:
                layer = "enterprises"
            elif len(names) == 1:
                layer = names[0]
            else:
                raise InputError(
                    f"{path.name} has no enterprises layer; pass layer= (it has {', '.join(names)})"
                )
        elif layer not in names:
            raise InputError(f"{path.name} has no layer {layer!r}; it has {', '.join(names)}")
        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    frame = pd.DataFrame(frame.drop(columns=["geometry"], errors="ignore"))
    out = validate_enterprises(_rename(frame, fields))
    if parcels is not None:
        _report_unmatched(out, _parcel_areas(parcels))
    return out


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    if encoding is not None:
        return pd.read_csv(path, dtype=object, encoding=encoding)
    try:
        return pd.read_csv(path, dtype=object, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return pd.read_csv(path, dtype=object, encoding="gb18030")


def _rows(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> list[str]:
    """Enterprise ids (or row numbers) of the rows at fault."""
    mask = np.asarray(mask, dtype=bool)
    if "enterprise_id" in frame.columns:
        ids = frame["enterprise_id"].to_numpy()[mask]
        labels = frame.index.to_numpy()[mask]
        return [
            str(i) if isinstance(i, str) and i.strip() else f"row {r}"
            for i, r in zip(ids, labels, strict=True)
        ]
    return [f"row {r}" for r in frame.index.to_numpy()[mask]]


def _id_text(values: pd.Series) -> pd.Series:
    """Ids as text: 370211000001.0 (Excel) → '370211000001'; blanks missing."""

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return text or None

    return values.astype(object).map(one).astype(object)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    raw = frame[column]
    text = raw.astype(object).map(
        lambda v: v.replace(",", "").replace("，", "").strip() if isinstance(v, str) else v
    )
    text = text.map(lambda v: None if isinstance(v, str) and v in ("", "-", "—", "/") else v)
    parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = parsed.isna() & text.notna()
    if bad.any():
        example = raw[bad].iloc[0]
        raise InputError(
            f"column {column!r} has values that are not numbers (e.g. {example!r})",
            _rows(frame, bad),
        )
    infinite = ~np.isfinite(parsed) & parsed.notna()
    if infinite.any():
        raise InputError(f"column {column!r} has infinite values", _rows(frame, infinite))
    return parsed


def validate_enterprises(enterprises: pd.DataFrame) -> pd.DataFrame:
    """Check an enterprise ledger and return a normalised copy (see :func:`read_enterprises`)."""
    if not isinstance(enterprises, pd.DataFrame):
        raise InputError(
            f"enterprises must be a pandas.DataFrame, got {type(enterprises).__name__}"
        )
    require_columns(
        enterprises, ("enterprise_id",), hint="the 统一社会信用代码 or another unique id"
    )
    out = pd.DataFrame(enterprises).copy()
    if isinstance(out, gpd.GeoDataFrame):
        out = pd.DataFrame(out.drop(columns=out.geometry.name))
    out["enterprise_id"] = _id_text(out["enterprise_id"])
    no_id = out["enterprise_id"].isna()
    if no_id.any():
        raise InputError("enterprises with no enterprise_id", _rows(out, no_id))
    out["parcel_id"] = (
        _id_text(out["parcel_id"])
        if "parcel_id" in out.columns
        else pd.Series(None, index=out.index, dtype=object)
    )
    if "name" in out.columns:
        out["name"] = out["name"].astype(object).where(out["name"].notna(), None)
    if "land_area_m2" in out.columns:
        m2 = _numbers(out, "land_area_m2")
        mu = m2 / M2_PER_MU
        out["land_area_mu"] = (
            mu if "land_area_mu" not in out.columns else _numbers(out, "land_area_mu").fillna(mu)
        )
        out = out.drop(columns="land_area_m2")
    for column in ("land_area_mu", *ENTERPRISE_COLUMNS):
        if column in out.columns:
            out[column] = _numbers(out, column)
    for column in _NON_NEGATIVE:
        if column in out.columns:
            negative = out[column] < 0
            if negative.any():
                raise InputError(f"column {column!r} must not be negative", _rows(out, negative))
    if "year" in out.columns:
        year = (
            out["year"]
            .astype(object)
            .map(lambda v: re.sub(r"\s*年\s*$", "", v.strip()) if isinstance(v, str) else v)
        )
        parsed = pd.to_numeric(year, errors="coerce")
        bad = (parsed.isna() & year.notna()) | (parsed.notna() & (parsed % 1 != 0))
        if bad.any():
            raise InputError(
                f"column 'year' has values that are not years (e.g. {out['year'][bad].iloc[0]!r})",
                _rows(out, bad),
            )
        out["year"] = parsed.astype("Int64")
    no_land = out["parcel_id"].isna() & (
        out["land_area_mu"].isna() if "land_area_mu" in out.columns else True
    )
    if np.asarray(no_land).any():
        warn(
            "enterprise rows with neither a parcel_id nor a land_area_mu (kept; their land and "
            f"per-mu indicators are unknown): {format_ids(_rows(out, no_land))}",
            UnmatchedParcelWarning,
        )
    key = ["enterprise_id", "parcel_id", *(["year"] if "year" in out.columns else [])]
    repeated = out.duplicated(key, keep=False) & out["parcel_id"].notna()
    if repeated.any():
        raise DuplicateIdError(
            f"the same {' / '.join(key)} on several rows",
            sorted(set(_rows(out, repeated))),
        )
    per = ["enterprise_id", *(["year"] if "year" in out.columns else [])]
    figures = [c for c in ENTERPRISE_COLUMNS if c in out.columns]
    if figures and out.duplicated(per).any():
        spread = out.groupby(per, dropna=False)[figures].nunique()
        conflicting = spread[(spread > 1).any(axis=1)]
        if not conflicting.empty:
            ids = conflicting.index.get_level_values(0).unique().tolist()
            columns = [c for c in figures if (conflicting[c] > 1).any()]
            raise InputError(
                f"an enterprise's {', '.join(columns)} differ between its rows of one year "
                "(give the enterprise's total on each row, or on one row only)",
                ids,
            )
    return out


# --- land per enterprise -----------------------------------------------------------------------


def _parcel_areas(parcels: gpd.GeoDataFrame) -> pd.Series:
    """Area (亩) per parcel_id, measured by add_areas (pieces of one parcel summed)."""
    require_crs(parcels)
    require_columns(parcels, ("parcel_id",))
    measured = parcels if "area_mu" in parcels.columns else add_areas(parcels)
    ids = _id_text(measured["parcel_id"])
    return pd.Series(measured["area_mu"].to_numpy(dtype=float), index=ids).groupby(level=0).sum()


def _report_unmatched(enterprises: pd.DataFrame, areas: pd.Series) -> pd.Series:
    rows = enterprises["parcel_id"].notna() & ~enterprises["parcel_id"].isin(areas.index)
    if rows.any():
        pairs = [
            f"{e} ({p})"
            for e, p in zip(
                enterprises.loc[rows, "enterprise_id"],
                enterprises.loc[rows, "parcel_id"],
                strict=True,
            )
        ]
        warn(
            f"{int(rows.sum())} enterprise row(s) name a parcel that is not in the inventory "
            "(kept; their land is the stated land_area_mu, else unknown): " + format_ids(pairs),
            UnmatchedParcelWarning,
        )
    return rows


def land_shares(enterprises: pd.DataFrame, areas: pd.Series) -> pd.Series:
    """Land (亩) of each enterprise row: its ``land_area_mu``, else an equal share of what the
    stated land leaves of its parcel's area among the rows on that parcel without one.

    Without stated land the shares of a parcel add up to its area exactly. Rows whose parcel
    is not in ``areas`` and that state no land get a missing value.
    """
    stated = (
        enterprises["land_area_mu"]
        if "land_area_mu" in enterprises.columns
        else pd.Series(np.nan, index=enterprises.index)
    )
    parcel = enterprises["parcel_id"]
    area = parcel.map(areas).astype(float)
    open_rows = stated.isna() & area.notna()
    stated_sum = stated.groupby(parcel).transform("sum")
    left = (area - stated_sum.fillna(0.0)).clip(lower=0.0)
    n_open = open_rows.groupby(parcel).transform("sum")
    share = left / n_open.where(n_open > 0)
    over = stated_sum > area * (1 + 1e-6)
    if (over & open_rows).any():
        warn(
            "stated land_area_mu exceeds the area of parcel(s) "
            f"{format_ids(sorted(set(parcel[over & open_rows])))}: the other enterprises on "
            "them get no land",
            UserWarning,
        )
    return stated.where(stated.notna(), share.where(open_rows))


# --- the evaluation ----------------------------------------------------------------------------


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    chosen = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(chosen) - set(PER_MU_INDICATORS))
    if unknown:
        raise InputError(
            f"unknown indicator(s) in weights: {', '.join(unknown)}; known: "
            f"{', '.join(PER_MU_INDICATORS)}"
        )
    values = np.array(list(chosen.values()), dtype=float)
    if not len(values) or (values < 0).any() or not np.isfinite(values).all() or values.sum() <= 0:
        raise InputError("weights must be non-negative numbers with a positive sum")
    return {k: float(v) for k, v in chosen.items() if v > 0}


def _check_grades(grades: Mapping[str, float] | None) -> dict[str, float]:
    """Grade shares, best first. A mapping naming only some of A–D keeps those shares and
    splits what is left among the others in proportion to their defaults (``{"D": 0.05}``)."""
    given = dict(DEFAULT_GRADE_SHARES if grades is None else grades)
    if given and set(given) < set(DEFAULT_GRADE_SHARES):
        rest = [g for g in DEFAULT_GRADE_SHARES if g not in given]
        left = 1.0 - sum(float(v) for v in given.values())
        scale = left / sum(DEFAULT_GRADE_SHARES[g] for g in rest)
        given = {
            g: float(given[g]) if g in given else DEFAULT_GRADE_SHARES[g] * scale
            for g in DEFAULT_GRADE_SHARES
        }
    values = np.array(list(given.values()), dtype=float)
    if len(values) < 2 or (values < 0).any() or abs(values.sum() - 1.0) > 1e-9:
        raise InputError(
            "grades must map at least two grade names, best first, to shares that add up to 1 "
            f"(e.g. {DEFAULT_GRADE_SHARES}); got {dict(grades or {})}"
        )
    return {str(k): float(v) for k, v in given.items()}


def score_indicators(values: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Indicator scores in 0..1 and the weighted total in 0..100.

    Each indicator is scored against the population by its percentile among the enterprises
    that report it: the k-th lowest of n scores k/n (ties share their mean rank), so the best
    scores 1. An enterprise lacking the indicator scores 0, below every one that reports it.
    """
    scores = pd.DataFrame(index=values.index)
    for indicator in weights:
        column = values[indicator]
        reported = column.notna()
        n = int(reported.sum())
        rank = column.rank(method="average", ascending=True)
        scores[indicator] = (rank / n).where(reported, 0.0) if n else 0.0
    total = sum(scores[k] * w for k, w in weights.items()) / sum(weights.values())
    scores["score"] = 100 * total
    return scores


def grade_by_rank(rank: pd.Series, shares: Mapping[str, float]) -> pd.Series:
    """Grades from ranks (1 = best): the first grade takes ranks up to round(share × n), the
    next up to round((its share + the previous) × n), and so on (halves round up)."""
    n = len(rank)
    names = list(shares)
    bounds = np.floor(np.cumsum(list(shares.values())) * n + 0.5 + 1e-9)
    bounds[-1] = n
    index = np.searchsorted(bounds, rank.to_numpy(dtype=float), side="left")
    return pd.Series(np.asarray(names, dtype=object)[np.minimum(index, len(names) - 1)], rank.index)


_REASONS = {
    "zh": {
        "rank": "综合得分 {score:.1f}，第 {rank}/{n} 名，前 {top:.0%}",
        "floor": "{label} {value:.2f} 低于底线 {limit:g}，定为 {worst} 类",
        "no_floor": "{label} 未报送，底线无法核对",
        "missing": "未报送：{fields}",
        "sep": "；",
    },
    "en": {
        "rank": "score {score:.1f}, rank {rank} of {n}, top {top:.0%}",
        "floor": "{label} {value:.2f} below the floor {limit:g}: grade {worst}",
        "no_floor": "{label} not reported: floor not checked",
        "missing": "not reported: {fields}",
        "sep": "; ",
    },
}


def per_mu(
    enterprises: pd.DataFrame,
    parcels: gpd.GeoDataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    grades: Mapping[str, float] | None = None,
    floors: Mapping[str, float] | None = None,
    year: int | None = None,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """亩均效益评价: per-mu indicators, score, rank and grade of each enterprise.

    1. **Land** (``land_mu``): the sum over the enterprise's parcels of its ``land_area_mu``
       where the ledger states it, else an equal share of the parcel's area (measured by
       :func:`landuse.add_areas` in the right Gauss-Krüger zone, never in degrees) among the
       enterprises on it that state none. The shares of a parcel add up to its area.
    2. **Indicators**: ``tax_per_mu`` (亩均税收), ``revenue_per_mu`` (亩均营业收入),
       ``value_added_per_mu`` (亩均增加值), all 万元/亩; ``value_added_per_tce`` (单位能耗增加值,
       万元/吨标煤); ``rd_intensity`` (研发经费投入强度 = R&D ÷ revenue); ``labour_productivity``
       (全员劳动生产率 = value added ÷ employees, 万元/人).
    3. **Score** (0–100): each indicator scored against the population by its percentile among
       the enterprises that report it (the best 1, the k-th lowest of n k/n); weighted by
       ``weights``. An indicator an enterprise lacks scores 0 — below every enterprise that
       reports it — and is named in ``missing``.
    4. **Rank** (1 = best; ties share the better rank) and **grade** by rank share: by default
       A the top 20 %, B the next 40 %, C the next 30 %, D the bottom 10 %. ``floors`` are hard
       limits: an enterprise below one is graded D whatever its rank.

    Parameters
    ----------
    enterprises
        An enterprise ledger (see :func:`read_enterprises`); validated here too.
    parcels
        The parcel inventory, for the land of enterprises that state none (``parcel_id``,
        polygons with a CRS). Pieces of a parcel (after ``assign_zones``) are summed.
    weights
        ``{indicator: weight}``; default :data:`DEFAULT_WEIGHTS` (亩均税收 0.35, 亩均营业收入,
        亩均增加值 and 单位能耗增加值 0.15 each, 研发强度 and 劳动生产率 0.10 each). Indicators
        left out are not scored (they are still computed).
    grades
        ``{grade: share}`` best first, shares adding up to 1; default
        :data:`DEFAULT_GRADE_SHARES` ``{"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1}``. Naming only
        some of A–D (``{"A": 0.1, "D": 0.05}``) keeps the others' proportions for the rest.
    floors
        ``{indicator: minimum}``, e.g. ``{"tax_per_mu": 5}`` (亩均税收 below 5 万元/亩 is D).
        Default none.
    year
        The year evaluated; default the latest year of the ledger (the rows of other years are
        not used).
    lang
        Language of ``reason``.

    Returns
    -------
    pandas.DataFrame
        One row per ``enterprise_id``, best first: ``name``, ``year``, ``parcels`` (count),
        ``land_mu``, the ledger figures, the six indicators, ``score``, ``rank``, ``grade``,
        ``missing`` (the indicators it lacks, comma-separated, ``""`` when none),
        ``missing_fields`` (the ledger fields behind them it did not report; ``land_mu`` when
        its land is unknown), ``unmatched_parcels`` (parcels not in the inventory), ``land_by_parcel``
        (``{parcel_id: 亩}``, used by :func:`per_mu_by`, ``classify`` and ``parcel_map``) and
        ``reason``.

    Warns
    -----
    UnmatchedParcelWarning
        Enterprises on parcels that are not in the inventory (kept; land from
        ``land_area_mu`` when stated, else unknown and their per-mu indicators missing).

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> graded = lu.per_mu(lu.read_enterprises(path), lu.read_parcels(path), year=2021)
    >>> graded["grade"].value_counts().sort_index().index.tolist()
    ['A', 'B', 'C', 'D']
    >>> bool(graded["rank"].is_monotonic_increasing)
    True
    """
    if lang not in _REASONS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    chosen_weights = _check_weights(weights)
    shares = _check_grades(grades)
    limits = dict(floors or {})
    unknown = sorted(set(limits) - set(PER_MU_INDICATORS))
    if unknown:
        raise InputError(f"unknown indicator(s) in floors: {', '.join(unknown)}")
    ents = validate_enterprises(enterprises)
    chosen_year: int | None
    if "year" in ents.columns and ents["year"].notna().any():
        available = sorted(int(y) for y in ents["year"].dropna().unique())
        chosen_year = available[-1] if year is None else int(year)
        if chosen_year not in available:
            raise InputError(
                f"no enterprise rows for year {chosen_year}; the ledger has "
                f"{', '.join(map(str, available))}"
            )
        ents = ents[ents["year"] == chosen_year]
    else:
        chosen_year = year
    areas = _parcel_areas(parcels)
    unmatched_rows = _report_unmatched(ents, areas)
    ents = ents.assign(_land=land_shares(ents, areas))

    figures = [c for c in ENTERPRISE_COLUMNS if c in ents.columns]
    grouped = ents.groupby("enterprise_id", sort=False)
    table = pd.DataFrame(index=pd.Index(grouped.size().index, name="enterprise_id"))
    table["name"] = (
        grouped["name"].first() if "name" in ents.columns else pd.Series(None, index=table.index)
    )
    table["year"] = chosen_year
    table["parcels"] = grouped["parcel_id"].count()
    unknown_land = grouped["_land"].apply(lambda v: bool(v.isna().any()))
    table["land_mu"] = grouped["_land"].sum(min_count=1).where(~unknown_land)
    for column in ENTERPRISE_COLUMNS:
        table[column] = grouped[column].first() if column in figures else np.nan
    land = table["land_mu"].where(table["land_mu"] > 0)
    for indicator, (top, bottom) in _INDICATOR_INPUTS.items():
        denominator = land if bottom == "land_mu" else table[bottom].where(table[bottom] > 0)
        table[indicator] = table[top] / denominator

    scores = score_indicators(table, chosen_weights)
    table["score"] = scores["score"].round(6)
    table["rank"] = table["score"].rank(method="min", ascending=False).astype(int)
    table["grade"] = grade_by_rank(table["rank"], shares)
    worst = list(shares)[-1]

    words = _REASONS[lang]
    labels = INDICATOR_LABELS[lang]
    notes: dict[str, list[str]] = {eid: [] for eid in table.index}
    n = len(table)
    for eid, score, rank in zip(table.index, table["score"], table["rank"], strict=True):
        notes[eid].append(words["rank"].format(score=score, rank=rank, n=n, top=rank / n))
    for indicator, limit in limits.items():
        value = table[indicator]
        below = value < limit
        table.loc[below, "grade"] = worst
        label = labels[indicator].split("（")[0].split(" (")[0]
        for eid in table.index[below]:
            notes[eid].append(
                words["floor"].format(label=label, value=value[eid], limit=limit, worst=worst)
            )
        for eid in table.index[value.isna()]:
            notes[eid].append(words["no_floor"].format(label=label))

    # what each enterprise did not report
    needed = ["land_mu", "tax", "revenue", "value_added", "energy_tce", "rd_spend", "employees"]
    lacking = table[needed].isna()
    lacking["land_mu"] = lacking["land_mu"] | table["land_mu"].eq(0)
    table["missing_fields"] = [
        ", ".join(c for c, flag in zip(needed, flags, strict=True) if flag)
        for flags in lacking.itertuples(index=False)
    ]
    absent = table[list(PER_MU_INDICATORS)].isna()
    table["missing"] = [
        ", ".join(c for c, flag in zip(PER_MU_INDICATORS, flags, strict=True) if flag)
        for flags in absent.itertuples(index=False)
    ]
    field_labels = ENTERPRISE_LABELS[lang]
    joiner = "、" if lang == "zh" else ", "
    for eid, text in zip(table.index, table["missing_fields"], strict=True):
        if text:
            shown = joiner.join(
                field_labels.get(f, f).split("（")[0].split(" (")[0] for f in text.split(", ")
            )
            notes[eid].append(words["missing"].format(fields=shown))
    strays = ents.loc[unmatched_rows].groupby("enterprise_id")["parcel_id"].agg(", ".join)
    table["unmatched_parcels"] = strays.reindex(table.index).fillna("")
    table["land_by_parcel"] = (
        ents[ents["parcel_id"].notna()]
        .groupby("enterprise_id", sort=False)
        .apply(  # type: ignore[call-overload]
            lambda g: {
                p: (None if pd.isna(v) else float(v))
                for p, v in zip(g["parcel_id"], g["_land"], strict=True)
            },
            include_groups=False,
        )
        .reindex(table.index)
        .map(lambda d: d if isinstance(d, dict) else {})
    )
    table["reason"] = [words["sep"].join(notes[eid]) for eid in table.index]
    order = [
        "name",
        "year",
        "parcels",
        "land_mu",
        *ENTERPRISE_COLUMNS,
        *PER_MU_INDICATORS,
        "score",
        "rank",
        "grade",
        "missing",
        "missing_fields",
        "unmatched_parcels",
        "land_by_parcel",
        "reason",
    ]
    table = table[order].reset_index()
    table = table.sort_values(["rank", "enterprise_id"], kind="stable").reset_index(drop=True)
    table.attrs["grades"] = list(shares)
    table.attrs["grade_shares"] = dict(shares)
    return table


# --- per area ------------------------------------------------------------------------------------


def _area_of_parcels(
    parcels: gpd.GeoDataFrame, by: str, areas: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    """(parcel_id, area value, share of the parcel) rows."""
    require_crs(parcels)
    require_columns(parcels, ("parcel_id",))
    frame = parcels
    if by not in frame.columns:
        if areas is None:
            raise MissingColumnError(
                f"parcels have no {by!r} column; add it, or pass areas= (polygons with name) "
                "to give each parcel the area holding its representative point"
            )
        require_crs(areas, "areas")
        require_columns(areas, ("name",))
        points = gpd.GeoDataFrame(
            {"row": np.arange(len(frame))},
            geometry=frame.geometry.representative_point().to_numpy(),
            crs=frame.crs,
        )
        joined = gpd.sjoin(
            points, areas[["name", areas.geometry.name]].to_crs(frame.crs), predicate="within"
        )
        joined = joined.drop_duplicates("row")
        values = pd.Series(None, index=np.arange(len(frame)), dtype=object)
        values[joined["row"].to_numpy()] = joined["name"].to_numpy()
        frame = frame.assign(**{by: values.to_numpy()})
    ids = _id_text(frame["parcel_id"])
    if ids.duplicated().any():  # pieces of parcels (assign_zones how="split"): share by area
        measured = frame if "area_mu" in frame.columns else add_areas(frame)
        area = pd.Series(measured["area_mu"].to_numpy(dtype=float), index=frame.index)
        share = area / area.groupby(ids.to_numpy()).transform("sum").to_numpy()
    else:
        share = pd.Series(1.0, index=frame.index)
    value = frame[by].astype(object).where(frame[by].notna(), None)
    return pd.DataFrame(
        {"parcel_id": ids.to_numpy(), "area": value.to_numpy(), "share": share.to_numpy()}
    )


def per_mu_by(
    graded: pd.DataFrame,
    parcels: gpd.GeoDataFrame,
    *,
    by: str,
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """The evaluation per park, zone or street.

    Each enterprise counts in every area that holds some of its land; its figures are spread
    over those areas in proportion to its land there (all of it to one area in the usual
    case). The last row (area missing) holds the enterprises outside every area or on parcels
    not in the inventory.

    Parameters
    ----------
    graded
        A :func:`per_mu` table.
    parcels
        Parcels with ``parcel_id`` and the ``by`` column (e.g. ``park`` — the bundled sample's
        parcels carry it —, ``zone`` after :func:`landuse.assign_zones`, or a street column).
        Pieces of parcels split across zones share their parcel's land by area.
    by
        The parcel column naming the areas.
    areas
        Polygons with ``name`` (e.g. the ``parks`` layer): when the parcels lack ``by``, each
        parcel gets the area holding its representative point.

    Returns
    -------
    pandas.DataFrame
        Indexed by area: ``enterprises``, ``land_mu``, ``tax``, ``revenue`` (and ``output``,
        ``value_added``, ``profit``, ``profit_tax`` where the ledger has them), ``tax_per_mu``,
        ``revenue_per_mu`` (and ``output_per_mu``), and the count of enterprises per grade
        (``A`` … ``D``). Per-mu values count only enterprises whose land is known.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> parcels = lu.read_parcels(path)
    >>> graded = lu.per_mu(lu.read_enterprises(path), parcels, year=2021)
    >>> parks = lu.per_mu_by(graded, parcels, by="park")
    >>> int(parks.loc["中电光谷", "enterprises"]) >= 1900
    True
    >>> round(float(parks.loc["中电光谷", "output"]) / 1e4)  # 亿元
    100
    """
    if not isinstance(by, str):
        raise InputError("by must name one parcel column, e.g. 'park' or 'zone'")
    require_columns(graded, ("enterprise_id", "grade", "land_mu"), hint="make it with lu.per_mu")
    long = land_table(graded)
    where = _area_of_parcels(parcels, by, areas)
    joined = long.merge(where, on="parcel_id", how="left")
    joined["share"] = joined["share"].fillna(1.0)
    joined["land"] = joined["land_mu"] * joined["share"]
    # share of each enterprise's land in each area (equal per parcel row when land unknown)
    known = joined.groupby("enterprise_id")["land"].transform(lambda v: v.notna().all())
    total = joined.groupby("enterprise_id")["land"].transform("sum")
    rows_of = joined.groupby("enterprise_id")["share"].transform("sum")
    joined["fraction"] = np.where(
        known & (total > 0), joined["land"] / total.where(total > 0), joined["share"] / rows_of
    )
    joined["known"] = known
    # enterprises without any parcel row are outside every area
    rest = graded.loc[~graded["enterprise_id"].isin(joined["enterprise_id"]), ["enterprise_id"]]
    if len(rest):
        joined = pd.concat(
            [
                joined,
                rest.assign(
                    area=None,
                    fraction=1.0,
                    land=graded.set_index("enterprise_id")
                    .loc[rest["enterprise_id"], "land_mu"]
                    .to_numpy(),
                    known=False,
                ),
            ],
            ignore_index=True,
        )
    money = [
        c for c in ("tax", "revenue", "output", "value_added", "profit") if c in graded.columns
    ]
    per_enterprise = graded.set_index("enterprise_id")
    for column in [*money, "grade"]:
        joined[column] = joined["enterprise_id"].map(per_enterprise[column])
    joined["area"] = joined["area"].astype(object).where(joined["area"].notna(), None)
    key = joined["area"].fillna(_NO_AREA)
    combined = (
        joined.assign(_key=key)
        .groupby(["_key", "enterprise_id"], sort=False)
        .agg(
            land=("land", lambda v: v.sum(min_count=1)),
            fraction=("fraction", "sum"),
            known=("known", "all"),
            grade=("grade", "first"),
            **{c: (c, "first") for c in money},
        )
        .reset_index()
    )
    for column in money:
        combined[column] = combined[column] * combined["fraction"]
    grouped = combined.groupby("_key", sort=True)
    out = pd.DataFrame({"enterprises": grouped["enterprise_id"].nunique()})
    out["land_mu"] = grouped["land"].sum()
    for column in money:
        out[column] = grouped[column].sum(min_count=1)
    if "profit" in money and "tax" in money:
        out["profit_tax"] = out["profit"] + out["tax"]
    known_rows = combined[combined["known"] & (combined["land"] > 0)].groupby("_key")
    land_known = known_rows["land"].sum().reindex(out.index)
    for column in ("tax", "revenue", "output"):
        if column in money:
            numerator = known_rows[column].sum().reindex(out.index)
            out[f"{column}_per_mu"] = numerator / land_known.where(land_known > 0)
    order = graded.attrs.get("grades") or [
        g for g in DEFAULT_GRADES if g in set(graded["grade"])
    ] + sorted(set(map(str, graded["grade"].dropna())) - set(DEFAULT_GRADES))
    counts = combined.pivot_table(
        index="_key", columns="grade", values="enterprise_id", aggfunc="nunique"
    )
    for grade in order:
        out[grade] = (
            counts[grade].reindex(out.index).fillna(0).astype(int) if grade in counts.columns else 0
        )
    index = [None if k == _NO_AREA else k for k in out.index]
    out.index = pd.Index(index, name=by, dtype=object)
    named = out[out.index.notna()]
    return pd.concat([named, out[out.index.isna()]]) if out.index.isna().any() else named
