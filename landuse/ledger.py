"""Tabular ledgers (台账): Excel or CSV files with Chinese headers, joined to geometries."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._dates import parse_dates, two_digit_year
from landuse._errors import (
    DateOrderError,
    InputError,
    MissingColumnError,
    SourceError,
    format_ids,
    warn,
)
from landuse._fields import FieldPreset, resolve_preset
from landuse._validate import (
    DATE_COLUMNS,
    NUMERIC_COLUMNS,
    UndatedDisposalWarning,
    validate_parcels,
)
from landuse.io import EncodingWarning

__all__ = ["join_ledger", "read_ledger"]

PathLike = str | os.PathLike[str]


_HEADER_SCAN = 10  # rows searched for the header: titles and merged group headers come first
_CANONICAL = frozenset(
    (
        *DATE_COLUMNS,
        *NUMERIC_COLUMNS,
        "parcel_id",
        "name",
        "category",
        "disposal_method",
        "batch_id",
        "land_use_code",
    )
)


def _known(cell: str, preset: FieldPreset | None) -> bool:
    return cell in _CANONICAL or (preset is not None and bool(preset.renames([cell])))


def _text(value: Any) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and np.isnan(value))
        else str(value).strip()
    )


def _with_header(raw: pd.DataFrame, preset: FieldPreset | None, name: str) -> pd.DataFrame:
    """Find the header in the first rows (titles, two-row merged headers) and name the columns.

    The header is the row naming the most known fields; where its cell is blank (merged from
    above) or unknown, a known name from the rows above it is used. Columns that no preset
    name matches are kept under their own header and named in a warning.
    """
    scan = raw.head(_HEADER_SCAN).map(_text)
    scores = [sum(_known(c, preset) for c in row if c) for row in scan.to_numpy().tolist()]
    best = int(np.argmax(scores)) if scores and max(scores) > 0 else 0
    names: list[str] = []
    for column in range(raw.shape[1]):
        cells = [str(scan.iat[row, column]) for row in range(best, -1, -1)]
        known = [c for c in cells if c and _known(c, preset)]
        given = next((c for c in cells if c), "")
        names.append(known[0] if known else given or f"column {column + 1}")
    frame = raw.iloc[best + 1 :].reset_index(drop=True)
    frame.columns = names
    blank = (frame.map(_text) == "").all(axis=1)
    frame = frame[~blank.to_numpy()].reset_index(drop=True)  # blank lines field teams leave
    if preset is not None:
        unknown = [n for n in names if not _known(n, preset)]
        if unknown:
            shown = ", ".join(unknown[:12]) + (" …" if len(unknown) > 12 else "")
            header = f"row {best + 1}" + (" (with the rows above it)" if best else "")
            warn(
                f"{name}: header found in {header}; columns not recognised, kept as they are: "
                f"{shown} (map them with fields=)",
                UserWarning,
            )
    return frame


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    if encoding is not None:
        return pd.read_csv(path, dtype=object, encoding=encoding, header=None)
    try:
        return pd.read_csv(path, dtype=object, encoding="utf-8-sig", header=None)
    except UnicodeDecodeError:
        warn(
            f"{path.name} is not UTF-8; reading it as GB18030 (GBK), as Excel on Chinese Windows "
            "saves CSV (pass encoding= to choose)",
            EncodingWarning,
        )
        return pd.read_csv(path, dtype=object, encoding="gb18030", header=None)


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
    if suffix not in {".xlsx", ".xlsm", ".xls", ".csv", ".txt"}:
        raise InputError(f"cannot read a ledger from {path.name}: use .xlsx, .xls or .csv")
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name} is empty (0 bytes)")
    try:
        if suffix in {".csv", ".txt"}:
            raw = _read_csv(path, encoding)
        else:
            raw = pd.read_excel(
                path, sheet_name=0 if sheet is None else sheet, dtype=object, header=None
            )
    except (zipfile.BadZipFile, pd.errors.EmptyDataError, pd.errors.ParserError) as error:
        raise SourceError(f"{path.name} cannot be read (truncated or corrupt?): {error}") from None
    except ValueError as error:
        if isinstance(error, InputError):
            raise
        raise SourceError(f"{path.name} cannot be read as a ledger: {error}") from None
    preset = resolve_preset(fields)
    frame = _with_header(raw, preset, path.name)
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
                example = frame.loc[bad, column].iloc[0]
                hint = (
                    " (write the year in full, e.g. 2022-06-30)" if two_digit_year(example) else ""
                )
                raise DateOrderError(
                    f"{path.name}: column {column!r} has values that are not dates "
                    f"(e.g. {example!r}){hint}",
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
            warn(
                f"{path.name}: {int(undated.sum())} row(s) have a disposal method (处置方式) but "
                "no disposal date (处置时间); they are read, and not counted as disposed: "
                f"{format_ids(frame.loc[undated, 'parcel_id'])}",
                UndatedDisposalWarning,
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
