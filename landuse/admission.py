"""项目准入: proposed projects checked against the control indicators before land is given.

"大项目供地、小项目入园": a project that passes gets land of its own (供地) when it is big enough,
else goes into a park (区中园, 入园) — standard factory space instead of a new parcel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from landuse._errors import DuplicateIdError, InputError
from landuse._validate import require_columns
from landuse.vocab import ROUTE_LABELS, Lang

__all__ = ["AdmissionRules", "admission"]


@dataclass(frozen=True)
class AdmissionRules:
    """Thresholds of project admission. The defaults are common values, not national law.

    The national control indicators of industrial land (《工业项目建设用地控制指标》,
    国土资发〔2008〕24号) set investment intensity by region and industry (万元/公顷), a plot
    ratio of at least 0.6–1.0 by industry, building coverage of at least 30 %, administrative
    and living facilities at most 7 % of the land and green space at most 20 %. Provinces and
    development zones add a promised tax per mu and set their own values: set yours.

    Attributes
    ----------
    min_investment_per_mu
        Fixed-asset investment per mu (投资强度), 万元/亩 (default 300, a common figure for
        provincial development zones in Shandong; 300 万元/亩 = 4500 万元/公顷).
    min_far
        Minimum plot ratio (容积率) of industrial projects (default 1.0).
    min_building_coverage
        Minimum building coverage (建筑系数) of industrial projects (default 0.30).
    min_tax_per_mu
        Minimum promised tax per mu (亩均税收) at full production, 万元/亩 (default 20).
    max_admin_share
        Maximum share of administrative and living facilities (行政办公及生活服务设施用地),
        checked where the column ``admin_share`` is given (default 0.07).
    max_green_ratio
        Maximum green ratio (绿地率) of industrial projects, checked where ``green_ratio`` is
        given (default 0.20).
    park_below_mu
        Projects needing less land than this go into a park (入园) instead of getting land of
        their own (default 30 亩).
    industrial_codes
        Land-use code prefixes of industrial projects (GB/T 21010-2017 ``0601``, warehousing
        ``0604``, its 2007 edition ``061``/``063``, and 用地用海分类 ``1001``/``1101``); FAR,
        coverage and the facility shares apply to them only.
    """

    min_investment_per_mu: float = 300.0
    min_far: float = 1.0
    min_building_coverage: float = 0.30
    min_tax_per_mu: float = 20.0
    max_admin_share: float = 0.07
    max_green_ratio: float = 0.20
    park_below_mu: float = 30.0
    industrial_codes: tuple[str, ...] = ("0601", "0604", "061", "063", "1001", "1101")


_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "investment": "投资强度 {value:.0f} 万元/亩 < {limit:g} 万元/亩",
        "far": "容积率 {value:.2f} < {limit:g}",
        "coverage": "建筑系数 {value:.0%} < {limit:.0%}",
        "tax": "承诺亩均税收 {value:.1f} 万元/亩 < {limit:g} 万元/亩",
        "admin": "行政办公及生活服务设施用地占比 {value:.0%} > {limit:.0%}",
        "green": "绿地率 {value:.0%} > {limit:.0%}",
        "missing": "待核查：缺{fields}",
        "ok": "符合准入条件（投资强度 {investment:.0f} 万元/亩，承诺亩均税收 {tax:.1f} 万元/亩{extra}）",
        "extra": "，容积率 {far:.2f}，建筑系数 {coverage:.0%}",
        "refused": "不予准入：{why}",
        "route_land": "用地 {mu:g} 亩 ≥ {limit:g} 亩，单独供地",
        "route_park": "用地 {mu:g} 亩 < {limit:g} 亩，入园（区中园）",
        "sep": "；",
        "fields": {
            "land_mu": "用地面积",
            "investment": "投资额",
            "tax_per_mu": "承诺亩均税收",
            "far": "容积率",
            "building_coverage": "建筑系数",
        },
    },
    "en": {
        "investment": "investment {value:.0f} < {limit:g} (10k yuan/mu)",
        "far": "plot ratio {value:.2f} < {limit:g}",
        "coverage": "building coverage {value:.0%} < {limit:.0%}",
        "tax": "promised tax per mu {value:.1f} < {limit:g} (10k yuan/mu)",
        "admin": "administrative and living facilities {value:.0%} > {limit:.0%}",
        "green": "green ratio {value:.0%} > {limit:.0%}",
        "missing": "to be checked: no {fields}",
        "ok": "meets the admission rules (investment {investment:.0f}, promised tax "
        "{tax:.1f} per mu{extra})",
        "extra": ", plot ratio {far:.2f}, coverage {coverage:.0%}",
        "refused": "not admitted: {why}",
        "route_land": "{mu:g} mu ≥ {limit:g} mu: land of its own",
        "route_park": "{mu:g} mu < {limit:g} mu: into a park",
        "sep": "; ",
        "fields": {
            "land_mu": "land area",
            "investment": "investment",
            "tax_per_mu": "promised tax per mu",
            "far": "plot ratio",
            "building_coverage": "building coverage",
        },
    },
}
_NUMBERS = (
    "land_mu",
    "investment",
    "tax_per_mu",
    "far",
    "building_coverage",
    "admin_share",
    "green_ratio",
)


def _number(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    values = frame[column]
    parsed = pd.to_numeric(values, errors="coerce").astype(float)
    bad = (parsed.isna() & values.notna()) | (parsed < 0) | np.isinf(parsed)
    if bad.any():
        raise InputError(
            f"column {column!r} must hold non-negative numbers",
            frame.loc[bad, "project_id"].astype(str),
        )
    if column in ("building_coverage", "admin_share", "green_ratio") and (parsed > 1).any():
        raise InputError(
            f"column {column!r} must be a ratio between 0 and 1 (divide percentages by 100)",
            frame.loc[parsed > 1, "project_id"].astype(str),
        )
    return parsed


def admission(
    projects: pd.DataFrame,
    *,
    rules: AdmissionRules | Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """Check proposed projects against the control indicators (项目准入).

    Every project must show investment intensity (``investment`` ÷ ``land_mu``) and a promised
    tax per mu at or above the rules; industrial projects (``land_use_code``) also plot ratio
    and building coverage, and where given the shares of administrative facilities and green
    space. A project lacking a value it is checked on is not admitted: ``undetermined`` and
    the reason names what is missing (待核查), never a pass. The route (``land`` 供地 or
    ``park`` 入园, by ``rules.park_below_mu``) is given for every project with a land area.

    Parameters
    ----------
    projects
        One row per project: ``project_id``, ``land_use_code``, ``land_mu`` (亩),
        ``investment`` (fixed-asset investment, 万元), ``tax_per_mu`` (promised, 万元/亩),
        ``far``, ``building_coverage`` (0–1); optional ``admin_share``, ``green_ratio``,
        ``name``.
    rules
        Thresholds: an :class:`AdmissionRules`, or a mapping of some of its fields
        (``{"min_investment_per_mu": 250}``); default ``AdmissionRules()``.
    lang
        Language of ``reason``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``investment_per_mu``, ``admitted`` (bool), ``undetermined`` (bool),
        ``route`` (``"land"`` / ``"park"``), ``route_label`` and ``reason``.

    Examples
    --------
    >>> import pandas as pd, landuse as lu
    >>> projects = pd.DataFrame({
    ...     "project_id": ["P1", "P2", "P3"], "land_use_code": ["0601"] * 3,
    ...     "land_mu": [80, 12, 50], "investment": [32000, 4200, 9000],
    ...     "tax_per_mu": [30, 25, 12], "far": [1.4, 2.0, 0.8], "building_coverage": [0.45, 0.5, 0.35]})
    >>> lu.admission(projects)[["project_id", "admitted", "route"]]
      project_id  admitted route
    0         P1      True  land
    1         P2      True  park
    2         P3     False  land
    """
    if lang not in _WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if not isinstance(projects, pd.DataFrame):
        raise InputError(f"projects must be a pandas.DataFrame, got {type(projects).__name__}")
    require_columns(projects, ("project_id", "land_mu", "investment", "tax_per_mu"))
    if rules is None:
        rules = AdmissionRules()
    elif not isinstance(rules, AdmissionRules):
        known = set(AdmissionRules.__dataclass_fields__)
        unknown = sorted(set(rules) - known)
        if unknown:
            raise InputError(
                f"unknown admission rule(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        rules = AdmissionRules(**dict(rules))
    words = _WORDS[lang]
    out = pd.DataFrame(projects).copy()
    ids = out["project_id"]
    no_id = ids.isna() | (ids.astype(str).str.strip() == "")
    if no_id.any():
        raise InputError("projects with no project_id", [f"row {i}" for i in out.index[no_id]])
    repeated = ids.astype(str).duplicated(keep=False)
    if repeated.any():
        raise DuplicateIdError("project_id must be unique; repeated", sorted(set(ids[repeated])))
    values = {c: _number(out, c) for c in _NUMBERS}
    code = (
        out["land_use_code"].astype(object).map(lambda v: "" if pd.isna(v) else str(v).strip())
        if "land_use_code" in out.columns
        else pd.Series("", index=out.index)
    )
    code = code.map(lambda c: "0" + c if len(c) == 3 and c[0] in "5678" else c)  # 601 from Excel
    industrial = code.str.startswith(rules.industrial_codes)
    land = values["land_mu"].where(values["land_mu"] > 0)
    intensity = values["investment"] / land
    out["investment_per_mu"] = intensity

    checks = [
        (
            "investment",
            intensity,
            rules.min_investment_per_mu,
            "min",
            None,
            ("land_mu", "investment"),
        ),
        ("tax", values["tax_per_mu"], rules.min_tax_per_mu, "min", None, ("tax_per_mu",)),
        ("far", values["far"], rules.min_far, "min", industrial, ("far",)),
        (
            "coverage",
            values["building_coverage"],
            rules.min_building_coverage,
            "min",
            industrial,
            ("building_coverage",),
        ),
    ]
    admitted, undetermined, route, reason = [], [], [], []
    for i in range(len(out)):
        failed: list[str] = []
        lacking: list[str] = []
        for key, value, limit, _kind, applies, needs in checks:
            if applies is not None and not bool(applies.iloc[i]):
                continue
            v = value.iloc[i]
            if pd.isna(v):
                lacking += [
                    words["fields"][n]
                    for n in needs
                    if pd.isna(values[n].iloc[i]) or (n == "land_mu" and pd.isna(land.iloc[i]))
                ]
            elif v < limit:
                failed.append(words[key].format(value=v, limit=limit))
        for key, column, limit in (
            ("admin", "admin_share", rules.max_admin_share),
            ("green", "green_ratio", rules.max_green_ratio),
        ):
            v = values[column].iloc[i]
            if bool(industrial.iloc[i]) and not pd.isna(v) and v > limit:
                failed.append(words[key].format(value=v, limit=limit))
        lacking = list(dict.fromkeys(lacking))
        mu = land.iloc[i]
        if pd.isna(mu):
            way, route_text = None, ""
        elif mu < rules.park_below_mu:
            way = "park"
            route_text = words["route_park"].format(
                mu=round(float(mu), 2), limit=rules.park_below_mu
            )
        else:
            way = "land"
            route_text = words["route_land"].format(
                mu=round(float(mu), 2), limit=rules.park_below_mu
            )
        parts: list[str] = []
        if failed:
            parts.append(words["refused"].format(why=words["sep"].join(failed)))
        if lacking:
            parts.append(
                words["missing"].format(
                    fields="、".join(lacking) if lang == "zh" else ", ".join(lacking)
                )
            )
        if not failed and not lacking:
            extra = (
                words["extra"].format(
                    far=values["far"].iloc[i], coverage=values["building_coverage"].iloc[i]
                )
                if bool(industrial.iloc[i])
                else ""
            )
            parts.append(
                words["ok"].format(
                    investment=intensity.iloc[i], tax=values["tax_per_mu"].iloc[i], extra=extra
                )
            )
        if route_text:
            parts.append(route_text)
        admitted.append(not failed and not lacking)
        undetermined.append(not failed and bool(lacking))
        route.append(way)
        reason.append(words["sep"].join(parts))
    out["admitted"] = np.asarray(admitted, dtype=bool)
    out["undetermined"] = np.asarray(undetermined, dtype=bool)
    out["route"] = pd.Series(route, index=out.index, dtype=object)
    out["route_label"] = out["route"].map(lambda r: ROUTE_LABELS[lang][r], na_action="ignore")
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    return out
