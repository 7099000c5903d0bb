"""Derive each parcel's category from its ledger by the official rules (DOMAIN.md).

* 批而未供 ``approved_unsupplied``: approved for construction, not supplied as of the date.
* 闲置土地 ``supplied_unused``: the legal idle test of 《闲置土地处置办法》(国土资源部令第53号, 2012)
  Art. 2 is met.
* 低效用地 ``low_efficiency``: existing construction land below the control indicators
  (国土资发〔2016〕147号).

Every ledger event dated after ``as_of`` is treated as not yet happened, so classifying a
ledger kept up to date through 2022 ``as_of`` 2021-12-31 gives the 2021-12-31 task list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse import _dask
from landuse._permu import parcel_grade
from landuse._validate import as_date, validate_parcels
from landuse.vocab import Lang

__all__ = ["IdleRules", "LowEfficiencyRules", "classify"]


@dataclass(frozen=True)
class IdleRules:
    """Thresholds of the idle-land test (闲置土地处置办法 Art. 2).

    Attributes
    ----------
    not_started_years
        Idle when construction has not started this many full years after the agreed start
        date (default 1). A parcel past its start date but inside this period is a late start
        (逾期未动工), not idle.
    min_developed_ratio
        Started but developed floor area below this share of the area due (default 1/3) …
    min_invested_ratio
        … or investment below this share of the total, land price excluded (default 0.25) …
    stopped_years
        … and work stopped for at least this many years (default 1).
    """

    not_started_years: int = 1
    min_developed_ratio: float = 1 / 3
    min_invested_ratio: float = 0.25
    stopped_years: int = 1


@dataclass(frozen=True)
class LowEfficiencyRules:
    """Control values of the low-efficiency screen (a parcel below any of them is flagged).

    The defaults are common provincial values, not national law; set your own.

    Attributes
    ----------
    min_far
        Minimum plot ratio (容积率) of industrial land (default 1.0; the 2008 industrial-project
        control indicators set 0.6–1.0 by industry).
    min_building_coverage
        Minimum building coverage (建筑系数) of industrial land (default 0.30).
    min_tax_per_mu
        Minimum tax per mu (亩均税收) in 万元/亩 (default 10), where the ledger has it.
    min_output_per_mu
        Minimum output per mu (亩均产值) in 万元/亩 (default 200), where the ledger has it.
    industrial_codes
        Land-use code prefixes counted as industrial: GB/T 21010-2017 ``0601``, its 2007
        edition ``061``, and the territorial-planning class ``1001``.
    """

    min_far: float = 1.0
    min_building_coverage: float = 0.30
    min_tax_per_mu: float = 10.0
    min_output_per_mu: float = 200.0
    industrial_codes: tuple[str, ...] = ("0601", "061", "1001")
    #: With ``classify(per_mu=graded)``: a parcel is 低效用地 when D-class enterprises hold
    #: more than this share of its enterprises' land (default 0.5, a majority by area).
    per_mu_d_share: float = 0.5


_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "unsupplied": "批而未供：{approval} 批准，截至 {as_of} 未供应",
        "lapsed": "；批准满{years}年未实施，依国发〔2004〕28号可能失效，撤回前仍计入存量",
        "outside_window": "批准于 {approval}，早于{years}年统计窗口，不计入",
        "idle_not_started": "闲置土地：约定 {due} 开工，满{years}年未动工（53号令第二条）",
        "idle_no_agreed": "闲置土地：未约定开工日期，自 {due} 供地起满{years}年未动工（53号令第二条）",
        "idle_stopped": "闲置土地：已动工但开发不足（已开发 {developed}，已投资 {invested}），"
        "自 {stopped} 停工满{years}年（53号令第二条）",
        "late_start": "逾期未动工：约定 {due} 开工，未满{years}年，尚不构成闲置",
        "low": "低效用地：{which}",
        "far": "容积率 {value} < {limit}",
        "coverage": "建筑系数 {value} < {limit}",
        "tax": "亩均税收 {value} < {limit} 万元/亩",
        "output": "亩均产值 {value} < {limit} 万元/亩",
        "disposed": "截至 {as_of} 已处置（{method}，{date}）",
        "per_mu_d": "亩均效益评价 D 类",
        "per_mu_d_share": "亩均效益评价 D 类（D 类企业用地占 {share}）",
        "in_use": "已供应开发，指标达标",
        "no_record": "无批准、供地记录，指标达标",
        "sep": "；",
    },
    "en": {
        "unsupplied": "approved {approval}, not supplied by {as_of}",
        "lapsed": "; approval over {years} years old and not implemented: may lapse "
        "(State Council 2004 No. 28), kept in the stock until withdrawn",
        "outside_window": "approved {approval}, before the {years}-year window: not counted",
        "idle_not_started": "idle: agreed start {due}, not started after {years} full year(s) "
        "(MLR Order 53 Art. 2)",
        "idle_no_agreed": "idle: no agreed start; not started {years} full year(s) after "
        "supply on {due} (MLR Order 53 Art. 2)",
        "idle_stopped": "idle: started but under-developed (developed {developed}, invested "
        "{invested}), stopped since {stopped} for {years}+ year(s) (MLR Order 53 Art. 2)",
        "late_start": "late start: agreed start {due}, less than {years} year(s) ago; not idle yet",
        "low": "low efficiency: {which}",
        "far": "plot ratio {value} < {limit}",
        "coverage": "building coverage {value} < {limit}",
        "tax": "tax per mu {value} < {limit} (10k yuan/mu)",
        "output": "output per mu {value} < {limit} (10k yuan/mu)",
        "disposed": "disposed by {as_of} ({method}, {date})",
        "per_mu_d": "per-mu evaluation grade D",
        "per_mu_d_share": "per-mu evaluation grade D ({share} of the enterprises' land)",
        "in_use": "supplied and developed; indicators met",
        "no_record": "no approval or supply record; indicators met",
        "sep": "; ",
    },
}


def _text(lang: str, key: str, **values: Any) -> Any:
    """Fill a template; values may be Series (filled row-wise) or scalars."""
    template = _TEXT[lang][key]
    series = {k: v for k, v in values.items() if isinstance(v, pd.Series)}
    if not series:
        return template.format(**values)
    index = next(iter(series.values())).index
    parts = template.split("{")
    out = pd.Series(parts[0], index=index, dtype=object)
    for part in parts[1:]:
        name, literal = part.split("}", 1)
        value = values[name]
        out = out + (value.astype(str) if isinstance(value, pd.Series) else str(value)) + literal
    return out


def _day(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d")


def _pct(values: pd.Series) -> pd.Series:
    return (values * 100).round(0).astype("Int64").astype(str).replace("<NA>", "—") + "%"


def _num(values: pd.Series, digits: int = 2) -> pd.Series:
    return values.round(digits).astype(str)


def classify(
    parcels: gpd.GeoDataFrame,
    *,
    as_of: Any,
    window_years: int | None = None,
    lapse_years: int = 2,
    idle: IdleRules = IdleRules(),
    low: LowEfficiencyRules = LowEfficiencyRules(),
    lang: Lang = "zh",
    per_mu: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Derive ``category`` and ``reason`` from the ledger as of a date.

    Rules, in order (the first that applies wins):

    1. **批而未供** ``approved_unsupplied`` — ``approval_date <= as_of`` and no supply by then.
       ``window_years`` keeps only approvals of the last N years (the ministry often looks back
       5; default: no window). Approvals ``lapse_years`` (2) or more old are flagged in
       ``approval_lapsed`` and in the reason (国发〔2004〕28号) but stay in the stock until
       withdrawn.
    2. **闲置土地** ``supplied_unused`` — supplied, not completed, and either not started
       (``actual_start_date``: foundations above ±0.00) ``idle.not_started_years`` full years
       after ``agreed_start_date`` (or after ``supply_date`` when no start was agreed); or
       started with ``developed_ratio < 1/3`` or ``invested_ratio < 0.25`` and stopped
       (``stopped_date``) for a full year. On the anniversary itself the parcel is idle.
       A parcel past its agreed start but inside the year is a late start (逾期未动工): no
       category, said so in ``reason``.
    3. **低效用地** ``low_efficiency`` — built land (started, or with no approval/supply record)
       below any control value of ``low`` (plot ratio and building coverage for industrial
       codes; tax and output per mu wherever the ledger has them).

    A parcel whose disposal is dated on or before ``as_of`` has left the stock: no category.
    Ledger events dated after ``as_of`` count as not yet happened.

    With ``per_mu`` (a :func:`landuse.per_mu` table), built land whose enterprises are graded
    D — by area: D-class enterprises hold more than ``low.per_mu_d_share`` of the land of the
    enterprises on the parcel — is 低效用地 too, with the reason "亩均效益评价 D 类" (added to
    the reason of a parcel that also fails an indicator).

    Parameters
    ----------
    parcels
        Parcel inventory with the ledger columns the rules read (missing columns are treated
        as empty).
    as_of
        The date of the task list (a baseline), e.g. ``"2021-12-31"``.
    window_years, lapse_years, idle, low
        Rule parameters, see above.
    lang
        Language of ``reason``: ``"zh"`` (default) or ``"en"``.
    per_mu
        Graded enterprises (:func:`landuse.per_mu`) whose D class screens their parcels.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``category`` (missing when none applies), ``reason`` and
        ``approval_lapsed``.

    Examples
    --------
    >>> import landuse as lu
    >>> ledger = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> task_list = lu.classify(ledger, as_of="2021-12-31")
    >>> task_list["category"].value_counts().sort_index().index.tolist()
    ['approved_unsupplied', 'low_efficiency', 'supplied_unused']
    >>> bool((task_list["category"].fillna("-") == ledger["category"].fillna("-")).all())
    True
    """
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if _dask.is_dask(parcels) and per_mu is not None:
        raise ValueError("classify(per_mu=...) needs an in-memory GeoDataFrame, not dask")
    if _dask.is_dask(parcels):
        return _dask.classify(
            parcels,
            as_of=as_of,
            window_years=window_years,
            lapse_years=lapse_years,
            idle=idle,
            low=low,
            lang=lang,
        )
    out = validate_parcels(parcels)
    day = as_date(as_of)
    index = out.index
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    nan = pd.Series(np.nan, index=index, dtype="float64")

    def happened(column: str) -> pd.Series:
        """The column's dates, with those after ``as_of`` blanked (not yet happened)."""
        dates = out[column] if column in out.columns else nat
        return dates.where(dates <= day)

    def number(column: str) -> pd.Series:
        return out[column] if column in out.columns else nan

    approval, supply = happened("approval_date"), happened("supply_date")
    start, completion = happened("actual_start_date"), happened("actual_completion_date")
    stopped, disposal = happened("stopped_date"), happened("disposal_date")
    agreed_start = out["agreed_start_date"] if "agreed_start_date" in out.columns else nat
    method = out["disposal_method"] if "disposal_method" in out.columns else nat.astype(object)
    disposed = disposal.notna()

    category = pd.Series(None, index=index, dtype=object)
    reason = pd.Series(None, index=index, dtype=object)

    def assign(mask: pd.Series, cat: str | None, text: Any) -> None:
        take = mask & reason.isna()
        category[take] = cat
        reason[take] = text[take] if isinstance(text, pd.Series) else text

    assign(
        disposed,
        None,
        _text(
            lang,
            "disposed",
            as_of=_day(pd.Series(day, index=index)),
            method=method,
            date=_day(disposal),
        ),
    )

    # 1. approved, not supplied
    unsupplied = approval.notna() & supply.isna()
    lapsed = unsupplied & (approval + pd.DateOffset(years=lapse_years) <= day)
    if window_years is not None:
        early = unsupplied & (approval < day - pd.DateOffset(years=window_years))
        assign(
            early, None, _text(lang, "outside_window", approval=_day(approval), years=window_years)
        )
    unsupplied_text = _text(
        lang, "unsupplied", approval=_day(approval), as_of=day.strftime("%Y-%m-%d")
    )
    lapse_note = _TEXT[lang]["lapsed"].format(years=lapse_years)
    assign(
        unsupplied,
        "approved_unsupplied",
        unsupplied_text.where(~lapsed, unsupplied_text + lapse_note),
    )

    # 2. idle land (Art. 2)
    in_progress = supply.notna() & completion.isna()
    due = agreed_start.where(agreed_start.notna(), supply)
    anniversary = due + pd.DateOffset(years=idle.not_started_years)
    not_started = in_progress & start.isna()
    idle_not_started = not_started & (anniversary <= day)
    years = idle.not_started_years
    assign(
        idle_not_started & agreed_start.notna(),
        "supplied_unused",
        _text(lang, "idle_not_started", due=_day(due), years=years),
    )
    assign(
        idle_not_started,
        "supplied_unused",
        _text(lang, "idle_no_agreed", due=_day(due), years=years),
    )
    developed, invested = number("developed_ratio"), number("invested_ratio")
    underdeveloped = (developed < idle.min_developed_ratio) | (invested < idle.min_invested_ratio)
    long_stopped = stopped + pd.DateOffset(years=idle.stopped_years) <= day
    assign(
        in_progress & start.notna() & underdeveloped & long_stopped,
        "supplied_unused",
        _text(
            lang,
            "idle_stopped",
            developed=_pct(developed),
            invested=_pct(invested),
            stopped=_day(stopped),
            years=idle.stopped_years,
        ),
    )
    assign(not_started & (due < day), None, _text(lang, "late_start", due=_day(due), years=years))

    # 3. low efficiency, on built land
    built = start.notna() | completion.notna() | (approval.isna() & supply.isna())
    code = (
        out["land_use_code"].astype(str)
        if "land_use_code" in out.columns
        else pd.Series("", index=index, dtype=object)
    )
    industrial = code.str.startswith(low.industrial_codes)
    checks = (
        ("far", number("far"), low.min_far, industrial),
        ("coverage", number("building_coverage"), low.min_building_coverage, industrial),
        ("tax", number("tax_per_mu"), low.min_tax_per_mu, True),
        ("output", number("output_per_mu"), low.min_output_per_mu, True),
    )
    failed_text = pd.Series("", index=index, dtype=object)
    any_failed = pd.Series(False, index=index)
    sep = _TEXT[lang]["sep"]
    for key, value, limit, applies in checks:
        failed = (value < limit) & applies
        piece = _text(lang, key, value=_num(value), limit=limit)
        failed_text = failed_text.where(
            ~failed, failed_text.where(~any_failed, failed_text + sep) + piece
        )
        any_failed |= failed
    assign(built & any_failed, "low_efficiency", _text(lang, "low", which=failed_text))
    if per_mu is not None:
        _screen_per_mu(out, per_mu, built, category, reason, low, lang)

    assign(supply.notna() | approval.notna(), None, _TEXT[lang]["in_use"])
    assign(pd.Series(True, index=index), None, _TEXT[lang]["no_record"])

    return out.assign(category=category, reason=reason, approval_lapsed=lapsed.to_numpy())


def _screen_per_mu(
    out: pd.DataFrame,
    graded: pd.DataFrame,
    built: pd.Series,
    category: pd.Series,
    reason: pd.Series,
    low: LowEfficiencyRules,
    lang: str,
) -> None:
    """Mark built parcels held mostly by D-class enterprises as 低效用地 (in place)."""
    d_share = parcel_grade(graded, out["parcel_id"])["d_share"]
    screened = built & (d_share > low.per_mu_d_share)
    share = (d_share * 100).round(0).astype(int).astype(str) + "%"
    words = _TEXT[lang]
    text = pd.Series(words["per_mu_d"], index=out.index, dtype=object).where(
        d_share >= 1.0 - 1e-9,
        share.map(lambda s: words["per_mu_d_share"].format(share=s)),
    )
    both = screened & (category == "low_efficiency")
    reason[both] = reason[both] + words["sep"] + text[both]
    fresh = screened & reason.isna()
    category[fresh] = "low_efficiency"
    reason[fresh] = text[fresh].map(lambda t: words["low"].format(which=t))
