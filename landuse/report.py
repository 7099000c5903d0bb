"""A report a director can read: one self-contained HTML page, and the same tables in Excel."""

from __future__ import annotations

import base64
import io
import os
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Environment, FunctionLoader, Template

from landuse._errors import InputError
from landuse.vocab import (
    CATEGORIES,
    CATEGORY_LABELS,
    QUALITY_HEADERS,
    REPORT_PERMU_WORDS,
    REPORT_WORDS,
    SEVERITY_LABELS,
    Lang,
    category_label,
    check_label,
)

__all__ = ["report"]


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


def _template() -> Template:
    """The page template, a package data file (``landuse/templates/report.html``)."""

    def load(name: str) -> str:
        return resources.files("landuse").joinpath("templates", name).read_text(encoding="utf-8")

    # autoescape: every value from the data (zone names, titles, reasons) is text, never markup
    environment = Environment(loader=FunctionLoader(load), autoescape=True)
    return environment.get_template("report.html")


def _text(value: object) -> str:
    """A table cell for people: thousands separators, one decimal, blanks for missing."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return "" if pd.isna(value) else f"{float(value):,.1f}"
    return "" if value is None else str(value)


def _plain_rows(rows: Any) -> list[dict[str, Any]]:
    """Rows of text cells in the template's shape."""
    return [{"css": "", "cells": [{"text": _text(v), "badge": ""} for v in row]} for row in rows]


def _rate_rows(
    rates: pd.DataFrame, words: dict[str, Any], lang: Lang, *, district: int = 0
) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and rows of a rates table: 合计 rows set apart, met/missed as a small badge.

    ``district``: the last so many rows are the district total (set apart from the rest).
    """
    from landuse.stats import display_rates

    frame = pd.DataFrame(rates)
    shown = display_rates(frame, lang=lang)
    met_column = next((i for i, c in enumerate(shown.columns) if c in ("达标", "Met")), None)
    flags = frame["meets_target"].to_numpy() if "meets_target" in frame.columns else None
    categories = frame.index.get_level_values("category")
    rows = []
    for i, values in enumerate(shown.itertuples(index=False)):
        cells = [{"text": _text(v), "badge": ""} for v in values]
        classes = []
        if categories[i] == "all":
            classes.append("total")
        if district and i >= len(shown) - district:
            classes += ["district", *(["first"] if i == len(shown) - district else [])]
        if flags is not None and met_column is not None and not pd.isna(flags[i]):
            met = bool(flags[i])
            cells[met_column] = {
                "text": words["met_badge"] if met else words["missed_badge"],
                "badge": "met" if met else "missed",
            }
            classes.append("met" if met else "missed")
        rows.append({"cells": cells, "css": " ".join(classes)})
    return list(shown.columns), rows


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
    tk: str | None = None,
    by: str = "zone",
    excel: bool = True,
    pdf: bool = False,
    lang: Lang = "zh",
    per_mu: pd.DataFrame | None = None,
    parks: gpd.GeoDataFrame | None = None,
    survey: pd.DataFrame | None = None,
) -> Path:
    """Write a self-contained HTML report (and an Excel workbook of its tables).

    The page holds the headline numbers; the map (Leaflet inlined: no internet needed, no
    basemap unless ``tiles`` names one); the rates per zone (or per ``by``) with each
    category and the 合计 row, targets met or missed marked in the 达标 column; the rates per
    functional zone with the district total (when ``zones`` has ``functional_zone``); the
    pilot areas (renewal zones whose ``kind`` says 试点 / pilot, e.g. 风河南片区) and the
    renewal zones' stages; idle land and what it brings (fees, recovery); the parcels to check
    (待核查); the rate and progress charts (to the reporting day, never past it); and the
    data-quality summary. ``out.with_suffix(".xlsx")`` gets every table of the page, one sheet
    each, with the same headers, numbers stored as numbers with formats (``excel=False`` to
    skip it). Everything is in Chinese, or English with ``lang="en"``.

    Parameters
    ----------
    parcels
        The task list (with ``category``; see :func:`landuse.classify`).
    zones
        Zones with ``name`` (and optionally ``functional_zone``).
    renewal
        Renewal zones drawn on the map; pilot areas among them (``kind`` containing 试点 or
        "pilot") get their rates; with stage dates (see :func:`landuse.renewal_progress`) also
        a section with each zone's stage, days in stage, overdue flag and the stock inside,
        and a stage timeline.
    target
        Target disposal rate (default 0.6).
    as_of
        Reporting date (default: today).
    tiles, tk
        Basemap of the interactive map, as in :func:`landuse.parcel_map` (``"osm"``,
        ``"tianditu"`` with ``tk``, ``"gaode"``, a provider). Default ``None``: no basemap,
        and the page needs no network at all.
    by
        Parcel column to group the main rates table by (default ``"zone"``, from ``zones``;
        e.g. ``"park"``, or a column of ``zones`` such as ``"functional_zone"``).
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
    words = REPORT_WORDS[lang]
    sheet_names = words["sheets"]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    extra = [
        c
        for c in dict.fromkeys(["functional_zone", by])
        if c in zones.columns
        and c not in ("name", "zone", zones.geometry.name)
        and c not in parcels.columns
    ]
    pieces = assign_zones(parcels, zones, columns=extra)
    if by == "zone" or by in extra:
        rates = disposal_rates(pieces, by=by, as_of=as_of, target=target)
    elif by in parcels.columns:
        rates = disposal_rates(parcels, by=by, as_of=as_of, target=target)
    else:
        raise InputError(
            f"by={by!r}: the parcels have no such column (they have "
            f"{', '.join(map(str, parcels.columns.drop(parcels.geometry.name)))})"
        )
    zone_rates = rates if by == "zone" else disposal_rates(pieces, as_of=as_of, target=target)
    totals = disposal_rates(
        pieces.assign(_scope=words["district"]), by="_scope", as_of=as_of, target=target
    ).rename_axis(index={"_scope": "functional_zone"})
    columns = ("parcels", "area_mu", "disposed_area_mu", "rate")
    if len(totals):
        row = pd.DataFrame(totals).xs("all", level="category").iloc[0]
        overall = {k: float(row[k]) for k in columns}
    else:  # no stock at all: an empty report, not a crash
        overall = {k: 0.0 for k in columns} | {"rate": float("nan")}
    per_zone = zone_rates.xs("all", level="category") if len(zone_rates) else zone_rates
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
    rates_header, rates_rows = _rate_rows(rates, words, lang)
    # functional zones with the district total under them
    functional = None
    if "functional_zone" in pieces.columns and len(totals):
        by_function = disposal_rates(pieces, by="functional_zone", as_of=as_of, target=target)
        functional = pd.concat([pd.DataFrame(by_function), pd.DataFrame(totals)])
    functional_header, functional_rows = (
        _rate_rows(functional, words, lang, district=len(totals))
        if functional is not None
        else ([], [])
    )
    # the pilot areas (试点片区, e.g. 风河南片区): their own rates
    pilot = None
    if renewal is not None and "kind" in renewal.columns and len(renewal):
        kind = renewal["kind"].astype(str)
        chosen = renewal[kind.str.contains("试点") | kind.str.contains("pilot", case=False)]
        if len(chosen):
            inside = disposal_rates(
                assign_zones(parcels, chosen), as_of=as_of, target=target
            ).rename_axis(index={"zone": "zone"})
            names = inside.index.get_level_values("zone")
            pilot = pd.DataFrame(inside)[names.notna()]
    pilot_header, pilot_rows = (
        _rate_rows(pilot, words, lang) if pilot is not None and len(pilot) else ([], [])
    )
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
        rates=zone_rates,
        tiles=tiles,
        tk=tk,
        offline=True,
        as_of=as_of,
        lang=lang,
    )
    renewal_table, renewal_header, renewal_rows, renewal_png = _renewal_section(
        renewal, parcels, day, lang, words
    )
    survey_table = _survey_table(parcels, survey, words)
    section, permu_sheets = (
        _per_mu_section(parcels, zones, per_mu, parks, tiles, lang)
        if per_mu is not None
        else (None, [])
    )
    if section is not None:
        for part in section["tables"]:
            part["rows"] = _plain_rows(part["rows"])
    subtitle = f"{words['as_of']} {day:%Y-%m-%d} · {words['target']} {target:.0%}"
    by_label = display_rates(rates.iloc[:0], lang=lang).columns[0] if len(rates) else by
    page = _template().render(
        lang=lang,
        title=title or words["title"],
        subtitle=subtitle,
        words=words,
        cards=cards,
        map_html=the_map.get_root().render(),
        rates_title=words["rates"] if by == "zone" else words["rates_by"].format(by=by_label),
        target_line=words["target_line"].format(target=f"{target:.0%}"),
        rates_header=rates_header,
        rates_rows=rates_rows,
        functional_header=functional_header,
        functional_rows=functional_rows,
        pilot_header=pilot_header,
        pilot_rows=pilot_rows,
        rates_png=_png(plot_rates(zone_rates, target=target, lang=lang)) if len(rates) else "",
        # nothing disposed yet: no progress to chart (the rates say 0 %)
        # the chart stops at the reporting day: nothing after it is shown as done
        progress_png=_png(plot_progress(progress(pieces, as_of=day), target=target, lang=lang))
        if len(rates) and rates["disposed_parcels"].sum() > 0
        else "",
        print_map_png=_png(
            plot_parcels(
                parcels, zones=zones, renewal=renewal, rates=zone_rates, as_of=as_of, lang=lang
            )
        )
        if pdf and (parcels["category"].notna().any())
        else "",
        quality_header=[words["severity"], words["code"], words["count"]],
        quality_rows=_plain_rows(counts.values.tolist()),
        permu=section,
        renewal_header=renewal_header,
        renewal_rows=renewal_rows,
        renewal_png=renewal_png,
        survey_header=list(survey_table.columns),
        survey_rows=[
            {
                "css": "total" if i == len(survey_table) - 1 else "",
                "cells": [
                    {"text": f"{v:.0%}" if j == 3 else _text(v), "badge": ""}
                    for j, v in enumerate(row)
                ],
            }
            for i, row in enumerate(survey_table.itertuples(index=False))
        ],
        idle_summary=idle_summary,
        idle_header=words["idle_header"],
        idle_rows=_plain_rows(idle_table.values.tolist()),
        undetermined_summary=undetermined_summary,
        undetermined_header=words["undetermined_header"],
        undetermined_rows=_plain_rows(undetermined.values.tolist()),
    )
    _atomic_write(out, page.encode("utf-8"))
    if pdf:  # the same page through its print stylesheet (A4, static map instead of Leaflet)
        from landuse._pdf import print_to_pdf

        print_to_pdf(out, out.with_suffix(".pdf"))
    if excel:
        # every table of the page, in the page's order, numbers as numbers
        sheets: dict[str, pd.DataFrame] = {
            sheet_names["rates"]: display_rates(rates, lang=lang, as_numbers=True)
        }
        if functional is not None:
            sheets[sheet_names["functional"]] = display_rates(
                functional, lang=lang, as_numbers=True
            )
        if pilot is not None and len(pilot):
            sheets[sheet_names["pilot"]] = display_rates(pilot, lang=lang, as_numbers=True)
        if renewal_table is not None:
            sheets[sheet_names["renewal"]] = renewal_table
        sheets[sheet_names["idle"]] = _idle_sheet(idle, words, lang, action_label, cause_label)
        sheets[sheet_names["undetermined"]] = undetermined.set_axis(
            list(words["undetermined_header"]), axis=1
        )
        if len(survey_table):
            sheets[sheet_names["survey"]] = survey_table
        sheets[sheet_names["quality_summary"]] = counts.rename(columns=QUALITY_HEADERS[lang])
        sheets[sheet_names["quality_details"]] = (
            pd.DataFrame(quality)
            .assign(
                severity=lambda q: q["severity"].map(SEVERITY_LABELS[lang]),
                code=lambda q: q["code"].map(lambda code: check_label(code, lang)),
            )
            .rename(columns=QUALITY_HEADERS[lang])
        )
        sheets.update(dict(permu_sheets))  # the per-mu sheets last, as the section is last
        _write_workbook(out.with_suffix(".xlsx"), sheets)
    return out


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

    words = REPORT_PERMU_WORDS[lang]
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
    renewal: gpd.GeoDataFrame | None,
    parcels: gpd.GeoDataFrame,
    day: date,
    lang: Lang,
    words: dict[str, Any],
) -> tuple[pd.DataFrame | None, list[str], list[dict[str, Any]], str]:
    """The renewal zones' stages: the workbook sheet (numbers), the page's rows, the chart."""
    from landuse.plots import plot_renewal
    from landuse.renewal import STAGE_DATE_COLUMNS, display_renewal, renewal_progress
    from landuse.vocab import stage_label

    if renewal is None or not any(c in renewal.columns for c in STAGE_DATE_COLUMNS):
        return None, [], [], ""
    table = renewal_progress(renewal, parcels, as_of=day)
    shown = display_renewal(table, lang=lang)
    overdue_column = next(i for i, c in enumerate(shown.columns) if c in ("逾期", "Overdue"))
    rows = []
    for values, overdue in zip(shown.itertuples(index=False), table["overdue"], strict=True):
        cells = [{"text": _text(v), "badge": ""} for v in values]
        if overdue:
            cells[overdue_column] = {"text": words["overdue"], "badge": "overdue"}
        rows.append({"cells": cells, "css": "overdue" if overdue else ""})
    kinds = (
        dict(zip(renewal["name"].astype(str), renewal["kind"], strict=False))
        if "kind" in renewal.columns
        else {}
    )
    header = list(words["renewal_sheet_header"])
    sheet = pd.DataFrame(
        {
            header[0]: table["name"].astype(str),
            header[1]: table["name"].astype(str).map(kinds),
            header[2]: [stage_label(s, lang) for s in table["stage"]],
            header[3]: table["days_in_stage"],
            header[4]: table["target_date"],
            header[5]: [words["overdue"] if o else "" for o in table["overdue"]],
            header[6]: table["area_mu"],
            header[7]: table["stock_parcels"],
            header[8]: table["stock_area_mu"],
            header[9]: table["disposed_area_mu"],
            header[10]: table["rate"],
        }
    )
    for category in CATEGORIES:
        sheet[category_label(category, lang)] = table[f"{category}_rate"]
    return (
        sheet.reset_index(drop=True),
        list(shown.columns),
        rows,
        _png(plot_renewal(renewal, as_of=day, lang=lang)),
    )


def _survey_table(
    parcels: gpd.GeoDataFrame, survey: pd.DataFrame | None, words: dict[str, Any]
) -> pd.DataFrame:
    """Survey progress per work package and in all (last row), with the page's headers."""
    from landuse.survey import survey_progress

    header = [words["package"], words["parcels"], words["surveyed"], words["share"]]
    if survey is None:
        return pd.DataFrame(columns=header)
    planned = parcels if "package" in parcels.columns else survey
    table = survey_progress(planned[planned["parcel_id"].notna()], survey)
    parcels_total, surveyed_total = int(table["parcels"].sum()), int(table["surveyed"].sum())
    total = pd.DataFrame(
        {
            "package": [words["all"]],
            "parcels": [parcels_total],
            "surveyed": [surveyed_total],
            "share": [surveyed_total / parcels_total if parcels_total else float("nan")],
        }
    )
    table = table.reset_index(drop="package" in table.columns)
    table = pd.concat(
        [table[["package", "parcels", "surveyed", "share"]].astype({"package": str}), total],
        ignore_index=True,
    )
    return table.set_axis(header, axis=1)


def _idle_sheet(
    idle: pd.DataFrame, words: dict[str, Any], lang: Lang, action_label: Any, cause_label: Any
) -> pd.DataFrame:
    """The idle-land list for the workbook: days and fees as numbers, the day as a date."""
    header = list(words["idle_header"])
    return pd.DataFrame(
        {
            header[0]: idle["parcel_id"].astype(str),
            header[1]: idle["name"].astype(str) if "name" in idle.columns else "",
            header[2]: pd.to_datetime(idle["idle_since"]).dt.normalize(),
            header[3]: pd.to_numeric(idle["idle_days"], errors="coerce"),
            header[4]: idle["cause"].map(lambda c: cause_label(c, lang)),
            header[5]: idle["action"].map(lambda a: action_label(a, lang)),
            header[6]: pd.to_numeric(idle["fee_wan"], errors="coerce"),
            header[7]: idle["reason"].astype(str),
        }
    ).reset_index(drop=True)


#: Excel number formats by header: rates in %, areas to 0.1 亩, counts whole, days as dates
_PERCENT = (
    *(
        "处置率",
        "处置率（宗数）",
        "目标",
        "完成比例",
        "占比",
        *(CATEGORY_LABELS["zh"][c] for c in CATEGORIES),
    ),
    *("Rate", "Rate (count)", "Target", "Share", *(CATEGORY_LABELS["en"][c] for c in CATEGORIES)),
)
_NUMBER_FORMATS = {
    **dict.fromkeys(_PERCENT, "0.0%"),
    **dict.fromkeys(
        (
            *("面积（亩）", "已处置（亩）", "存量面积（亩）", "闲置费（万元）"),
            *("Area (mu)", "Disposed (mu)", "Stock (mu)", "Fee (10k yuan)"),
        ),
        "#,##0.0",
    ),
    **dict.fromkeys(
        (
            *("宗数", "已处置（宗）", "存量地块（宗）", "闲置天数", "本阶段天数", "数量"),
            *("地块", "已调查", "Parcels", "Disposed (parcels)", "Stock parcels", "Days"),
            *("Days in stage", "Count", "Surveyed"),
        ),
        "#,##0",
    ),
    **dict.fromkeys(("闲置起始", "目标日期", "Idle since", "Target date"), "yyyy-mm-dd"),
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
