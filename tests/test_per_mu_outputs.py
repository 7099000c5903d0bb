"""The per-mu evaluation on the map, in the report, the workbook and the command line."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pyogrio
import pytest

import landuse as lu
from landuse.cli import main
from tests.conftest import ARTIFACTS
from tests.test_maps import page, payloads

XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture(scope="module")
def graded(west_coast_path, ledger):
    return lu.per_mu(lu.read_enterprises(west_coast_path), ledger, year=2021)


@pytest.fixture(scope="module")
def parks(west_coast_path):
    return lu.read_zones(west_coast_path, layer="parks")


def test_sample_layers(west_coast_path):
    layers = {str(name) for name in pyogrio.list_layers(west_coast_path)[:, 0]}
    assert {"parcels", "zones", "renewal_zones", "parks", "enterprises"} <= layers
    for layer in ("parks", "enterprises"):
        info = pyogrio.read_info(west_coast_path, layer=layer)
        assert "SYNTHETIC" in str(info["layer_metadata"]), layer


def test_grade_map_legend_colours_and_parks(ledger, graded, parks):
    m = lu.parcel_map(ledger, grades=graded, parks=parks, tiles=None)
    html = page(m)
    for label in (
        "亩均效益评价",
        "A 类（优先发展）",
        "D 类（倒逼整治）",
        "园区亩均税收",
        "中电光谷",
    ):
        assert label in html
    for color in lu.maps.GRADE_COLORS.values():
        assert color in html
    (data,) = payloads(m)
    with_firms = set().union(*(d.keys() for d in graded["land_by_parcel"]))
    assert len(data["style"]) == len(with_firms & set(ledger["parcel_id"]))
    english = page(lu.parcel_map(ledger, grades=graded, tiles=None, lang="en"))
    assert "D (enforce renewal)" in english


def test_grade_map_escapes_names(ledger, graded, parks):
    parks = parks.copy()
    parks.loc[0, "name"] = XSS
    parcels = ledger.copy()
    parcels.loc[parcels["park"] == "中电光谷", "park"] = XSS
    html = page(lu.parcel_map(parcels, grades=graded, parks=parks, tiles=None))
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_grade_map_in_chromium(open_map, ledger, graded, parks):
    m = lu.parcel_map(ledger, grades=graded, parks=parks, tiles=None, offline=True)
    opened = open_map(m)
    legend = opened.page.inner_text(".landuse-legend")
    assert "A 类" in legend and "D 类" in legend and "≥ 50" in legend
    lon, lat = parks[parks["name"] == "中电光谷"].union_all().representative_point().coords[0]
    opened.point_of(lon, lat, zoom=15)
    opened.page.wait_for_timeout(300)
    opened.screenshot("map_grades_zhongdian.png")
    assert opened.errors == [] and opened.blocked == []


def test_report_section_and_workbook(browser, tmp_path, ledger, zones, graded, parks):
    graded = graded.copy()
    first_d = graded.index[graded["grade"] == "D"][:2]  # the D list shows the first 100
    graded.loc[first_d, "name"] = [FORMULA, XSS]
    out = lu.report(
        ledger,
        zones,
        per_mu=graded,
        parks=parks,
        as_of="2022-06-30",
        out=tmp_path / "report.html",
    )
    text = out.read_text(encoding="utf-8")
    assert XSS not in text
    page_ = browser.new_page(viewport={"width": 1250, "height": 1000})
    page_.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith(("file:", "data:", "about:")) else r.abort()
        ),
    )
    page_.goto(out.as_uri())
    assert page_.locator("#per-mu").inner_text() == "亩均效益"
    rows = page_.locator("#per-mu-areas tbody tr")
    assert rows.count() == 9  # 8 parks and the enterprises outside them
    first = page_.locator("#per-mu-areas tbody tr", has_text="中电光谷").inner_text()
    assert "1,9" in first  # 1,9xx enterprises
    assert page_.locator("#per-mu-grades tbody tr").count() == 4
    d_text = page_.locator("#per-mu-d").inner_text()
    assert XSS in d_text and FORMULA in d_text  # shown as text
    page_.locator("#per-mu").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_.screenshot(path=str(ARTIFACTS / "report_per_mu.png"), full_page=True)
    page_.close()

    workbook = openpyxl.load_workbook(out.with_suffix(".xlsx"))
    assert workbook.sheetnames[-4:] == [
        "亩均效益-园区",
        "亩均效益-等级",
        "亩均效益-企业",
        "亩均效益-D类",
    ]
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert FORMULA in [c.value for c in workbook["亩均效益-D类"]["B"]]
    by_park = pd.read_excel(out.with_suffix(".xlsx"), sheet_name="亩均效益-园区")
    assert "中电光谷" in set(by_park["园区"])
    assert by_park["企业数"].sum() >= len(graded)


def test_permu_command(west_coast_path, tmp_path, capsys):
    assert main(["permu", str(west_coast_path), "--year", "2021", "--tiles", "none",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "中电光谷" in printed and "D 类（倒逼整治）" in printed
    assert {p.name for p in tmp_path.iterdir()} == {
        "per_mu.csv",
        "per_mu_by_park.csv",
        "per_mu_map.html",
    }
    table = pd.read_csv(tmp_path / "per_mu_by_park.csv", encoding="utf-8-sig", index_col=0)
    assert table.loc["中电光谷", "enterprises"] >= 1900
    ledger = lu.read_enterprises(west_coast_path)
    headers = ledger[ledger["year"] == 2021].rename(
        columns={
            "enterprise_id": "统一社会信用代码",
            "name": "企业名称",
            "parcel_id": "地块编号",
            "tax": "实缴税金（万元）",
            "revenue": "营业收入（万元）",
        }
    )
    excel = tmp_path / "企业.csv"
    headers.to_csv(excel, index=False, encoding="utf-8-sig")
    assert main(["permu", str(west_coast_path), "--enterprises", str(excel), "--fields",
                 "cn-ledger", "--by", "zone", "--lang", "en"]) == 0  # fmt: skip
    assert "灵山卫街道" in capsys.readouterr().out
    assert main(["permu", str(west_coast_path), "--enterprises", "/nonexistent.xlsx"]) == 2
    assert "no such file" in capsys.readouterr().err
