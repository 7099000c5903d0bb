"""What idleness brings: the list a land officer acts on (闲置土地处置办法 Art. 8, 12, 14).

Idle land not started one full year past its due start owes an idle fee (闲置费, 20 % of the
land price); two full years past it, the land is recovered without compensation (无偿收回).
Where the idleness is the government's doing (Art. 8: planning changed, land not delivered as
agreed, military or heritage finds, disasters) neither applies: the land is disposed of by
agreement (协商处置, the methods of Art. 12).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._dates import parse_dates
from landuse._disposal import NON_FINAL
from landuse._errors import InputError
from landuse._validate import as_date, require_columns
from landuse.rules import RuleWarning, classify
from landuse.stats import _disposed
from landuse.vocab import IDLE_ACTION_LABELS, IDLE_CAUSE_LABELS, IDLE_REASONS, Lang

__all__ = ["ACTION_COLUMNS", "IDLE_CAUSES", "idle_actions"]

ACTION_COLUMNS = ("parcel_id", "idle_since", "idle_days", "cause", "action", "fee_wan", "reason")

#: Values of the ledger column ``idle_cause`` and what they mean (53号令 Art. 8 lists the
#: government's causes). Empty means the holder's.
IDLE_CAUSES: dict[str, str] = {
    "holder": "holder",
    "用地者原因": "holder",
    "企业原因": "holder",
    "用地单位原因": "holder",
    "土地使用者原因": "holder",
    "government": "government",
    "政府": "government",
    "政府原因": "government",
    "政府行为": "government",
    "规划调整": "government",
    "规划修改": "government",
    "未按约定交地": "government",
    "未按期交地": "government",
    "未按约定、规定的期限交地": "government",
    "军事管制": "government",
    "文物保护": "government",
    "自然灾害": "government",
    "不可抗力": "government",
}


def _causes(values: pd.Series, ids: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), None)
    text = text.map(lambda v: v.strip() if isinstance(v, str) else v)
    text = text.where(text.notna() & (text != ""), "holder")
    known = text.isin(list(IDLE_CAUSES))
    if not known.all():
        raise InputError(
            f"unknown idle_cause {', '.join(map(repr, sorted(set(map(str, text[~known])))))}; "
            "use 'holder' or 'government' (or 政府原因, 规划调整, 未按约定交地, …)",
            ids[~known],
        )
    return text.map(IDLE_CAUSES).astype(object)


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    parsed, bad = parse_dates(frame[column])
    if bad.any():
        raise InputError(
            f"column {column!r} has values that are not dates", frame["parcel_id"][bad]
        )
    return parsed


def idle_actions(
    tasks: pd.DataFrame,
    *,
    as_of: Any,
    fee_rate: float = 0.2,
    recover_years: int = 1,
    methods: Mapping[str, str | Iterable[str]] | None = None,
    non_final: Mapping[str, int] = NON_FINAL,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """What each idle parcel of the task list brings as of a date: fee, recovery or agreement.

    One row per idle parcel (``category == "supplied_unused"``) not disposed by ``as_of``
    (non-final disposals lapse as in :func:`landuse.disposal_rates`):

    * ``negotiate`` (协商处置) where ``idle_cause`` is the government's (53号令 Art. 8): no fee
      and no recovery; the land is disposed of by agreement (Art. 12);
    * ``recover`` (无偿收回) where the land has been idle ``recover_years`` (1) full years, i.e.
      not started two full years past its due start (Art. 14);
    * ``fee`` (征缴闲置费) otherwise: ``fee_wan`` = ``fee_rate`` (20 %, Art. 14) × ``land_price``
      (万元) where the ledger has the price.

    Parameters
    ----------
    tasks
        The task list (or its pieces: one row per parcel is kept) with ``parcel_id``,
        ``category``, and optionally ``idle_since`` (from :func:`landuse.classify`; derived
        from the ledger columns as of ``as_of`` where absent), ``idle_cause`` (``holder`` or
        ``government``, or the Chinese causes of Art. 8; empty means the holder's),
        ``land_price`` (万元), ``disposal_method``/``disposal_date``.
    as_of
        The reporting date.
    fee_rate, recover_years, methods, non_final
        Rule parameters, see above.
    lang
        Language of ``reason``.

    Returns
    -------
    pandas.DataFrame
        ``parcel_id``, ``idle_since``, ``idle_days``, ``cause``, ``action``, ``fee_wan``,
        ``reason`` (and ``name``, ``land_price``, ``area_mu`` where the tasks have them),
        indexed like the tasks.

    Examples
    --------
    >>> import landuse as lu
    >>> tasks = lu.classify(lu.read_parcels(lu.datasets.get_path("west_coast")),
    ...                     as_of="2021-12-31")
    >>> actions = lu.idle_actions(tasks, as_of="2022-06-30")
    >>> sorted(actions["action"].unique())
    ['fee', 'negotiate', 'recover']
    """
    if lang not in IDLE_REASONS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    if not 0 <= fee_rate <= 1:
        raise InputError(f"fee_rate is a share between 0 and 1, not {fee_rate!r}")
    if not isinstance(tasks, pd.DataFrame):
        raise InputError(f"tasks must be a (Geo)DataFrame, not {type(tasks).__name__}")
    require_columns(tasks, ("parcel_id", "category"), hint="derive category with lu.classify")
    day = as_date(as_of)
    text = IDLE_REASONS[lang]
    frame = tasks[~tasks["parcel_id"].duplicated()]  # pieces of one parcel: one row
    frame = frame[frame["category"].astype(object) == "supplied_unused"]
    dated = frame.assign(
        disposal_date=_dates(frame, "disposal_date"),
        actual_start_date=_dates(frame, "actual_start_date"),
        category=frame["category"].astype(object),
    )
    disposed = _disposed(dated, day, methods, non_final)
    frame = frame[~disposed]

    since = _dates(frame, "idle_since")
    unknown = since.isna()
    if unknown.any() and isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuleWarning)
            derived = classify(
                frame.loc[unknown].drop(columns=["idle_since"], errors="ignore"),
                as_of=day,
                non_final=non_final,
            )["idle_since"]
        since = since.where(~unknown, derived.reindex(since.index))
    days = (day - since).dt.days.astype("Int64")
    cause = (
        _causes(frame["idle_cause"], frame["parcel_id"])
        if "idle_cause" in frame.columns
        else pd.Series("holder", index=frame.index, dtype=object)
    )
    recover_on = since + pd.DateOffset(years=recover_years)
    action = pd.Series(
        np.where(
            cause == "government",
            "negotiate",
            np.where(since.notna() & (recover_on <= day), "recover", "fee"),
        ),
        index=frame.index,
        dtype=object,
    )
    price = (
        pd.to_numeric(frame["land_price"], errors="coerce")
        if "land_price" in frame.columns
        else pd.Series(np.nan, index=frame.index)
    )
    fee = (price * fee_rate).where(action == "fee")

    def one(since_i: Any, days_i: Any, action_i: str, price_i: float, fee_i: float) -> str:
        shown = "—" if pd.isna(since_i) else f"{since_i:%Y-%m-%d}"
        n = "—" if pd.isna(days_i) else str(days_i)
        prefix = text["since_unknown"] if pd.isna(since_i) else ""
        if action_i == "negotiate":
            return str(text["negotiate"])
        if action_i == "recover":
            return prefix + text["recover"].format(since=shown, days=n)
        amount = (
            text["fee_amount"].format(
                price=f"{price_i:,.1f}", rate=f"{fee_rate:.0%}", fee=f"{fee_i:,.1f}"
            )
            if pd.notna(fee_i)
            else text["fee_unknown"].format(rate=f"{fee_rate:.0%}")
        )
        return prefix + text["fee"].format(since=shown, days=n, fee=amount)

    reasons = [
        one(*values)
        for values in zip(
            since.tolist(),
            days.tolist(),
            action.tolist(),
            price.tolist(),
            fee.tolist(),
            strict=True,
        )
    ]
    out = pd.DataFrame(
        {
            "parcel_id": frame["parcel_id"].astype(str),
            "idle_since": since.astype("datetime64[ns]"),
            "idle_days": days,
            "cause": cause,
            "action": action,
            "fee_wan": fee.astype(float),
            "reason": pd.Series(reasons, index=frame.index, dtype=object),
        },
        index=frame.index,
    )
    extra = [c for c in ("name", "land_price", "area_mu") if c in frame.columns]
    for column in extra:
        out[column] = frame[column].to_numpy()
    return out


def action_label(action: str, lang: Lang = "zh") -> str:
    """Display label of an idle action id (``fee``, ``recover``, ``negotiate``)."""
    return IDLE_ACTION_LABELS[lang].get(action, action)


def cause_label(cause: str, lang: Lang = "zh") -> str:
    """Display label of an idle cause id (``holder``, ``government``)."""
    return IDLE_CAUSE_LABELS[lang].get(cause, cause)
