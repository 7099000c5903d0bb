"""Tabular ledgers (台账): Excel or CSV files with Chinese headers, joined to geometries."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._dates import parse_dates
from landuse._errors import DateOrderError, InputError, MissingColumnError, format_ids
from landuse._fields import FieldPreset, resolve_preset
from landuse._validate import DATE_COLUMNS, UndatedDisposalWarning, validate_parcels
from landuse.io import EncodingWarning

__all__ = ["join_ledger", "read_ledger"]

PathLike = str | os.PathLike[str]


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    if encoding is not None:
        return pd.read_csv(path, dtype=object, encoding=encoding)
    try:
        return pd.read_csv(path, dtype=object, encoding="utf-8-sig")
    except UnicodeDecodeError:
        warnings.warn(
            f"{path.name} is not UTF-8; reading it as GB18030 (GBK), as Excel on Chinese Windows "
            "saves CSV (pass encoding= to choose)",
            EncodingWarning,
            stacklevel=4,
        )
        return pd.read_csv(path, dtype=object, encoding="gb18030")


def _clean_id(value: Any) -> Any:
    """Excel turns 370211000001 into 370211000001.0; ids are text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_ledger(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    fields: str | FieldPreset | dict[str, str] | None = "cn-ledger",
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a ledger (台账) from Excel (.xlsx/.xls) or CSV into canonical columns.

    Headers are mapped by ``fields`` (default ``"cn-ledger"``: 地块编号 → ``parcel_id``, 批准时间
    → ``approval_date``, …; Chinese categories and disposal methods → ids). Dates are parsed
    from ISO, 2022年6月30日, 2022.6.30, 20220630 and Excel serial numbers; a value that is not
    a date is an error naming the rows. CSV files that are not UTF-8 are read as GB18030
    with a warning. A row with a disposal method but no disposal date is read, with a
    warning naming it; :func:`landuse.check` reports it and it does not count as disposed.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "台账.csv"
    >>> pd.DataFrame({"地块编号": ["A1"], "批准时间": ["2021年3月5日"], "处置方式": ["收回"],
    ...               "处置时间": ["2022.5.1"], "类别": ["闲置土地"]}).to_csv(path, index=False)
    >>> ledger = read_ledger(path)
    >>> ledger.loc[0, ["parcel_id", "category", "disposal_method"]].tolist()
    ['A1', 'supplied_unused', 'recovered']
    >>> ledger.loc[0, "approval_date"]
    Timestamp('2021-03-05 00:00:00')
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
    elif suffix in {".csv", ".txt"}:
        frame = _read_csv(path, encoding)
    else:
        raise InputError(f"cannot read a ledger from {path.name}: use .xlsx, .xls or .csv")
    frame.columns = [str(c).strip() for c in frame.columns]
    preset = resolve_preset(fields)
    if preset is not None:
        frame = preset.translate_values(frame.rename(columns=preset.renames(list(frame.columns))))
    if "parcel_id" not in frame.columns:
        raise MissingColumnError(
            f"{path.name} has no parcel id column (地块编号 / DKBH); columns: "
            f"{', '.join(map(str, frame.columns))}"
        )
    frame["parcel_id"] = frame["parcel_id"].map(_clean_id)
    for column in DATE_COLUMNS:
        if column in frame.columns:
            parsed, bad = parse_dates(frame[column])
            if bad.any():
                raise DateOrderError(
                    f"{path.name}: column {column!r} has values that are not dates "
                    f"(e.g. {frame.loc[bad, column].iloc[0]!r})",
                    frame.loc[bad, "parcel_id"],
                )
            frame[column] = parsed
    if "disposal_method" in frame.columns:
        method = frame["disposal_method"]
        given = method.notna() & (method.astype(str).str.strip() != "")
        date = (
            frame["disposal_date"]
            if "disposal_date" in frame.columns
            else pd.Series(pd.NaT, index=frame.index)
        )
        undated = given & date.isna()
        if undated.any():
            warnings.warn(
                f"{path.name}: {int(undated.sum())} row(s) have a disposal method (处置方式) but "
                "no disposal date (处置时间); they are read, and not counted as disposed: "
                f"{format_ids(frame.loc[undated, 'parcel_id'])}",
                UndatedDisposalWarning,
                stacklevel=2,
            )
    return frame


def join_ledger(
    geometries: gpd.GeoDataFrame, ledger: pd.DataFrame, *, on: str = "parcel_id"
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Join a ledger to parcel geometries by id; report every id that does not pair up.

    Returns
    -------
    inventory : geopandas.GeoDataFrame
        The parcels found on both sides, validated; ledger values win where both sides have
        a column.
    report : pandas.DataFrame
        One row per id left out: ``parcel_id``, ``problem`` (``"no ledger row"``,
        ``"no geometry"``, ``"repeated in ledger"``, ``"repeated in geometries"``, ``"no id"``).
        Every input row is either in ``inventory`` or in ``report``.

    Examples
    --------
    >>> import landuse as lu, pandas as pd
    >>> shapes = lu.read_parcels(lu.datasets.get_path("west_coast"))[["parcel_id", "geometry"]].head(3)
    >>> ledger = pd.DataFrame({"parcel_id": [shapes.parcel_id.iloc[0], "X9"], "name": ["甲", "乙"]})
    >>> inventory, report = lu.join_ledger(shapes, ledger)
    >>> len(inventory), sorted(report["problem"])
    (1, ['no geometry', 'no ledger row', 'no ledger row'])
    """
    for frame, what in ((geometries, "geometries"), (ledger, "ledger")):
        if on not in frame.columns:
            raise MissingColumnError(f"{what} have no {on!r} column")
    left = geometries.assign(**{on: geometries[on].map(_clean_id)})
    right = ledger.assign(**{on: ledger[on].map(_clean_id)})
    problems = []
    for frame, what in ((left, "geometries"), (right, "ledger")):
        missing = frame[on].isna()
        problems += [(None, "no id", f"{what} row {i}") for i in np.flatnonzero(missing)]
        repeated = frame[on].duplicated(keep=False) & ~missing
        problems += [(i, f"repeated in {what}", "") for i in sorted(set(frame.loc[repeated, on]))]
    usable_left = left[left[on].notna() & ~left[on].duplicated(keep=False)]
    usable_right = right[right[on].notna() & ~right[on].duplicated(keep=False)]
    only_left = sorted(set(usable_left[on]) - set(usable_right[on]))
    only_right = sorted(set(usable_right[on]) - set(usable_left[on]))
    problems += [(i, "no ledger row", "") for i in only_left]
    problems += [(i, "no geometry", "") for i in only_right]
    shared = [c for c in usable_right.columns if c in usable_left.columns and c != on]
    joined = usable_left.drop(columns=shared).merge(usable_right, on=on, how="inner")
    inventory = gpd.GeoDataFrame(joined, geometry=geometries.geometry.name, crs=geometries.crs)
    report = pd.DataFrame(problems, columns=[on, "problem", "detail"])
    return validate_parcels(inventory), report
