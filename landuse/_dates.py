"""Dates as Chinese ledgers write them: 2022年6月30日, 2022.6.30, 20220630, Excel serials."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["parse_dates", "two_digit_year"]

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0 (with its 1900 leap-year quirk)
_SERIALS = (20_000, 80_000)  # 1954 … 2119
_YMD = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\.0+)?$")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_TWO_DIGIT = re.compile(r"^\d{1,2}\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}\s*日?$")


def _from_text(text: str) -> pd.Timestamp | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _YMD.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = map(int, match.groups())
        try:
            return pd.Timestamp(year=year, month=month, day=day)
        except ValueError:
            return pd.NaT  # type: ignore[return-value]
    try:
        number = float(text)
    except ValueError:
        if not _FOUR_DIGIT_YEAR.search(text):
            # "22-6-30" is 2022-06-30 to a Chinese clerk and 2030-06-22 to dateutil: refuse
            return pd.NaT  # type: ignore[return-value]
        parsed = pd.to_datetime(text, errors="coerce")
        return parsed if parsed is not pd.NaT else pd.NaT  # type: ignore[return-value]
    return _from_number(number)


def two_digit_year(text: object) -> bool:
    """Whether a value that is not a date looks like one written with a two-digit year."""
    return bool(_TWO_DIGIT.match(unicodedata.normalize("NFKC", str(text)).strip()))


def _from_number(number: float) -> pd.Timestamp:
    if _SERIALS[0] <= number <= _SERIALS[1]:
        return _EXCEL_EPOCH + pd.Timedelta(days=float(number))
    compact = _COMPACT.match(f"{number:.0f}") if float(number).is_integer() else None
    if compact:
        year, month, day = map(int, compact.groups())
        try:
            return pd.Timestamp(year=year, month=month, day=day)
        except ValueError:
            pass
    return pd.NaT  # type: ignore[return-value]


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates; return (datetime64 values, mask of values that are not dates).

    Understands ISO and slashed dates, ``2022年6月30日``, ``2022.6.30``, ``20220630``, full-width
    digits and Excel serial numbers (days since 1899-12-30). Empty text is a missing date.
    Text without a four-digit year (``22-6-30``) is not a date: the order of its fields is a
    guess (year first in Chinese ledgers, last elsewhere), so it is reported, never guessed.

    Examples
    --------
    >>> dates, bad = parse_dates(pd.Series(["2022年6月30日", "2022.6.30", "20220630", 44742, "22-6-30"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist()[:4], bad.tolist()
    (['2022-06-30', '2022-06-30', '2022-06-30', '2022-06-30'], [False, False, False, False, True])
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.tz_localize(None) if values.dt.tz is not None else values
        return out.astype("datetime64[ns]"), pd.Series(False, index=values.index)
    parsed: list[Any] = []
    for value in values.to_numpy(dtype=object):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            parsed.append(pd.NaT)
        elif isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "year"):
            parsed.append(pd.Timestamp(value))
        elif isinstance(value, int | float | np.integer | np.floating):
            parsed.append(_from_number(float(value)))
        else:
            result = _from_text(str(value))
            parsed.append(pd.NaT if result is None else result)
    out = pd.Series(pd.to_datetime(parsed), index=values.index).astype("datetime64[ns]")
    text = values.astype(object)
    given = text.notna() & (text.astype(str).str.strip() != "")
    return out, given & out.isna()
