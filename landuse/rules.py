"""Derive each parcel's category from its ledger by the official rules (DOMAIN.md).

* 批而未供 ``approved_unsupplied``: approved for construction, not supplied as of the date.
* 闲置土地 ``supplied_unused``: the legal idle test of 《闲置土地处置办法》(国土资源部令第53号, 2012)
  Art. 2 is met.
* 低效用地 ``low_efficiency``: land in use below the control indicators (国土资发〔2016〕147号).

Every ledger event dated after ``as_of`` is treated as not yet happened, so classifying a
ledger kept up to date through 2022 ``as_of`` 2021-12-31 gives the 2021-12-31 task list.

Real ledgers are incomplete (DOMAIN.md, "Rules on real, incomplete ledgers"): a parcel a rule
applies to but whose values it needs are missing is ``undetermined`` (待核查), never compliant;
a rule whose columns are absent altogether warns (:class:`RuleWarning`) and leaves its
category empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._disposal import NON_FINAL, lapse_dates
from landuse._errors import InputError, warn
from landuse._landuse_codes import CODE_SYSTEMS, is_industrial, normalize_codes
from landuse._permu import parcel_grade
from landuse._validate import as_date, validate_parcels
from landuse.vocab import Lang, category_label, field_label

__all__ = ["IdleRules", "LowEfficiencyRules", "RuleWarning", "classify"]


class RuleWarning(UserWarning):
    """A rule cannot run on this inventory: the columns it reads are absent."""


@dataclass(frozen=True)
class IdleRules:
    """Thresholds of the idle-land test (闲置土地处置办法, 国土资源部令第53号).

    Attributes
    ----------
    not_started_years
        Idle when construction has not started this many full years after the due start date
        (Art. 2; default 1). A parcel past its start date but inside this period is a late
        start (逾期未动工), not idle.
    deemed_start_years
        Where the contract or allocation decision sets no start date, the start is due this
        many years after the land was actually delivered (交地: ``delivery_date``, else
        ``supply_date``) (Art. 28; default 1). Such land is idle when still not started
        ``not_started_years`` after that, i.e. two years after delivery.
    min_developed_ratio
        Started but developed floor area below this share of the area due (default 1/3) …
    min_invested_ratio
        … or investment below this share of the total, land price excluded (default 0.25) …
    stopped_years
        … and work stopped for at least this many years (default 1).
    """

    not_started_years: int = 1
    deemed_start_years: int = 1
    min_developed_ratio: float = 1 / 3
    min_invested_ratio: float = 0.25
    stopped_years: int = 1


@dataclass(frozen=True)
class LowEfficiencyRules:
    """Control values of the low-efficiency screen (a parcel below any of them is flagged).

    The defaults are common provincial values, not national law; set your own. The screen
    applies to land in use only (DOMAIN.md): completed (``actual_completion_date`` on or
    before the date), or existing land with no approval or supply record in the ledger.

    On industrial land (工业用地: ``0601`` in GB/T 21010-2017, ``1001``/``100101``–``100103``
    in 用地用海分类) every indicator whose column the ledger has is needed: a missing value
    makes the parcel ``undetermined`` unless it fails an indicator it does have. On other land
    only the per-mu values it has are compared.

    Attributes
    ----------
    min_far
        Minimum plot ratio (容积率) of industrial land (default 1.0; the 2008 industrial-project
        control indicators set 0.6–1.0 by industry).
    min_building_coverage
        Minimum building coverage (建筑系数) of industrial land (default 0.30).
    min_tax_per_mu
        Minimum tax per mu (亩均税收) in 万元/亩 (default 10).
    min_output_per_mu
        Minimum output per mu (亩均产值) in 万元/亩 (default 200).
    """

    min_far: float = 1.0
    min_building_coverage: float = 0.30
    min_tax_per_mu: float = 10.0
    min_output_per_mu: float = 200.0
    #: With ``classify(per_mu=graded)``: a parcel is 低效用地 when D-class enterprises hold
    #: more than this share of its enterprises' land (default 0.5, a majority by area).
    per_mu_d_share: float = 0.5


_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "unsupplied": "批而未供：{approval} 批准，截至 {as_of} 未供应",
        "lapsed": "；批准满{years}年未实施，依国发〔2004〕28号可能失效，撤回前仍计入存量",
        "outside_window": "批准于 {approval}，早于{years}年统计窗口，不计入",
        "not_approved": "截至 {as_of} 尚未批准（{approval} 批准），不计入任何类别",
        "not_supplied_yet": "截至 {as_of} 尚未供应（{supply} 供地），不计入任何类别",
        "idle_not_started": "闲置土地：约定 {due} 开工，满{years}年未动工（53号令第二条）",
        "idle_no_agreed": "闲置土地：未约定开工日期，{base} {basis}，视为 {due} 应开工（53号令"
        "第二十八条），满{years}年未动工（53号令第二条）",
        "delivered": "交地",
        "supplied": "供地（无交地日期）",
        "idle_stopped": "闲置土地：已动工但开发不足（已开发 {developed}，已投资 {invested}），"
        "自 {stopped} 停工满{years}年（53号令第二条）",
        "late_start": "逾期未动工：应于 {due} 开工，未满{years}年，尚不构成闲置",
        "not_due": "已供应，应于 {due} 开工，尚未到期",
        "building": "在建：{start} 开工，尚未竣工，不作低效用地筛查",
        "stopped_ok": "在建（停工）：开发、投资已达标，不构成闲置，不作低效用地筛查",
        "undetermined_stopped": "待核查：已动工、自 {stopped} 停工满{years}年，缺少{fields}，"
        "无法判定是否闲置",
        "undetermined_low": "待核查：缺少{fields}，无法判定是否低效用地",
        "relapsed": "{method}（{date}）已于 {lapse} 届满未动工，重新计入存量；",
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
        "not_screened": "在用土地，无适用的低效用地指标",
        "no_rule": "无法认定：所需列缺失（{columns}）",
        "sep": "；",
        "list": "、",
    },
    "en": {
        "unsupplied": "approved {approval}, not supplied by {as_of}",
        "lapsed": "; approval over {years} years old and not implemented: may lapse "
        "(State Council 2004 No. 28), kept in the stock until withdrawn",
        "outside_window": "approved {approval}, before the {years}-year window: not counted",
        "not_approved": "not approved by {as_of} (approved {approval}): no category",
        "not_supplied_yet": "not supplied by {as_of} (supplied {supply}): no category",
        "idle_not_started": "idle: agreed start {due}, not started after {years} full year(s) "
        "(MLR Order 53 Art. 2)",
        "idle_no_agreed": "idle: no agreed start; {basis} {base}, start deemed due {due} "
        "(MLR Order 53 Art. 28), not started after {years} full year(s) (Art. 2)",
        "delivered": "delivered",
        "supplied": "supplied (no delivery date)",
        "idle_stopped": "idle: started but under-developed (developed {developed}, invested "
        "{invested}), stopped since {stopped} for {years}+ year(s) (MLR Order 53 Art. 2)",
        "late_start": "late start: start due {due}, less than {years} year(s) ago; not idle yet",
        "not_due": "supplied; start due {due}, not yet",
        "building": "under construction since {start}, not completed: not screened for low "
        "efficiency",
        "stopped_ok": "stopped site, developed and invested enough: not idle; not screened",
        "undetermined_stopped": "undetermined: started, stopped since {stopped} for {years}+ "
        "year(s), missing {fields}: cannot tell whether idle",
        "undetermined_low": "undetermined: missing {fields}: cannot tell whether low-efficiency",
        "relapsed": "{method} ({date}) lapsed on {lapse} without a start: back in the stock; ",
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
        "not_screened": "land in use; no low-efficiency indicator applies",
        "no_rule": "cannot classify: columns missing ({columns})",
        "sep": "; ",
        "list": ", ",
    },
}

_INDICATORS = (  # key, column, limit attribute, industrial only
    ("far", "far", "min_far", True),
    ("coverage", "building_coverage", "min_building_coverage", True),
    ("tax", "tax_per_mu", "min_tax_per_mu", False),
    ("output", "output_per_mu", "min_output_per_mu", False),
)


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
    shown = (values * 100).round(0).map(lambda v: "—" if pd.isna(v) else f"{v:.0f}%")
    return shown.astype(object)


def _num(values: pd.Series, digits: int = 2) -> pd.Series:
    return values.round(digits).astype(str)


def _field_list(flags: dict[str, pd.Series], index: pd.Index, lang: str) -> pd.Series:
    """Per row, the fields whose flag is set, joined: 容积率（far）… in Chinese, so that the
    column to fill is named too; the column names in English."""
    out = pd.Series("", index=index, dtype=object)
    sep = _TEXT[lang]["list"]
    for column, flag in flags.items():
        label = field_label(column, lang)  # type: ignore[arg-type]
        if label != column:
            label = f"{label}（{column}）"
        out = out.where(~flag, out.where(out == "", out + sep) + label)
    return out


def _any(flags: list[pd.Series], index: pd.Index) -> pd.Series:
    out = pd.Series(False, index=index)
    for flag in flags:
        out = out | flag.to_numpy(dtype=bool)
    return out


def _warn_absent(columns: list[str], what: str) -> None:
    warn(f"classify: no {', '.join(columns)} column(s) in the inventory: {what}", RuleWarning)


def classify(
    parcels: gpd.GeoDataFrame,
    *,
    as_of: Any,
    code_system: str = "gb21010",
    window_years: int | None = None,
    lapse_years: int = 2,
    idle: IdleRules = IdleRules(),
    low: LowEfficiencyRules = LowEfficiencyRules(),
    non_final: Mapping[str, int] = NON_FINAL,
    lang: Lang = "zh",
    per_mu: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.classify` (documented there)."""
    if lang not in _TEXT:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    if code_system not in CODE_SYSTEMS:
        raise InputError(
            f"code_system must be one of {', '.join(CODE_SYSTEMS)}, not {code_system!r}"
        )
    out = validate_parcels(parcels)
    day = as_date(as_of)
    index = out.index
    columns = set(out.columns)
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    nan = pd.Series(np.nan, index=index, dtype="float64")
    text = _TEXT[lang]

    def raw(column: str) -> pd.Series:
        return out[column] if column in columns else nat

    def happened(column: str) -> pd.Series:
        """The column's dates, with those after ``as_of`` blanked (not yet happened)."""
        return raw(column).where(raw(column) <= day)

    def number(column: str) -> pd.Series:
        return out[column] if column in columns else nan

    def absent(*names: str) -> list[str]:
        return [c for c in names if c not in columns]

    approval_raw, supply_raw = raw("approval_date"), raw("supply_date")
    approval, supply = happened("approval_date"), happened("supply_date")
    start, completion = happened("actual_start_date"), happened("actual_completion_date")
    stopped = happened("stopped_date")
    agreed_start, delivery = raw("agreed_start_date"), raw("delivery_date")
    method = (
        out["disposal_method"] if "disposal_method" in columns else nat.astype(object)
    ).astype(object)
    disposal_raw = raw("disposal_date")
    lapse = lapse_dates(method, disposal_raw, raw("actual_start_date"), non_final)
    disposed = disposal_raw.notna() & method.notna() & (disposal_raw <= day)
    relapsed = disposed & lapse.notna() & (lapse <= day)
    disposed &= ~relapsed

    category = pd.Series(None, index=index, dtype=object)
    reason = pd.Series(None, index=index, dtype=object)
    undetermined = pd.Series(False, index=index)
    idle_since = nat.copy()

    def assign(mask: pd.Series, cat: str | None, words: Any, *, unsure: bool = False) -> None:
        take = mask & reason.isna()
        category[take] = cat
        reason[take] = words[take] if isinstance(words, pd.Series) else words
        if unsure:
            undetermined[take] = True

    assign(
        disposed,
        None,
        _text(
            lang,
            "disposed",
            as_of=_day(pd.Series(day, index=index)),
            method=method,
            date=_day(disposal_raw),
        ),
    )
    assign(
        approval_raw > day,
        None,
        _text(lang, "not_approved", as_of=day.strftime("%Y-%m-%d"), approval=_day(approval_raw)),
    )
    assign(
        approval_raw.isna() & (supply_raw > day),
        None,
        _text(lang, "not_supplied_yet", as_of=day.strftime("%Y-%m-%d"), supply=_day(supply_raw)),
    )

    # 1. approved, not supplied
    unsupplied_rule = not absent("approval_date", "supply_date")
    lapsed = pd.Series(False, index=index)
    if not unsupplied_rule:
        _warn_absent(
            absent("approval_date", "supply_date"),
            f"the {category_label('approved_unsupplied')} (approved_unsupplied) rule cannot run; "
            "that category stays empty",
        )
    else:
        unsupplied = approval.notna() & supply.isna()
        lapsed = unsupplied & (approval + pd.DateOffset(years=lapse_years) <= day)
        if window_years is not None:
            early = unsupplied & (approval < day - pd.DateOffset(years=window_years))
            assign(
                early,
                None,
                _text(lang, "outside_window", approval=_day(approval), years=window_years),
            )
        unsupplied_text = _text(
            lang, "unsupplied", approval=_day(approval), as_of=day.strftime("%Y-%m-%d")
        )
        lapse_note = text["lapsed"].format(years=lapse_years)
        assign(
            unsupplied,
            "approved_unsupplied",
            unsupplied_text.where(~lapsed, unsupplied_text + lapse_note),
        )

    # 2. idle land (Art. 2, Art. 28)
    idle_rule = not absent("supply_date", "actual_start_date")
    in_progress = supply.notna() & completion.isna()
    if not idle_rule:
        _warn_absent(
            absent("supply_date", "actual_start_date"),
            f"the {category_label('supplied_unused')} (supplied_unused) rule cannot run; "
            "that category stays empty",
        )
    else:
        years = idle.not_started_years
        base = delivery.where(delivery.notna(), supply)
        deemed = base + pd.DateOffset(years=idle.deemed_start_years)
        due = agreed_start.where(agreed_start.notna(), deemed)
        anniversary = due + pd.DateOffset(years=years)
        not_started = in_progress & start.isna()
        idle_not_started = not_started & (anniversary <= day)
        assign(
            idle_not_started & agreed_start.notna(),
            "supplied_unused",
            _text(lang, "idle_not_started", due=_day(due), years=years),
        )
        assign(
            idle_not_started,
            "supplied_unused",
            _text(
                lang,
                "idle_no_agreed",
                base=_day(base),
                basis=pd.Series(text["delivered"], index=index).where(
                    delivery.notna(), text["supplied"]
                ),
                due=_day(due),
                years=years,
            ),
        )
        idle_since[idle_not_started] = anniversary[idle_not_started]

        stop_columns = absent("stopped_date")
        ratio_columns = absent("developed_ratio", "invested_ratio")
        if stop_columns or len(ratio_columns) == 2:
            _warn_absent(
                [*stop_columns, *ratio_columns],
                "the stopped-site idle test (started, under-developed, stopped a year) cannot "
                "run; started sites are treated as under construction",
            )
        else:
            developed, invested = number("developed_ratio"), number("invested_ratio")
            below = (developed < idle.min_developed_ratio) | (invested < idle.min_invested_ratio)
            long_stopped = (
                in_progress
                & start.notna()
                & (stopped + pd.DateOffset(years=idle.stopped_years) <= day)
            )
            stopped_idle = long_stopped & below
            assign(
                stopped_idle,
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
            since = stopped + pd.DateOffset(years=idle.stopped_years)
            idle_since[stopped_idle] = since[stopped_idle]
            ratios = {"developed_ratio": developed.isna(), "invested_ratio": invested.isna()}
            unknown = long_stopped & ~below & (ratios["developed_ratio"] | ratios["invested_ratio"])
            assign(
                unknown,
                None,
                _text(
                    lang,
                    "undetermined_stopped",
                    stopped=_day(stopped),
                    years=idle.stopped_years,
                    fields=_field_list(ratios, index, lang),
                ),
                unsure=True,
            )
            assign(long_stopped & ~below, None, text["stopped_ok"])
        assign(
            not_started & (due < day), None, _text(lang, "late_start", due=_day(due), years=years)
        )
        assign(not_started, None, _text(lang, "not_due", due=_day(due)))
        assign(in_progress & start.notna(), None, _text(lang, "building", start=_day(start)))

    # a lapsed non-final disposal: back in the stock since its lapse
    back = relapsed & (category == "supplied_unused")
    idle_since[back] = idle_since[back].where(idle_since[back] >= lapse[back], lapse[back])
    prefix = _text(lang, "relapsed", method=method, date=_day(disposal_raw), lapse=_day(lapse))
    reason[relapsed & reason.notna()] = prefix + reason.astype(str)

    # 3. low efficiency, on land in use
    no_record = approval_raw.isna() & supply_raw.isna()
    if absent("actual_completion_date") and not absent("approval_date", "supply_date"):
        _warn_absent(
            ["actual_completion_date"],
            "supplied land cannot be told completed; only land with no approval or supply "
            "record is screened for low efficiency",
        )
    in_use = completion.notna() | no_record
    indicator_columns = [column for _, column, _, _ in _INDICATORS]
    missing_indicators = absent(*indicator_columns)
    if len(missing_indicators) == len(indicator_columns):
        _warn_absent(
            missing_indicators,
            f"the {category_label('low_efficiency')} (low_efficiency) screen cannot run; "
            "that category stays empty",
        )
        if per_mu is not None:
            _screen_per_mu(out, per_mu, in_use, category, reason, low, lang)
        assign(in_use, None, _text(lang, "no_rule", columns=", ".join(missing_indicators)))
    else:
        has_code = "land_use_code" in columns
        if missing_indicators or not has_code:
            _warn_absent(
                [*missing_indicators, *([] if has_code else ["land_use_code"])],
                "those indicators are not screened"
                + ("" if has_code else "; plot ratio and coverage floors need land_use_code"),
            )
        codes = (
            normalize_codes(out["land_use_code"], code_system)
            if has_code
            else pd.Series(None, index=index, dtype=object)
        )
        industrial = is_industrial(codes, code_system)
        code_known = codes.notna() if has_code else pd.Series(True, index=index)
        maybe_industrial = industrial | ~code_known
        failed_text = pd.Series("", index=index, dtype=object)
        any_failed = pd.Series(False, index=index)
        would_fail = pd.Series(False, index=index)  # fails if the unknown code is industrial
        checked = pd.Series(False, index=index)
        lacking: dict[str, pd.Series] = {}
        sep = text["sep"]
        for key, column, attribute, industrial_only in _INDICATORS:
            if column not in columns:
                continue
            if industrial_only and not has_code:
                continue
            value, limit = number(column), getattr(low, attribute)
            below = value < limit
            failed = below & (industrial if industrial_only else True)
            piece = _text(lang, key, value=_num(value), limit=limit)
            failed_text = failed_text.where(
                ~failed, failed_text.where(~any_failed, failed_text + sep) + piece
            )
            any_failed |= failed
            if industrial_only:
                would_fail |= below & ~code_known
            checked |= value.notna() & (industrial if industrial_only else True)
            lacking[column] = value.isna() & maybe_industrial
        if has_code:  # an unknown code matters where the industrial floors would decide
            industrial_gaps = [lacking[c] for c in ("far", "building_coverage") if c in lacking]
            gap = _any(industrial_gaps, index)
            lacking = {"land_use_code": ~code_known & (would_fail | gap), **lacking}
        assign(in_use & any_failed, "low_efficiency", _text(lang, "low", which=failed_text))
        if per_mu is not None:  # 亩均效益评价 D 类: after the indicators, whose reasons it extends
            _screen_per_mu(out, per_mu, in_use, category, reason, low, lang)
        unsure = in_use & _any(list(lacking.values()), index)
        assign(
            unsure,
            None,
            _text(lang, "undetermined_low", fields=_field_list(lacking, index, lang)),
            unsure=True,
        )
        assign(in_use & no_record & checked, None, text["no_record"])
        assign(in_use & checked, None, text["in_use"])
        assign(in_use, None, text["not_screened"])

    missing_any = absent("approval_date", "supply_date", "actual_start_date")
    assign(
        pd.Series(True, index=index),
        None,
        _text(lang, "no_rule", columns=", ".join(missing_any))
        if missing_any
        else text["not_screened"],
    )

    return out.assign(
        category=category,
        reason=reason,
        undetermined=undetermined.to_numpy(dtype=bool),
        idle_since=idle_since.where(category == "supplied_unused"),
        approval_lapsed=lapsed.to_numpy(),
    )


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
