"""Printable survey sheets: per work package a PDF map and an Excel checklist (现状调查表).

matplotlib (the ``plot`` extra) draws the maps; openpyxl writes the checklists. Every file is
written under a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._errors import InputError, MissingColumnError
from landuse._style import CATEGORY_COLORS
from landuse._validate import require_crs
from landuse.vocab import (
    CHECKLIST_LABELS,
    CURRENT_USES,
    IN_PRODUCTION,
    SURVEY_COLUMNS,
    SURVEY_LABELS,
    Lang,
    category_label,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["survey_sheets"]

#: Ledger facts printed on the checklist when the inventory has them.
FACT_COLUMNS = (
    "parcel_id",
    "name",
    "category",
    "land_use_code",
    "area_mu",
    "far",
    "building_coverage",
    "tax_per_mu",
    "output_per_mu",
    "reason",
)
_WORDS = {
    "zh": {
        "title": "现状调查工作包 {package}",
        "sheet": "调查表",
        "parcels": "{n} 宗地块，{area:,.0f} 亩",
        "context": "其他地块",
        "other": "未分类",
        "note": "地块编号与调查表“序号”一致",
        "north": "北",
    },
    "en": {
        "title": "Survey work package {package}",
        "sheet": "Checklist",
        "parcels": "{n} parcels, {area:,.0f} mu",
        "context": "Other parcels",
        "other": "No category",
        "note": "Numbers match the checklist's No.",
        "north": "N",
    },
}
_PAPER = {"A4": (11.69, 8.27), "A3": (16.54, 11.69)}  # landscape, inches


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")


def _text_cell(cell: Any, value: Any) -> None:
    """Write a value; text stays text (a leading ``=`` is never a formula)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.date()
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _checklist(rows: pd.DataFrame, package: Any, path: Path, lang: Lang) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = CHECKLIST_LABELS[lang]
    facts = [c for c in FACT_COLUMNS if c in rows.columns]
    headers = [labels["number"], labels["package"], *(labels[c] for c in facts)]
    survey = [SURVEY_LABELS[lang][c] for c in SURVEY_COLUMNS]
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _WORDS[lang]["sheet"]
    bold = Font(bold=True)
    fact_fill = PatternFill("solid", fgColor="E8EEF4")
    blank_fill = PatternFill("solid", fgColor="FFF7DB")
    for position, header in enumerate([*headers, *survey], start=1):
        cell = sheet.cell(1, position)
        _text_cell(cell, header)
        cell.font = bold
        cell.fill = fact_fill if position <= len(headers) else blank_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, (_, row) in enumerate(rows.iterrows(), start=2):
        _text_cell(sheet.cell(r, 1), int(row["_number"]))
        _text_cell(
            sheet.cell(r, 2), package if not isinstance(package, np.generic) else package.item()
        )
        for c, column in enumerate(facts, start=3):
            value = row[column]
            if column == "category" and isinstance(value, str):
                value = category_label(value, lang)
            elif column == "area_mu" and pd.notna(value):
                value = round(float(value), 2)
            elif column != "parcel_id" and isinstance(value, float) and pd.notna(value):
                value = round(value, 3)
            _text_cell(sheet.cell(r, c), str(value) if column == "parcel_id" else value)
    last = len(rows) + 1
    first_survey = len(headers) + 1
    letters = {
        col: sheet.cell(1, first_survey + i).column_letter for i, col in enumerate(SURVEY_COLUMNS)
    }
    if last >= 2:
        for column, choices in (
            ("current_use", CURRENT_USES[lang]),
            ("in_production", IN_PRODUCTION[lang]),
        ):
            rule = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
            )
            rule.error = "请从列表中选择" if lang == "zh" else "Pick a value from the list"
            rule.showErrorMessage = True
            sheet.add_data_validation(rule)
            rule.add(f"{letters[column]}2:{letters[column]}{last}")
        for column in ("floor_area", "surveyed_far"):
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
            rule.allow_blank = True
            rule.showErrorMessage = True
            sheet.add_data_validation(rule)
            rule.add(f"{letters[column]}2:{letters[column]}{last}")
        rule = DataValidation(type="date", operator="greaterThan", formula1="36526")
        rule.allow_blank = True
        sheet.add_data_validation(rule)
        rule.add(f"{letters['survey_date']}2:{letters['survey_date']}{last}")
        for r in range(2, last + 1):
            sheet[f"{letters['survey_date']}{r}"].number_format = "yyyy-mm-dd"
    widths = {"name": 30, "reason": 40, "parcel_id": 16, "note": 30, "enterprise": 26}
    for i, column in enumerate(["number", "package", *facts, *SURVEY_COLUMNS], start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = widths.get(column, 12)
    sheet.freeze_panes = sheet.cell(2, 4 if "parcel_id" in facts else 3)
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = "1:1"
    temp = _temporary(path)
    try:
        book.save(temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _map(
    rows: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    package: Any,
    path: Path,
    paper: str,
    lang: Lang,
    title: str | None,
) -> None:
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.patches import Patch

    from landuse.plots import _figure, _language, _north_arrow, _scale_bar

    lang, font = _language(lang)
    words = _WORDS[lang]
    with _figure(None, _PAPER[paper], font) as (fig, ax):
        minx, miny, maxx, maxy = rows.total_bounds
        span = max(maxx - minx, (maxy - miny) * 1.3, 200.0)
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        pad = span * 0.58
        box = (cx - pad, cy - pad / 1.3, cx + pad, cy + pad / 1.3)
        near = context.cx[box[0] : box[2], box[1] : box[3]]
        if len(near):
            near.plot(ax=ax, color="#eeeeee", edgecolor="#bdbdbd", linewidth=0.3)
        handles: list[Any] = []
        category = (
            rows["category"] if "category" in rows.columns else pd.Series(None, index=rows.index)
        )
        for value in [*CATEGORY_COLORS, None]:
            part = rows[category.isna()] if value is None else rows[category == value]
            if part.empty:
                continue
            color = CATEGORY_COLORS.get(value, "#9e9e9e") if value else "#c7c7c7"
            part.plot(ax=ax, color=color, edgecolor="#222222", linewidth=0.6, alpha=0.85)
            label = category_label(value, lang) if value else words["other"]
            handles.append(Patch(facecolor=color, edgecolor="#222222", label=label))
        if len(near):
            handles.append(Patch(facecolor="#eeeeee", edgecolor="#bdbdbd", label=words["context"]))
        points = rows.geometry.representative_point()
        size = 11 if len(rows) <= 40 else 8 if len(rows) <= 120 else 6
        for number, point in zip(rows["_number"], points, strict=True):
            ax.text(
                point.x,
                point.y,
                str(int(number)),
                ha="center",
                va="center",
                fontsize=size,
                fontweight="bold",
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
                zorder=5,
            )
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        area = float(rows["area_mu"].sum()) if "area_mu" in rows.columns else 0.0
        heading = title or words["title"].format(package=package)
        ax.set_title(
            f"{heading}\n{words['parcels'].format(n=len(rows), area=area)}",
            fontsize=15,
            loc="left",
        )
        ax.legend(handles=handles, loc="upper left", fontsize=10, framealpha=0.92)
        _scale_bar(ax)
        _north_arrow(ax, words["north"])
        ax.text(
            0.01,
            0.01,
            words["note"],
            transform=ax.transAxes,
            fontsize=9,
            color="#444444",
            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")],
        )
        fig.tight_layout()
        temp = _temporary(path)
        try:
            fig.savefig(temp, format="pdf")
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
            plt.close(fig)


def survey_sheets(
    parcels: gpd.GeoDataFrame,
    out_dir: str | os.PathLike[str],
    *,
    package: str = "package",
    context: gpd.GeoDataFrame | None = None,
    paper: str = "A4",
    maps: bool = True,
    packages: Sequence[Any] | None = None,
    lang: Lang = "zh",
) -> list[Path]:
    """Write per work package a printable map (PDF) and an Excel checklist.

    The map (A4 or A3 landscape) shows the package's parcels numbered 1, 2, … in the order of
    the checklist, coloured by category, with the package id, a scale bar, a north arrow and
    a legend; neighbouring parcels from ``context`` in grey. No basemap is needed.

    The checklist has one row per parcel: 序号 (the number on the map), 工作包, the ledger's
    facts (编号, 名称, 类别, 地类, 面积, 容积率, …) and blank survey columns 现状用途, 是否在产,
    企业名称, 建筑面积, 实测容积率, 备注, 调查人, 调查日期 with drop-down lists for the coded
    ones. Text from the ledger is written as text (never a formula). Read the filled
    checklists back with :func:`landuse.read_survey`.

    Parameters
    ----------
    parcels
        Parcels with ``package`` (see :func:`landuse.work_packages`).
    out_dir
        Folder for ``package_01.pdf``, ``package_01.xlsx``, …
    package
        The column holding the package.
    context
        Other parcels drawn in grey around each package (default: none).
    paper
        ``"A4"`` or ``"A3"`` (landscape).
    maps
        Also draw the PDF maps (needs matplotlib); ``False`` for checklists only.
    packages
        Only these packages (default all).
    lang
        ``"zh"`` or ``"en"`` headers and labels.

    Returns
    -------
    list of pathlib.Path
        The files written, a PDF and an XLSX per package in package order.

    Examples
    --------
    >>> import tempfile, pathlib, landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> plan = lu.work_packages(tasks[tasks["category"] == "low_efficiency"].head(30), 2)
    >>> files = lu.survey_sheets(plan, pathlib.Path(tempfile.mkdtemp()), lang="en")
    >>> [f.name for f in files]
    ['package_1.pdf', 'package_1.xlsx', 'package_2.pdf', 'package_2.xlsx']

    File names are zero-padded to the largest package id (``package_01`` … ``package_30``).
    """
    require_crs(parcels)
    if package not in parcels.columns:
        raise MissingColumnError(
            f"parcels need a {package!r} column: plan the packages with lu.work_packages"
        )
    if "parcel_id" not in parcels.columns:
        raise MissingColumnError("parcels need a parcel_id column")
    if paper not in _PAPER:
        raise InputError(f"paper must be 'A4' or 'A3', not {paper!r}")
    if lang not in _WORDS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    missing = parcels[package].isna()
    if missing.any():
        raise InputError("parcels without a package", parcels.loc[missing, "parcel_id"])
    if len(parcels) == 0:
        return []
    from landuse.areas import add_areas, area_crs

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    crs = area_crs(parcels)
    data = add_areas(parcels) if "area_mu" not in parcels.columns else parcels
    data = data.to_crs(crs)
    shade = context.to_crs(crs) if context is not None else data.iloc[:0]
    ids = sorted(parcels[package].unique(), key=lambda v: (str(type(v)), v))
    width = len(str(max(ids, key=lambda v: len(str(v))))) if ids else 1
    if packages is not None:
        wanted = set(packages)
        ids = [p for p in ids if p in wanted]
    written: list[Path] = []
    for value in ids:
        rows = data[data[package] == value].copy()
        # number the parcels north-west to south-east in bands, as a team walks them
        points = rows.geometry.representative_point()
        band = np.floor((points.y.max() - points.y) / 300.0)
        order = np.lexsort((points.x.to_numpy(), band.to_numpy()))
        rows = rows.iloc[order]
        rows["_number"] = np.arange(1, len(rows) + 1)
        stem = f"package_{str(value).zfill(width)}"
        if maps:
            others = shade[~shade.index.isin(rows.index)] if context is not None else shade
            pdf = out / f"{stem}.pdf"
            _map(rows, others, value, pdf, paper, lang, None)
            written.append(pdf)
        xlsx = out / f"{stem}.xlsx"
        _checklist(rows, value, xlsx, lang)
        written.append(xlsx)
    return written
