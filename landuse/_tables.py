"""Result tables that read well in a notebook (``_repr_html_``) and stay plain DataFrames.

Anything derived from them (a slice, a join) is an ordinary ``pandas.DataFrame``.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from landuse._errors import InputError
from landuse.vocab import RATE_HEADERS, Lang, category_label

__all__ = ["QualityReport", "RatesTable", "as_rates", "display_rates"]

_MET, _MISSED = "background-color:#e3f4e1", "background-color:#fbe3e1"


class RatesTable(pd.DataFrame):
    """The result of :func:`landuse.disposal_rates`: shown with labels, 亩 and rates in %."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str:
        shown = display_rates(pd.DataFrame(self), lang=self.attrs.get("lang", "zh"))
        met_column = next((c for c in shown.columns if c in ("达标", "Met")), None)
        # escape: zone names and user column names are data, never markup
        styler = (
            shown.style.hide(axis="index")
            .format(escape="html", precision=1, thousands=",")
            .format_index(escape="html", axis=1)
        )
        if met_column is not None:
            met = pd.DataFrame(self)["meets_target"].to_numpy()
            styles = pd.DataFrame("", index=shown.index, columns=shown.columns)
            styles[met_column] = ["" if pd.isna(m) else _MET if bool(m) else _MISSED for m in met]
            styler = styler.apply(lambda _: styles, axis=None)
        return str(styler.to_html())


class QualityReport(pd.DataFrame):
    """The result of :func:`landuse.check`: counts by severity and code, then the rows."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str:
        from landuse.vocab import (
            QUALITY_HEADERS,
            SEVERITY_LABELS,
            check_label,
            check_value,
        )

        lang: Lang = "en" if self.attrs.get("lang") == "en" else "zh"
        colours = {"error": "#c0392b", "warning": "#d68910", "info": "#5d6d7e"}
        if self.empty:
            return "<p><b>✓ " + ("未发现问题" if lang == "zh" else "no problems found") + "</b></p>"
        counts = self.groupby(["severity", "code"], sort=False).size()
        items = []
        for key, n in counts.items():
            severity, code = (str(k) for k in key)  # type: ignore[attr-defined]
            # the label for people, the code (what --out and filters use) in grey after it
            items.append(
                f'<li><span style="color:{colours.get(severity, "#000")};font-weight:bold">'
                f"{html.escape(SEVERITY_LABELS[lang].get(severity, severity))}</span> "
                f"{html.escape(check_label(code, lang))} "
                f'<span style="color:#888">({html.escape(code)})</span>: {n:,}</li>'
            )
        summary = "".join(items)
        head = pd.DataFrame(self).head(20)
        shown = head.assign(
            severity=head["severity"].map(lambda s: SEVERITY_LABELS[lang].get(s, s)),
            code=head["code"].map(lambda c: check_label(c, lang)),
            value=[
                check_value(c, v, lang) for c, v in zip(head["code"], head["value"], strict=True)
            ],
        ).rename(columns=QUALITY_HEADERS[lang])
        rows = shown.to_html(index=False, escape=True, na_rep="")
        more = ""
        if len(self) > 20:
            more = (
                f"<p>… 另有 {len(self) - 20:,} 行</p>"
                if lang == "zh"
                else f"<p>… {len(self) - 20:,} more rows</p>"
            )
        return f"<ul>{summary}</ul>{rows}{more}"


def as_rates(frame: pd.DataFrame, **attrs: Any) -> RatesTable:
    table = RatesTable(frame)
    table.attrs.update(attrs)
    return table


def display_rates(
    rates: pd.DataFrame, *, lang: Lang = "zh", digits: int = 1, as_numbers: bool = False
) -> pd.DataFrame:
    """A copy of a :func:`disposal_rates` table for people: labels, rounded 亩, rates in %.

    With ``as_numbers=True`` rates stay fractions (0–1) and areas unrounded, for a spreadsheet
    that formats them (the report's workbook); labels and headers are the same.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> pieces = lu.assign_zones(lu.read_parcels(path), lu.read_zones(path))
    >>> table = lu.display_rates(lu.disposal_rates(pieces, as_of="2022-06-30"))
    >>> list(table.columns)
    ['片区', '类别', '宗数', '面积（亩）', '已处置（宗）', '已处置（亩）', '处置率', '处置率（宗数）']
    """
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    headers = RATE_HEADERS[lang]
    table = rates.reset_index()
    table["category"] = table["category"].map(lambda c: category_label(c, lang))
    for column in ("area_mu", "disposed_area_mu"):
        if not as_numbers:
            table[column] = table[column].round(digits)
    for column in ("rate", "count_rate", "target"):
        if column in table.columns and not as_numbers:
            table[column] = table[column].map(lambda r: "—" if pd.isna(r) else f"{r:.{digits}%}")
    if "meets_target" in table.columns:
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        table["meets_target"] = table["meets_target"].map(
            lambda m: "—" if pd.isna(m) else (yes if m else no)
        )
    for column in [str(c) for c in rates.index.names if c != "category"]:
        table[column] = table[column].fillna("（区外）" if lang == "zh" else "(outside)")
    return table.rename(columns=headers)
