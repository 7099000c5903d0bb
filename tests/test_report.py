"""The report: a self-contained page, checked in headless Chromium with the network blocked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

import landuse as lu
from tests.conftest import ARTIFACTS


def test_report_page_and_workbook(browser, tmp_path, ledger, zones, renewal):
    out = lu.report(
        ledger,
        zones,
        renewal=renewal,
        as_of="2022-06-30",
        out=tmp_path / "report.html",
        title="<b>存量土地报告</b>",
    )
    page = browser.new_page(viewport={"width": 1250, "height": 1000})
    blocked, errors = [], []
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("file:", "data:", "about:"))
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(out.as_uri())
    frame = page.frame_locator("iframe").first
    map_frame = page.frames[1]
    map_frame.wait_for_function("window.landuse && window.landuse.ready > 0", timeout=30_000)
    assert frame.locator(".landuse-legend").inner_text().count("批而未供") == 1
    assert page.locator("h1").inner_text() == "<b>存量土地报告</b>"  # escaped, shown as text
    assert page.locator("#rates tbody tr").count() == len(zones) * 4
    assert page.locator("#rates tr.missed").count() > 0
    # met/missed is a small marker in the 达标 column: no cell of the table is painted
    painted = page.eval_on_selector_all(
        "#rates td, #functional td, #pilot td",
        "cells => cells.filter(c => { const b = getComputedStyle(c).backgroundColor;"
        " return b !== 'rgba(0, 0, 0, 0)' && !c.closest('tr').classList.contains('district'); })"
        ".length",
    )
    assert painted == 0
    assert page.locator("#rates td .badge.missed").count() == page.locator("#rates tr").count() - 1
    # 合计 rows are bold; the district total is set apart by a double rule
    weights = page.eval_on_selector_all(
        "#rates tr.total td", "cells => cells.map(c => getComputedStyle(c).fontWeight)"
    )
    assert weights and set(weights) == {"700"}
    rule = page.eval_on_selector(
        "#functional tr.district.first td", "c => getComputedStyle(c).borderTopStyle"
    )
    assert rule == "double"
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 3 and min(widths) > 300  # rates, progress, renewal stages
    assert page.locator("#renewal tbody tr").count() == len(renewal)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert blocked == [] and errors == []
    page.close()
    workbook = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert list(workbook) == [
        "处置率",
        "分功能区处置率",
        "试点片区",
        "城市更新片区",
        "闲置土地处置",
        "待核查",
        "数据质量汇总",
        "数据质量明细",
    ]
    assert len(workbook["处置率"]) == len(zones) * 4


def test_tables_render_for_notebooks(ledger, zones):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30", target=0.6)
    shown = rates._repr_html_()
    assert "处置率" in shown and "#fbe3e1" in shown  # missed targets in red
    assert type(rates.xs("all", level="category")) is pd.DataFrame  # derived frames are plain
    report = lu.check(ledger.head(3).assign(parcel_id="same"))
    assert "duplicate_id" in report._repr_html_()


def test_report_sections_idle_land_and_parcels_to_check(tmp_path, ledger, zones):
    tasks = lu.classify(ledger, as_of="2021-12-31")
    tasks.loc[tasks.index[0], "name"] = '=HYPERLINK("http://x")'
    out = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    actions = lu.idle_actions(tasks, as_of="2022-06-30")
    fees = actions.loc[actions["action"] == "fee", "fee_wan"].sum()
    assert f"未处置的闲置土地 {len(actions)} 宗" in page
    assert f"应征 {fees:,.1f} 万元" in page
    assert f"无偿收回 {int((actions['action'] == 'recover').sum())} 宗" in page
    assert f"{int(tasks['undetermined'].sum())} 宗地块适用认定规则但缺少所需数据" in page
    workbook = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert len(workbook["闲置土地处置"]) == len(actions)
    assert len(workbook["待核查"]) == int(tasks["undetermined"].sum())
    import openpyxl

    sheet = openpyxl.load_workbook(out.with_suffix(".xlsx"))["待核查"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_progress_chart_stops_at_the_reporting_day(ledger, zones, tmp_path, monkeypatch):
    import landuse.plots

    seen = []
    real = landuse.plots.plot_progress

    def spy(table, **kwargs):
        seen.append(table)
        return real(table, **kwargs)

    monkeypatch.setattr(landuse.plots, "plot_progress", spy)
    tasks = lu.classify(ledger, as_of="2021-12-31")
    lu.report(tasks, zones, as_of="2022-03-31", out=tmp_path / "r.html", excel=False)
    periods = seen[0].index.get_level_values("period").astype(str)
    assert max(periods) == "2022-03"


def test_workbook_keeps_numbers_as_numbers(ledger, zones, tmp_path):
    import openpyxl

    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html")
    book = openpyxl.load_workbook(page.with_suffix(".xlsx"))
    rates = book["处置率"]
    header = [c.value for c in rates[1]]
    rate = rates.cell(2, header.index("处置率") + 1)
    assert isinstance(rate.value, float) and 0 <= rate.value <= 1 and rate.number_format == "0.0%"
    area = rates.cell(2, header.index("面积（亩）") + 1)
    assert isinstance(area.value, float) and area.number_format == "#,##0.0"
    assert rates.freeze_panes == "A2" and rates.auto_filter.ref
    assert [c.value for c in book["数据质量汇总"][1]] == ["级别", "问题", "数量"]


def test_quality_section_speaks_chinese(ledger, zones, tmp_path):
    import openpyxl

    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html")
    html = page.read_text(encoding="utf-8")
    assert "早于约定日期开工" in html and "early_start" not in html
    details = openpyxl.load_workbook(page.with_suffix(".xlsx"))["数据质量明细"]
    codes = {row[1] for row in details.iter_rows(min_row=2, values_only=True)}
    assert "早于约定日期开工" in codes and "early_start" not in codes


@pytest.mark.browser
def test_report_prints_to_an_a4_pdf(ledger, zones, tmp_path):
    from landuse._pdf import chromium

    if chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (scripts/test.sh installs it)")
        pytest.skip("Chromium not installed")
    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html", pdf=True)
    pdf = page.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45]\.\d*\s+84[12]\.\d*", pdf)  # A4 in points
    html = page.read_text(encoding="utf-8")
    assert "@media print" in html and 'class="print-only"' in html


def _classes(html: str, table: str) -> list[str]:
    body = html.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr class="([^"]*)">', body)


def test_functional_zones_with_the_district_total(ledger, zones, tmp_path):
    import openpyxl

    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html")
    html = page.read_text(encoding="utf-8")
    assert "分功能区处置率" in html and "全区合计" in html
    functions = zones["functional_zone"].nunique()
    classes = _classes(html, "functional")
    assert len(classes) == (functions + 1) * 4  # three categories and 合计, then the district
    assert [c.split()[0] for c in classes[3::4]] == ["total"] * (functions + 1)
    assert all("district" in c for c in classes[-4:]) and "first" in classes[-4]
    assert not any("district" in c for c in classes[:-4])
    sheet = pd.read_excel(page.with_suffix(".xlsx"), sheet_name="分功能区处置率")
    totals = sheet[sheet["类别"] == "合计"].set_index("功能区")
    district = totals.loc["全区合计"]
    parts = totals.drop(index="全区合计")
    # the district total is the sum of its functional zones (each parcel once)
    assert district["面积（亩）"] == pytest.approx(parts["面积（亩）"].sum())
    assert district["已处置（亩）"] == pytest.approx(parts["已处置（亩）"].sum())
    pieces = lu.assign_zones(tasks, zones)
    rates = lu.disposal_rates(pieces, as_of="2022-06-30")
    expected = rates.xs("all", level="category")
    assert district["面积（亩）"] == pytest.approx(expected["area_mu"].sum())
    assert district["处置率"] == pytest.approx(
        expected["disposed_area_mu"].sum() / expected["area_mu"].sum()
    )
    book = openpyxl.load_workbook(page.with_suffix(".xlsx"))
    cell = book["分功能区处置率"]["G2"]
    assert isinstance(cell.value, float) and cell.number_format == "0.0%"


def test_pilot_area_and_renewal_zones(ledger, zones, renewal, tmp_path):
    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, renewal=renewal, as_of="2022-06-30", out=tmp_path / "r.html")
    html = page.read_text(encoding="utf-8")
    body = html.split('<table id="pilot">', 1)[1].split("</table>", 1)[0]
    # the pilot area of the seed article: all three categories above 60 %
    assert body.count("风河南片区") == 4 and body.count("✓ 达标") == 4
    assert "未达标" not in body
    renewal_body = html.split('<table id="renewal">', 1)[1].split("</table>", 1)[0]
    assert all(name in renewal_body for name in renewal["name"])
    sheet = pd.read_excel(page.with_suffix(".xlsx"), sheet_name="城市更新片区")
    assert list(sheet["片区"]) == list(renewal["name"]) and sheet["处置率"].dtype == float


def test_report_in_english(ledger, zones, renewal, tmp_path):
    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(
        tasks, zones, renewal=renewal, as_of="2022-06-30", out=tmp_path / "r.html", lang="en"
    )
    html = page.read_text(encoding="utf-8")
    cjk = re.compile(r"[\u3400-\u9fff\uff08\uff09]")
    headings = re.findall(r"<(?:h1|h2|h3|th|p)[^>]*>([^<]*)<", html)
    assert headings and not [h for h in headings if cjk.search(h)]
    assert "District total" in html and "✓ met" in html and "✗ missed" in html
    book = pd.read_excel(page.with_suffix(".xlsx"), sheet_name=None)
    assert "Rates by functional zone" in book and "Pilot areas" in book
    for name, sheet in book.items():
        assert not cjk.search(name) and not [c for c in sheet.columns if cjk.search(str(c))]


def test_report_groups_by_any_parcel_column(ledger, zones, tmp_path):
    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html", by="park")
    html = page.read_text(encoding="utf-8")
    assert "按“park”分组的处置率" in html
    rates = pd.read_excel(page.with_suffix(".xlsx"), sheet_name="处置率")
    assert rates.columns[0] == "park"
    assert len(rates) == (tasks["park"].nunique() + tasks["park"].isna().any()) * 4
    with pytest.raises(ValueError, match="no such column"):
        lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "x.html", by="nope")


def test_basemap_only_when_tiles_are_named(ledger, zones, tmp_path):
    tasks = lu.classify(ledger, as_of="2021-12-31").head(300)
    plain = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "a.html", excel=False)
    tiled = lu.report(
        tasks, zones, as_of="2022-06-30", out=tmp_path / "b.html", excel=False, tiles="osm"
    )
    assert "tile.openstreetmap.org" not in plain.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in tiled.read_text(encoding="utf-8")


def test_every_sheet_is_headed_frozen_filtered_and_sized(ledger, zones, renewal, tmp_path):
    import openpyxl

    tasks = lu.classify(ledger, as_of="2021-12-31")
    page = lu.report(tasks, zones, renewal=renewal, as_of="2022-06-30", out=tmp_path / "r.html")
    book = openpyxl.load_workbook(page.with_suffix(".xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
        for cell in sheet[1]:  # wide enough for the Chinese header (two columns a character)
            assert sheet.column_dimensions[cell.column_letter].width >= 2 * len(str(cell.value))
        assert re.search(r"[\u4e00-\u9fff]", str(sheet[1][0].value)), sheet.title
    idle = book["闲置土地处置"]
    header = [c.value for c in idle[1]]
    days = idle.cell(2, header.index("闲置天数") + 1)
    assert isinstance(days.value, int) and days.number_format == "#,##0"
    since = idle.cell(2, header.index("闲置起始") + 1)
    assert since.is_date and since.number_format == "yyyy-mm-dd"
    fees = [r[header.index("闲置费（万元）")] for r in idle.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(f, float) for f in fees)


def test_template_is_package_data(tmp_path):
    from importlib import resources

    templates = resources.files("landuse").joinpath("templates")
    assert templates.joinpath("report.html").is_file()
    assert templates.joinpath("report.css").is_file()
    import importlib

    module = importlib.import_module("landuse.report")
    assert "<table" not in Path(module.__file__ or "").read_text(encoding="utf-8")
    hatchling = pytest.importorskip("hatchling.builders.wheel")
    import zipfile

    root = Path(__file__).parent.parent
    wheel = next(iter(hatchling.WheelBuilder(str(root)).build(directory=str(tmp_path))))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"landuse/templates/report.html", "landuse/templates/report.css"} <= names
    assert {"landuse/static/webmap.js", "landuse/static/webmap.css"} <= names
