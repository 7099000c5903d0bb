"""When a recorded disposal counts: non-final disposals lapse (闲置土地处置办法 Art. 12).

``extended`` (延长动工期限) gives the holder at most one more year to start; ``temporary_use``
(临时使用) lasts at most two years. After that the land is back in the stock of its category
unless construction started by then. Every other method is final.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["NON_FINAL", "counts_on", "lapse_dates"]

#: Years a non-final disposal counts as disposed (53号令 Art. 12: an extension of at most one
#: year; temporary use of at most two years).
NON_FINAL: Mapping[str, int] = {"extended": 1, "temporary_use": 2}


def lapse_dates(
    method: pd.Series,
    date: pd.Series,
    start: pd.Series | None = None,
    non_final: Mapping[str, int] | None = None,
) -> pd.Series:
    """The day each disposal stops counting (NaT: it never does).

    A non-final disposal dated D lapses on D + its years (the anniversary itself counts as
    past, as for the idle test) unless construction started (``start``) on or before then.
    """
    non_final = NON_FINAL if non_final is None else non_final
    dates = pd.to_datetime(date)
    lapse = pd.Series(pd.NaT, index=method.index, dtype="datetime64[ns]")
    # the methods as codes (no Python strings): one comparison of integers per method
    codes, uniques = pd.factorize(method)
    names = pd.Index(uniques)
    dated = dates.notna().to_numpy()
    for name, years in non_final.items():
        where = names.get_indexer([name])[0]
        if where < 0:  # not in the data (-1 would be the rows without a method)
            continue
        rows = (codes == where) & dated
        if rows.any():
            lapse[rows] = dates[rows] + pd.DateOffset(years=int(years))
    if start is not None:
        started = pd.to_datetime(start)
        lapse = lapse.where(~(started.notna() & (started <= lapse)))
    return lapse


def counts_on(
    method: pd.Series,
    date: pd.Series,
    day: pd.Timestamp | None,
    start: pd.Series | None = None,
    non_final: Mapping[str, int] | None = None,
) -> pd.Series:
    """Whether each recorded (dated) disposal counts on ``day`` (None: on any day, before lapse
    is considered — i.e. every dated disposal)."""
    dates = pd.to_datetime(date)
    recorded = method.notna() & dates.notna()
    if day is None:
        return recorded
    lapse = lapse_dates(method, dates, start, non_final)
    return recorded & (dates <= day) & (lapse.isna() | (day < lapse))
