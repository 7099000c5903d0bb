"""The report: a self-contained page, checked in headless Chromium with the network blocked."""

from __future__ import annotations

import os
import re

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
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 3 and min(widths) > 300  # rates, progress, renewal stages
    assert page.locator("#renewal tbody tr").count() == len(renewal)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert blocked == [] and errors == []
    page.close()
    workbook = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert list(workbook) == ["处置率", "数据质量汇总", "数据质量明细", "闲置土地处置", "待核查"]
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
