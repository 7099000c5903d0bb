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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._disposal import NON_FINAL, lapse_dates
from landuse._errors import InputError, warn
from landuse._landuse_codes import CODE_SYSTEMS, is_industrial, normalize_codes
from landuse._permu import parcel_grade
from landuse._progress import stages
from landuse._validate import as_date, validate_parcels
from landuse.vocab import REASON_TEXT, Lang, category_label, field_label

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
    only the per-mu values it has are compared. Without a ``land_use_code`` column any parcel
    may be industrial: a missing per-mu value makes it ``undetermined``, never compliant.

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


_INDICATORS = (  # key, column, limit attribute, industrial only
    ("far", "far", "min_far", True),
    ("coverage", "building_coverage", "min_building_coverage", True),
    ("tax", "tax_per_mu", "min_tax_per_mu", False),
    ("output", "output_per_mu", "min_output_per_mu", False),
)


def _text(lang: str, key: str, **values: Any) -> Any:
    """Fill a template; values may be Series (filled row-wise) or scalars."""
    template = REASON_TEXT[lang][key]
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
    return pd.Series(dates.dt.strftime("%Y-%m-%d"), index=dates.index)


def _pct(values: pd.Series) -> pd.Series:
    shown = (values * 100).round(0).map(lambda v: "—" if pd.isna(v) else f"{v:.0f}%")
    return shown.astype(object)


def _num(values: pd.Series, digits: int = 2) -> pd.Series:
    return values.round(digits).astype(str)


def _field_list(flags: dict[str, pd.Series], index: pd.Index, lang: str) -> pd.Series:
    """Per row, the fields whose flag is set, joined: 容积率（far）… in Chinese, so that the
    column to fill is named too; the column names in English."""
    out = pd.Series("", index=index, dtype=object)
    sep = REASON_TEXT[lang]["list"]
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
    verbose: bool = False,
) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.classify` (documented there)."""
    with stages("classify", 2, verbose=verbose) as stage:
        stage("validate")
        return _classify(
            parcels,
            as_of=as_of,
            code_system=code_system,
            window_years=window_years,
            lapse_years=lapse_years,
            idle=idle,
            low=low,
            non_final=non_final,
            lang=lang,
            per_mu=per_mu,
            stage=stage,
        )


def _classify(
    parcels: gpd.GeoDataFrame,
    *,
    as_of: Any,
    code_system: str,
    window_years: int | None,
    lapse_years: int,
    idle: IdleRules,
    low: LowEfficiencyRules,
    non_final: Mapping[str, int],
    lang: Lang,
    per_mu: pd.DataFrame | None,
    stage: Callable[[str], None],
) -> gpd.GeoDataFrame:
    if lang not in REASON_TEXT:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    if code_system not in CODE_SYSTEMS:
        raise InputError(
            f"code_system must be one of {', '.join(CODE_SYSTEMS)}, not {code_system!r}"
        )
    out = validate_parcels(parcels)
    stage("rules")
    day = as_date(as_of)
    index = out.index
    columns = set(out.columns)
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    nan = pd.Series(np.nan, index=index, dtype="float64")
    text = REASON_TEXT[lang]

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
        # without a code column the land may be industrial: its missing values are not compliant
        code_known = codes.notna() if has_code else pd.Series(False, index=index)
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
    words = REASON_TEXT[lang]
    text = pd.Series(words["per_mu_d"], index=out.index, dtype=object).where(
        d_share >= 1.0 - 1e-9,
        share.map(lambda s: words["per_mu_d_share"].format(share=s)),
    )
    both = screened & (category == "low_efficiency")
    reason[both] = reason[both] + words["sep"] + text[both]
    fresh = screened & reason.isna()
    category[fresh] = "low_efficiency"
    reason[fresh] = text[fresh].map(lambda t: words["low"].format(which=t))
