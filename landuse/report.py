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
from landuse.vocab import CATEGORIES, SEVERITY_LABELS, Lang, category_label, check_label

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
 tr.overdue td { background: #fbe3e1; }
 tr.met td:last-child { background: #e3f4e1; } tr.missed td:last-child { background: #fbe3e1; }
 img { max-width: 100%; } footer { color: #888; font-size: 12px; margin-top: 30px; }
 .print-only { display: none; }
 @media print {
   @page { size: A4; margin: 14mm 12mm; }
   body { max-width: none; padding: 0; font-size: 10.5pt; }
   iframe { display: none; } .print-only { display: block; }
   .cards { gap: 6px; } .card { padding: 6px 8px; } .card .n { font-size: 18px; }
   h2 { break-after: avoid; page-break-after: avoid; } tr, img { break-inside: avoid; }
   table { font-size: 9pt; } thead { display: table-header-group; }
 }
</style></head><body>
<h1>{{ title }}</h1>
<p class="sub">{{ subtitle }}</p>
<div class="cards">
{% for card in cards %}<div class="card"><div class="n {{ card.css }}">{{ card.value }}</div>
<div class="l">{{ card.label }}</div></div>{% endfor %}
</div>
<h2>{{ words.map }}</h2>
<iframe title="map" srcdoc="{{ map_html }}"></iframe>
{% if print_map_png %}<img class="print-only" alt="map" src="data:image/png;base64,{{ print_map_png }}">{% endif %}
<h2>{{ words.rates }}</h2>
<table id="rates"><thead><tr>{% for h in rates_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rates_rows %}<tr class="{{ row.css }}">{% for v in row.cells %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<h2>{{ words.idle }}</h2>
<p id="idle-summary">{{ idle_summary }}</p>
{% if idle_rows %}<table id="idle"><thead><tr>{% for h in idle_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in idle_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
<h2>{{ words.undetermined }}</h2>
<p id="undetermined-summary">{{ undetermined_summary }}</p>
{% if undetermined_rows %}<table id="undetermined"><thead><tr>{% for h in undetermined_header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in undetermined_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
<h2>{{ words.charts }}</h2>
{% if rates_png %}<img alt="rates" src="data:image/png;base64,{{ rates_png }}">
{% if progress_png %}<img alt="progress" src="data:image/png;base64,{{ progress_png }}">{% endif %}{% else %}<p>{{ words.no_stock }}</p>{% endif %}
{% if permu %}<h2 id="per-mu">{{ permu.words.title }}</h2>
<p class="sub">{{ permu.subtitle }}</p>
<div class="cards">
{% for card in permu.cards %}<div class="card"><div class="n">{{ card.value }}</div>
<div class="l">{{ card.label }}</div></div>{% endfor %}
</div>
<iframe title="per-mu map" srcdoc="{{ permu.map_html }}"></iframe>
{% for table in permu.tables %}<h3>{{ table.title }}</h3>
<table id="{{ table.id }}"><thead><tr>{% for h in table.header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% if table.note %}<p class="sub">{{ table.note }}</p>{% endif %}{% endfor %}
{% endif %}
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
        "no_stock": "没有存量地块。",
        "renewal": "城市更新片区进度",
        "survey": "现状调查进度",
        "package": "工作包",
        "parcels": "地块",
        "surveyed": "已调查",
        "share": "完成比例",
        "all": "合计",
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
        "idle": "闲置土地处置（53号令）",
        "idle_summary": "截至 {day}，未处置的闲置土地 {n} 宗：征缴闲置费 {fee} 宗，应征 {fees} 万元"
        "{unpriced}；无偿收回 {recover} 宗；政府原因协商处置 {negotiate} 宗。",
        "unpriced": "（另 {n} 宗缺少土地价款，待核算）",
        "undetermined": "待核查地块",
        "undetermined_summary": "{n} 宗地块适用认定规则但缺少所需数据，既不计为达标也不计入存量，"
        "需实地核查补齐。",
        "undetermined_card": "待核查地块（宗）",
        "fees_card": "应征闲置费（万元）",
        "recover_card": "应无偿收回（宗）",
        "idle_header": [
            "地块编号",
            "名称",
            "闲置起始",
            "闲置天数",
            "原因",
            "处置",
            "闲置费（万元）",
            "依据",
        ],
        "undetermined_header": ["地块编号", "名称", "待核查原因"],
        "sheets": ("处置率", "数据质量汇总", "数据质量明细", "闲置土地处置", "待核查"),
    },
    "en": {
        "map": "Map",
        "rates": "Disposal rates by area",
        "charts": "Charts",
        "quality": "Data quality",
        "no_problems": "No problems found.",
        "no_stock": "No parcel is in the stock.",
        "renewal": "Renewal zones",
        "survey": "Field survey progress",
        "package": "Package",
        "parcels": "Parcels",
        "surveyed": "Surveyed",
        "share": "Share",
        "all": "All",
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
        "idle": "Idle land: what it brings (MLR Order 53)",
        "idle_summary": "As of {day}, {n} idle parcels not disposed: idle fee on {fee}, "
        "{fees} (10k yuan) due{unpriced}; {recover} to recover without compensation; "
        "{negotiate} idle through the government's doing, to settle by agreement.",
        "unpriced": " ({n} more without a land price: to be assessed)",
        "undetermined": "Parcels to check (undetermined)",
        "undetermined_summary": "{n} parcels fall under a rule but lack values it needs: neither "
        "compliant nor in the stock until surveyed.",
        "undetermined_card": "Parcels to check",
        "fees_card": "Idle fees due (10k yuan)",
        "recover_card": "To recover",
        "idle_header": [
            "Parcel",
            "Name",
            "Idle since",
            "Days",
            "Cause",
            "Action",
            "Fee (10k yuan)",
            "Reason",
        ],
        "undetermined_header": ["Parcel", "Name", "Why"],
        "sheets": ("Rates", "Quality summary", "Quality details", "Idle land", "To check"),
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
    pdf: bool = False,
    lang: Lang = "zh",
    per_mu: pd.DataFrame | None = None,
    parks: gpd.GeoDataFrame | None = None,
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
        Reporting date (default: today).
    pdf
        Also print the page to ``out.with_suffix(".pdf")`` (A4, a static map in place of the
        interactive one) with headless Chromium; needs Chromium installed.
    per_mu
        A :func:`landuse.per_mu` table: adds the section "亩均效益" — headline numbers, the
        parcels by grade on a map with each park's 亩均税收, the per-park table (by the
        parcels' ``park`` column, or ``parks``; else per zone), the grade counts and the D list
        — and the workbook sheets 亩均效益-园区, 亩均效益-等级, 亩均效益-企业 and 亩均效益-D类.
    parks
        Parks (区中园) with ``name``, drawn on the per-mu map.
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
    from landuse.idle import action_label, cause_label, idle_actions
    from landuse.maps import parcel_map
    from landuse.plots import _language, plot_parcels, plot_progress, plot_rates
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
    columns = ("parcels", "area_mu", "disposed_area_mu", "rate")
    if len(totals):
        row = pd.DataFrame(totals).xs(("all", "all")).astype(float)
        overall = {k: float(row[k]) for k in columns}  # type: ignore[arg-type]
    else:  # no stock at all: an empty report, not a crash
        overall = {k: 0.0 for k in columns} | {"rate": float("nan")}
    per_zone = rates.xs("all", level="category") if len(rates) else rates
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
        has = len(rates) and category in rates.index.get_level_values("category")
        value = rates.xs(category, level="category") if has else rates.iloc[:0]
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
    day = pd.Timestamp(as_of).date() if as_of is not None else date.today()
    idle, idle_table, idle_summary = _idle_section(
        parcels, day, words, lang, idle_actions, action_label, cause_label
    )
    undetermined, undetermined_summary = _undetermined_section(parcels, day, words)
    cards += [
        {"value": f"{len(undetermined):,}", "label": words["undetermined_card"], "css": ""},
        {
            "value": f"{idle.loc[idle['action'] == 'fee', 'fee_wan'].sum():,.1f}",
            "label": words["fees_card"],
            "css": "",
        },
        {
            "value": f"{int((idle['action'] == 'recover').sum()):,}",
            "label": words["recover_card"],
            "css": "",
        },
    ]
    quality = check(parcels, zones=zones)
    counts = quality.groupby(["severity", "code"], sort=False).size().reset_index(name="count")
    # the page and the workbook speak the reader's language: 错误 · 地块编号重复, not error · duplicate_id
    counts["severity"] = counts["severity"].map(SEVERITY_LABELS[lang]).fillna(counts["severity"])
    counts["code"] = counts["code"].map(lambda code: check_label(code, lang))

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
    renewal_header, renewal_rows, renewal_png = _renewal_section(renewal, parcels, day, lang)
    survey_header, survey_rows = _survey_section(parcels, survey, words)
    section, permu_sheets = (
        _per_mu_section(parcels, zones, per_mu, parks, tiles, lang)
        if per_mu is not None
        else (None, [])
    )
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
            rates_png=_png(plot_rates(rates, target=target, lang=lang)) if len(rates) else "",
            # nothing disposed yet: no progress to chart (the rates say 0 %)
            # the chart stops at the reporting day: nothing after it is shown as done
            progress_png=_png(plot_progress(progress(pieces, as_of=day), target=target, lang=lang))
            if len(rates) and rates["disposed_parcels"].sum() > 0
            else "",
            print_map_png=_png(
                plot_parcels(parcels, zones=zones, renewal=renewal, as_of=as_of, lang=lang)
            )
            if pdf and (parcels["category"].notna().any())
            else "",
            quality_header=[words["severity"], words["code"], words["count"]],
            quality=counts.values.tolist(),
            permu=section,
            renewal_header=renewal_header,
            renewal_rows=renewal_rows,
            renewal_png=renewal_png,
            survey_header=survey_header,
            survey_rows=survey_rows,
            idle_summary=idle_summary,
            idle_header=words["idle_header"],
            idle_rows=idle_table.values.tolist(),
            undetermined_summary=undetermined_summary,
            undetermined_header=words["undetermined_header"],
            undetermined_rows=undetermined.values.tolist(),
        )
    )
    _atomic_write(out, page.encode("utf-8"))
    if pdf:  # the same page through its print stylesheet (A4, static map instead of Leaflet)
        from landuse._pdf import print_to_pdf

        print_to_pdf(out, out.with_suffix(".pdf"))
    if excel:
        sheets = dict(
            zip(
                words["sheets"],
                (
                    display_rates(rates, lang=lang, as_numbers=True),  # numbers stay numbers
                    counts.rename(columns=_QUALITY_HEADERS[lang]),
                    pd.DataFrame(quality)
                    .assign(
                        severity=lambda q: q["severity"].map(SEVERITY_LABELS[lang]),
                        code=lambda q: q["code"].map(lambda code: check_label(code, lang)),
                    )
                    .rename(columns=_QUALITY_HEADERS[lang]),
                    idle_table.set_axis(list(words["idle_header"]), axis=1),
                    undetermined.set_axis(list(words["undetermined_header"]), axis=1),
                ),
                strict=True,
            )
        )
        sheets.update(dict(permu_sheets))
        _write_workbook(out.with_suffix(".xlsx"), sheets)
    return out


_PERMU_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "亩均效益",
        "subtitle": "{year} 年度 · {n} 家企业 · A 类前 {a}、D 类后 {d}（按综合得分排名）",
        "enterprises": "参评企业",
        "land": "用地面积（亩）",
        "tax_per_mu": "亩均税收（万元/亩）",
        "revenue_per_mu": "亩均营业收入（万元/亩）",
        "by_area": "分园区",
        "by_zone": "分片区",
        "grades": "评价类别",
        "grade": "类别",
        "count": "企业数",
        "share": "占比",
        "d_list": "D 类企业（倒逼整治）",
        "first": "仅列前 {n} 家，全部见 Excel。",
        "outside": "园区外",
        "sheets": ("亩均效益-园区", "亩均效益-等级", "亩均效益-企业", "亩均效益-D类"),
    },
    "en": {
        "title": "Per-mu evaluation",
        "subtitle": "{year} · {n} enterprises · A the top {a}, D the bottom {d} (by score)",
        "enterprises": "Enterprises",
        "land": "Land (mu)",
        "tax_per_mu": "Tax per mu (10k yuan)",
        "revenue_per_mu": "Revenue per mu (10k yuan)",
        "by_area": "By park",
        "by_zone": "By zone",
        "grades": "Grades",
        "grade": "Grade",
        "count": "Enterprises",
        "share": "Share",
        "d_list": "Grade D enterprises",
        "first": "First {n} only; all in the Excel workbook.",
        "outside": "outside the parks",
        "sheets": ("Per-mu by park", "Per-mu grades", "Per-mu enterprises", "Per-mu grade D"),
    },
}
_D_SHOWN = 100


def _fmt(value: object, digits: int = 1) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return (
            ""
            if pd.isna(value)
            else f"{value:,.{digits}f}"
            if isinstance(value, float)
            else f"{value:,}"
        )
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _per_mu_section(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    graded: pd.DataFrame,
    parks: gpd.GeoDataFrame | None,
    tiles: Any,
    lang: Lang,
) -> tuple[dict[str, Any], list[tuple[str, pd.DataFrame]]]:
    """The "亩均效益" section of the page and its workbook sheets."""
    from landuse.enterprises import per_mu_by
    from landuse.maps import parcel_map
    from landuse.vocab import ENTERPRISE_LABELS, grade_label

    words = _PERMU_WORDS[lang]
    labels = ENTERPRISE_LABELS[lang]
    if "park" in parcels.columns or parks is not None:
        by, table_title, frame = "park", words["by_area"], parcels
        table = per_mu_by(graded, parcels, by="park", areas=parks)
    else:
        from landuse.zones import assign_zones

        by, table_title = "zone", words["by_zone"]
        frame = assign_zones(parcels, zones, how="largest")
        table = per_mu_by(graded, frame, by="zone")
    order = list(graded.attrs.get("grades") or [g for g in "ABCD" if g in set(graded["grade"])])
    shares = graded["grade"].value_counts().reindex(order).fillna(0).astype(int)
    land = float(graded["land_mu"].sum())
    tax = float(graded["tax"].sum())
    known = graded["land_mu"].notna() & (graded["land_mu"] > 0)
    tax_mu = float(graded.loc[known, "tax"].sum() / graded.loc[known, "land_mu"].sum())
    n = len(graded)
    year = graded["year"].dropna().iloc[0] if graded["year"].notna().any() else ""
    cards = [
        {"value": f"{n:,}", "label": words["enterprises"]},
        {"value": f"{land:,.0f}", "label": words["land"]},
        {"value": f"{tax:,.0f}", "label": labels["tax"]},
        {"value": f"{tax_mu:,.1f}", "label": words["tax_per_mu"]},
        *({"value": f"{int(shares[g]):,}", "label": grade_label(g, lang)} for g in order),
    ]
    # per area
    area_table = table.reset_index()
    area_table[by] = area_table[by].map(
        lambda v: words["outside"] if v is None or pd.isna(v) else v
    )
    columns = [
        c
        for c in (
            by,
            "enterprises",
            "land_mu",
            "tax",
            "revenue",
            "output",
            "profit_tax",
            "tax_per_mu",
            "revenue_per_mu",
            "output_per_mu",
            *order,
        )
        if c in area_table.columns
    ]
    area_table = area_table[columns]
    header = [labels.get(c, grade_label(c, lang) if c in order else c) for c in columns]
    area_rows = [
        [
            _fmt(v, 0 if c in ("land_mu", "tax", "revenue", "output", "profit_tax") else 1)
            for c, v in zip(columns, row, strict=True)
        ]
        for row in area_table.itertuples(index=False)
    ]
    # grades
    grade_rows = []
    grade_sheet = []
    for g in order:
        rows = graded[graded["grade"] == g]
        grade_rows.append(
            [
                grade_label(g, lang),
                f"{len(rows):,}",
                f"{len(rows) / n:.1%}" if n else "",
                _fmt(float(rows["land_mu"].sum()), 0),
                _fmt(float(rows["tax"].sum()), 0),
            ]
        )
        grade_sheet.append(
            {
                words["grade"]: grade_label(g, lang),
                words["count"]: len(rows),
                words["share"]: len(rows) / n if n else None,
                labels["land_mu"]: float(rows["land_mu"].sum()),
                labels["tax"]: float(rows["tax"].sum()),
            }
        )
    grade_header = [
        words["grade"],
        words["count"],
        words["share"],
        labels["land_mu"],
        labels["tax"],
    ]
    # the D list
    worst = order[-1] if order else "D"
    park_of = None
    if "park" in parcels.columns:
        park_of = dict(zip(parcels["parcel_id"].astype(str), parcels["park"], strict=True))
    d_list = graded[graded["grade"] == worst].copy()
    if park_of is not None:
        d_list["park"] = d_list["land_by_parcel"].map(
            lambda d: (
                next((park_of.get(p) for p in d if park_of.get(p)), None)
                if isinstance(d, dict)
                else None
            )
        )
    d_columns = [
        c
        for c in (
            "enterprise_id",
            "name",
            "park",
            "land_mu",
            "tax_per_mu",
            "revenue_per_mu",
            "score",
            "rank",
            "missing_fields",
            "reason",
        )
        if c in d_list.columns
    ]
    d_rows = [
        [
            _fmt(v, 2 if c in ("land_mu", "tax_per_mu", "revenue_per_mu", "score") else 0)
            for c, v in zip(d_columns, row, strict=True)
        ]
        for row in d_list[d_columns].head(_D_SHOWN).itertuples(index=False)
    ]
    the_map = parcel_map(
        parcels, grades=graded, parks=parks, tiles=tiles, offline=True, lang=lang, context=True
    )
    if parks is not None and len(parks):  # the section is about the parks: open on them
        minx, miny, maxx, maxy = parks.to_crs(4326).total_bounds
        pad_x, pad_y = (maxx - minx) * 0.1, (maxy - miny) * 0.1
        the_map.fit_bounds([[miny - pad_y, minx - pad_x], [maxy + pad_y, maxx + pad_x]])
    scheme = graded.attrs.get("grade_shares") or {}
    top = scheme.get(order[0]) if order else None
    bottom = scheme.get(worst)
    subtitle = words["subtitle"].format(
        year=year,
        n=f"{n:,}",
        a=f"{top:.0%}" if top is not None else f"{shares.iloc[0] / max(n, 1):.0%}",
        d=f"{bottom:.0%}" if bottom is not None else f"{shares.iloc[-1] / max(n, 1):.0%}",
    )
    section = {
        "words": words,
        "subtitle": subtitle,
        "cards": cards,
        "map_html": the_map.get_root().render(),
        "tables": [
            {
                "id": "per-mu-areas",
                "title": table_title,
                "header": header,
                "rows": area_rows,
                "note": "",
            },
            {
                "id": "per-mu-grades",
                "title": words["grades"],
                "header": grade_header,
                "rows": grade_rows,
                "note": "",
            },
            {
                "id": "per-mu-d",
                "title": words["d_list"],
                "header": [labels.get(c, c) for c in d_columns],
                "rows": d_rows,
                "note": words["first"].format(n=_D_SHOWN) if len(d_list) > _D_SHOWN else "",
            },
        ],
    }

    def headed(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.drop(columns=["land_by_parcel"], errors="ignore").copy()
        if "grade" in out.columns:
            out["grade"] = out["grade"].map(lambda g: grade_label(g, lang), na_action="ignore")
        return out.rename(
            columns=lambda c: labels.get(c, grade_label(c, lang) if c in order else c)
        )

    sheets = [
        (words["sheets"][0], headed(table.reset_index().assign(**{by: area_table[by].to_numpy()}))),
        (words["sheets"][1], pd.DataFrame(grade_sheet)),
        (words["sheets"][2], headed(graded)),
        (words["sheets"][3], headed(d_list)),
    ]
    return section, sheets


def _idle_section(
    parcels: gpd.GeoDataFrame,
    day: date,
    words: dict[str, Any],
    lang: Lang,
    idle_actions: Any,
    action_label: Any,
    cause_label: Any,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The idle-land list (fees due, land to recover, land to negotiate) and its summary."""
    idle = idle_actions(parcels, as_of=day, lang=lang)
    fees = idle.loc[idle["action"] == "fee", "fee_wan"]
    unpriced = int(fees.isna().sum())
    summary = words["idle_summary"].format(
        day=f"{day:%Y-%m-%d}",
        n=len(idle),
        fee=int((idle["action"] == "fee").sum()),
        fees=f"{fees.sum():,.1f}",
        unpriced=words["unpriced"].format(n=unpriced) if unpriced else "",
        recover=int((idle["action"] == "recover").sum()),
        negotiate=int((idle["action"] == "negotiate").sum()),
    )
    order = idle["action"].map({"recover": 0, "fee": 1, "negotiate": 2})
    idle = idle.assign(_order=order).sort_values(["_order", "idle_since"], kind="stable")
    table = pd.DataFrame(
        {
            "parcel_id": idle["parcel_id"].astype(str),
            "name": idle["name"].astype(str) if "name" in idle.columns else "",
            "idle_since": idle["idle_since"].dt.strftime("%Y-%m-%d").fillna("—"),
            "idle_days": idle["idle_days"].astype(object).where(idle["idle_days"].notna(), "—"),
            "cause": idle["cause"].map(lambda c: cause_label(c, lang)),
            "action": idle["action"].map(lambda a: action_label(a, lang)),
            "fee_wan": idle["fee_wan"].map(lambda v: "—" if pd.isna(v) else f"{v:,.1f}"),
            "reason": idle["reason"].astype(str),
        }
    )
    return idle.drop(columns="_order"), table, summary


def _undetermined_section(
    parcels: gpd.GeoDataFrame, day: date, words: dict[str, Any]
) -> tuple[pd.DataFrame, str]:
    """The parcels to check (undetermined: a rule applies, values it needs are missing)."""
    import warnings

    from landuse.rules import classify

    classified = parcels
    if "undetermined" not in parcels.columns:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classified = classify(parcels, as_of=day)
    flag = classified["undetermined"].fillna(False).astype(bool)
    rows = classified[flag]
    table = pd.DataFrame(
        {
            "parcel_id": rows["parcel_id"].astype(str),
            "name": rows["name"].astype(str) if "name" in rows.columns else "",
            "reason": rows["reason"].astype(str) if "reason" in rows.columns else "",
        }
    ).drop_duplicates("parcel_id")
    return table, words["undetermined_summary"].format(n=len(table))


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
    parcels: gpd.GeoDataFrame, survey: pd.DataFrame | None, words: dict[str, Any]
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


_QUALITY_HEADERS = {
    "zh": {
        "severity": "级别",
        "code": "问题",
        "count": "数量",
        "parcel_id": "地块编号",
        "message": "说明",
        "value": "值",
    },
    "en": {
        "severity": "Severity",
        "code": "Problem",
        "count": "Count",
        "parcel_id": "Parcel",
        "message": "Message",
        "value": "Value",
    },
}
#: Excel number formats by header: rates in %, areas to 0.1 亩, counts whole
_NUMBER_FORMATS = {
    **dict.fromkeys(("处置率", "处置率（宗数）", "目标", "Rate", "Rate (count)", "Target"), "0.0%"),
    **dict.fromkeys(("面积（亩）", "已处置（亩）", "Area (mu)", "Disposed (mu)"), "#,##0.0"),
    **dict.fromkeys(("宗数", "已处置（宗）", "Parcels", "Disposed (parcels)"), "#,##0"),
}


def _write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    from landuse._excel import write_workbook

    # atomic, and text from the data (zone names, messages) stays text, never a formula
    write_workbook(
        path,
        sheets,
        freeze_header=True,
        fit_widths=True,
        autofilter=True,
        number_formats=_NUMBER_FORMATS,
    )
