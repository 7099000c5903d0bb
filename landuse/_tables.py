"""Result tables that read well in a notebook (``_repr_html_``) and stay plain DataFrames.

Anything derived from them (a slice, a join) is an ordinary ``pandas.DataFrame``.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

__all__ = ["QualityReport", "RatesTable"]

_MET, _MISSED = "background-color:#e3f4e1", "background-color:#fbe3e1"


class RatesTable(pd.DataFrame):
    """The result of :func:`landuse.disposal_rates`: shown with labels, 亩 and rates in %."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str:
        from landuse.stats import display_rates

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
            Lang,
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
