"""A report a director can read: one self-contained HTML page, and the same tables in Excel."""

from __future__ import annotations

import base64
import io
import os
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from jinja2 import Environment

from landuse._errors import InputError
from landuse.vocab import CATEGORIES, Lang, category_label

__all__ = ["report"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ 'zh-CN' if lang == 'zh' else 'en' }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
 body { font: 15px/1.5 "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
        margin: 0 auto; max-width: 1200px; padding: 24px; color: #222; }
 h1 { font-size: 26px; margin-bottom: 4px; } .sub { color: #666; margin-top: 0; }
 .cards { display: flex; gap: 14px; flex-wrap: wrap; margin: 18px 0; }
 .card { flex: 1 1 170px; border: 1px solid #ddd; border-radius: 6px; padding: 12px 14px; }
 .card .n { font-size: 26px; font-weight: bold; } .card .l { color: #666; font-size: 13px; }
 .met { color: #1e8449; } .missed { color: #c0392b; }
 iframe { width: 100%; height: 620px; border: 1px solid #ddd; border-radius: 6px; }
 table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 20px; }
 th, td { border-bottom: 1px solid #e5e5e5; padding: 5px 8px; text-align: right; }
 th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
 tr.met td:last-child { background: #e3f4e1; } tr.missed td:last-child { background: #fbe3e1; }
 tr.overdue td { background: #fbe3e1; }
 img { max-width: 100%; } footer { color: #888; font-size: 12px; margin-top: 30px; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="sub">{{ subtitle }}</p>
<div class="cards">
{% for card in cards %}<div class="card"><div class="n {{ card.css }}">{{ card.value }}</div>
<div class="l">{{ card.label }}</div></div>{% endfor %}
</div>
<h2>{{ words.map }}</h2>
<iframe title="map" srcdoc="{{ map_html }}"></iframe>
<h2>{{ words.rates }}</h2>
<table id="rates"><thead><tr>{% for h in rates_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rates_rows %}<tr class="{{ row.css }}">{% for v in row.cells %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<h2>{{ words.charts }}</h2>
<img alt="rates" src="data:image/png;base64,{{ rates_png }}">
<img alt="progress" src="data:image/png;base64,{{ progress_png }}">
{% if renewal_rows %}<h2>{{ words.renewal }}</h2>
<table id="renewal"><thead><tr>{% for h in renewal_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in renewal_rows %}<tr class="{{ row.css }}">{% for v in row.cells %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<img alt="renewal" src="data:image/png;base64,{{ renewal_png }}">{% endif %}
{% if survey_rows %}<h2>{{ words.survey }}</h2>
<table id="survey"><thead><tr>{% for h in survey_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in survey_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
<h2>{{ words.quality }}</h2>
{% if quality %}<table id="quality"><thead><tr>{% for h in quality_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in quality %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% else %}<p>{{ words.no_problems }}</p>{% endif %}
<footer>{{ words.footer }}</footer>
</body></html>
"""

_WORDS = {
    "zh": {
        "map": "地图",
        "rates": "各片区处置率",
        "charts": "图表",
        "quality": "数据质量",
        "no_problems": "未发现问题。",
        "stock": "存量地块（宗）",
        "area": "存量面积（亩）",
        "disposed": "已处置面积（亩）",
        "rate": "总体处置率",
        "met": "达标片区",
        "title": "存量土地处置情况报告",
        "as_of": "截至",
        "target": "目标",
        "footer": "由 landuse 生成。",
        "severity": "级别",
        "code": "问题",
        "count": "数量",
        "renewal": "城市更新片区进度",
        "survey": "现状调查进度",
        "package": "工作包",
        "parcels": "地块",
        "surveyed": "已调查",
        "share": "完成比例",
        "all": "合计",
    },
    "en": {
        "map": "Map",
        "rates": "Disposal rates by area",
        "charts": "Charts",
        "quality": "Data quality",
        "no_problems": "No problems found.",
        "stock": "Parcels in stock",
        "area": "Stock area (mu)",
        "disposed": "Disposed (mu)",
        "rate": "Overall rate",
        "met": "Areas meeting the target",
        "title": "Stock-land disposal report",
        "as_of": "as of",
        "target": "target",
        "footer": "Made with landuse.",
        "severity": "Severity",
        "code": "Problem",
        "count": "Count",
        "renewal": "Renewal zones",
        "survey": "Field survey progress",
        "package": "Package",
        "parcels": "Parcels",
        "surveyed": "Surveyed",
        "share": "Share",
        "all": "All",
    },
}


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def report(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    renewal: gpd.GeoDataFrame | None = None,
    out: str | os.PathLike[str] = "report.html",
    target: float = 0.6,
    as_of: Any = None,
    title: str | None = None,
    tiles: Any = None,
    excel: bool = True,
    lang: Lang = "zh",
    survey: pd.DataFrame | None = None,
) -> Path:
    """Write a self-contained HTML report (and an Excel workbook of its tables).

    The page holds the headline numbers, the map (Leaflet inlined, no internet needed but for
    ``tiles``), the rates table with targets met or missed, the rate and progress charts, and
    the data-quality summary. ``out.with_suffix(".xlsx")`` gets the same tables with Chinese
    headers (``excel=False`` to skip it).

    Parameters
    ----------
    parcels
        The task list (with ``category``; see :func:`landuse.classify`).
    zones
        Zones with ``name``.
    renewal
        Renewal zones drawn on the map; with stage dates (see
        :func:`landuse.renewal_progress`) also a section with each zone's stage, days in
        stage, overdue flag and the stock inside, and a stage timeline.
    target
        Target disposal rate (default 0.6).
    as_of
        Reporting date (default: every recorded disposal).
    survey
        Filled checklists from :func:`landuse.read_survey`: adds the field-survey progress per
        work package (packages from ``parcels["package"]`` when present, else from the
        checklists).

    Examples
    --------
    >>> import tempfile, pathlib, landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> page = lu.report(lu.read_parcels(path), lu.read_zones(path), as_of="2022-06-30",
    ...                  out=pathlib.Path(tempfile.mkdtemp()) / "report.html", lang="en")
    >>> page.name, page.with_suffix(".xlsx").exists()
    ('report.html', True)
    """
    from landuse.maps import parcel_map
    from landuse.plots import _language, plot_progress, plot_rates
    from landuse.quality import check
    from landuse.stats import display_rates, disposal_rates, progress
    from landuse.zones import assign_zones

    if "category" not in parcels.columns:
        raise InputError("parcels need a category column; derive it with lu.classify")
    lang, _ = _language(lang)
    words = _WORDS[lang]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pieces = assign_zones(parcels, zones)
    rates = disposal_rates(pieces, as_of=as_of, target=target)
    totals = disposal_rates(pieces.assign(scope="all"), by="scope", as_of=as_of)
    row = pd.DataFrame(totals).xs(("all", "all")).astype(float)
    overall = {k: float(row[k]) for k in ("parcels", "area_mu", "disposed_area_mu", "rate")}  # type: ignore[arg-type]
    per_zone = rates.xs("all", level="category")
    met = int(per_zone["meets_target"].fillna(False).astype(bool).sum())
    cards = [
        {"value": f"{int(overall['parcels']):,}", "label": words["stock"], "css": ""},
        {"value": f"{overall['area_mu']:,.0f}", "label": words["area"], "css": ""},
        {"value": f"{overall['disposed_area_mu']:,.0f}", "label": words["disposed"], "css": ""},
        {
            "value": f"{overall['rate']:.1%}",
            "label": f"{words['rate']}（{words['target']} {target:.0%}）"
            if lang == "zh"
            else f"{words['rate']} ({words['target']} {target:.0%})",
            "css": "met" if overall["rate"] >= target else "missed",
        },
        {"value": f"{met} / {len(per_zone)}", "label": words["met"], "css": ""},
    ]
    for category in CATEGORIES:
        value = rates.xs(category, level="category")
        area = value["area_mu"].sum()
        share = value["disposed_area_mu"].sum() / area if area else float("nan")
        cards.append(
            {
                "value": f"{share:.1%}",
                "label": category_label(category, lang),
                "css": "met" if share >= target else "missed",
            }
        )

    shown = display_rates(rates, lang=lang)
    met_flags = pd.DataFrame(rates)["meets_target"].to_numpy()
    rows = [
        {
            "cells": list(map(str, values)),
            "css": "" if pd.isna(flag) else "met" if bool(flag) else "missed",
        }
        for values, flag in zip(shown.itertuples(index=False), met_flags, strict=True)
    ]
    quality = check(parcels, zones=zones)
    counts = quality.groupby(["severity", "code"], sort=False).size().reset_index(name="count")

    the_map = parcel_map(
        parcels,
        zones=zones,
        renewal=renewal,
        rates=rates,
        tiles=tiles,
        offline=True,
        as_of=as_of,
        lang=lang,
    )
    day = pd.Timestamp(as_of).date() if as_of is not None else date.today()
    renewal_header, renewal_rows, renewal_png = _renewal_section(renewal, parcels, day, lang)
    survey_header, survey_rows = _survey_section(parcels, survey, words)
    subtitle = f"{words['as_of']} {day:%Y-%m-%d} · {words['target']} {target:.0%}"
    page = (
        Environment(autoescape=True)
        .from_string(_TEMPLATE)
        .render(
            lang=lang,
            title=title or words["title"],
            subtitle=subtitle,
            words=words,
            cards=cards,
            map_html=the_map.get_root().render(),
            rates_header=list(shown.columns),
            rates_rows=rows,
            rates_png=_png(plot_rates(rates, target=target, lang=lang)),
            progress_png=_png(plot_progress(progress(pieces), target=target, lang=lang)),
            quality_header=[words["severity"], words["code"], words["count"]],
            quality=counts.values.tolist(),
            renewal_header=renewal_header,
            renewal_rows=renewal_rows,
            renewal_png=renewal_png,
            survey_header=survey_header,
            survey_rows=survey_rows,
        )
    )
    _atomic_write(out, page.encode("utf-8"))
    if excel:
        _write_workbook(out.with_suffix(".xlsx"), shown, counts, quality, lang)
    return out


def _renewal_section(
    renewal: gpd.GeoDataFrame | None, parcels: gpd.GeoDataFrame, day: date, lang: Lang
) -> tuple[list[str], list[dict[str, Any]], str]:
    from landuse.plots import plot_renewal
    from landuse.renewal import STAGE_DATE_COLUMNS, display_renewal, renewal_progress

    if renewal is None or not any(c in renewal.columns for c in STAGE_DATE_COLUMNS):
        return [], [], ""
    table = renewal_progress(renewal, parcels, as_of=day)
    shown = display_renewal(table, lang=lang)
    rows = [
        {"cells": list(map(str, values)), "css": "overdue" if overdue else ""}
        for values, overdue in zip(shown.itertuples(index=False), table["overdue"], strict=True)
    ]
    return list(shown.columns), rows, _png(plot_renewal(renewal, as_of=day, lang=lang))


def _survey_section(
    parcels: gpd.GeoDataFrame, survey: pd.DataFrame | None, words: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    from landuse.survey import survey_progress

    if survey is None:
        return [], []
    planned = parcels if "package" in parcels.columns else survey
    table = survey_progress(planned[planned["parcel_id"].notna()], survey)
    parcels_total, surveyed_total = int(table["parcels"].sum()), int(table["surveyed"].sum())
    total = pd.DataFrame(
        {
            "package": ["all"],
            "parcels": [parcels_total],
            "surveyed": [surveyed_total],
            "share": [surveyed_total / parcels_total if parcels_total else float("nan")],
        }
    )
    table = pd.concat([table, total], ignore_index=True)
    rows = [
        [
            words["all"] if package == "all" else str(package),
            f"{int(n):,}",
            f"{int(done):,}",
            "" if pd.isna(share) else f"{share:.0%}",
        ]
        for package, n, done, share in zip(
            table["package"], table["parcels"], table["surveyed"], table["share"], strict=True
        )
    ]
    header = [words["package"], words["parcels"], words["surveyed"], words["share"]]
    return header, rows


def _write_workbook(
    path: Path, shown: pd.DataFrame, counts: pd.DataFrame, quality: pd.DataFrame, lang: Lang
) -> None:
    names = (
        ("处置率", "数据质量汇总", "数据质量明细")
        if lang == "zh"
        else ("Rates", "Quality summary", "Quality details")
    )
    temp = path.with_name(f".{path.stem}.tmp.xlsx")
    with pd.ExcelWriter(temp, engine="openpyxl") as writer:
        shown.to_excel(writer, sheet_name=names[0], index=False)
        counts.to_excel(writer, sheet_name=names[1], index=False)
        pd.DataFrame(quality).to_excel(writer, sheet_name=names[2], index=False)
    os.replace(temp, path)
