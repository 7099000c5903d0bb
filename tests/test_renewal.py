"""Renewal zones: stage, days in stage, overdue, and the stock inside (hand-computed)."""

from __future__ import annotations

import pandas as pd
import pytest

import landuse as lu
from tests.conftest import square


def zones(rows):
    import geopandas as gpd

    return gpd.GeoDataFrame(rows, crs=4549)


def test_stage_days_and_overdue_by_hand(parcels_from):
    renewal = zones(
        [
            {
                "name": "A",
                "planning_date": "2021-01-01",
                "acquisition_date": "2022-03-01",
                "clearance_date": "2022-09-01",
                "target_date": "2022-06-01",
                "geometry": square(0, 0, 1000),
            },
            {
                "name": "B",
                "planning_date": "2020-01-01",
                "acquisition_date": "2020-02-01",
                "clearance_date": "2020-03-01",
                "supply_date": "2020-04-01",
                "construction_date": "2020-05-01",
                "complete_date": "2022-06-20",
                "target_date": "2022-01-01",
                "geometry": square(2000, 0, 500),
            },
            {"name": "C", "planning_date": "2023-01-01", "geometry": square(4000, 0, 100)},
        ]
    )
    parcels = parcels_from(
        [
            {"category": "low_efficiency", "geometry": square(0, 0, 100)},
            {
                "category": "low_efficiency",
                "disposal_method": "redeveloped",
                "disposal_date": "2022-05-01",
                "geometry": square(200, 0, 100),
            },
            {"category": "approved_unsupplied", "geometry": square(400, 0, 200)},
            {"category": None, "geometry": square(700, 0, 100)},
            {"category": "supplied_unused", "geometry": square(3000, 0, 100)},  # outside all
        ]
    )
    table = lu.renewal_progress(renewal, parcels, as_of="2022-06-30")
    assert list(table.index) == ["A", "B", "C"]
    assert list(table["name"]) == ["A", "B", "C"]
    a, b, c = (table.loc[n] for n in "ABC")
    assert a["stage"] == "acquisition"  # clearance only in September
    assert a["days_in_stage"] == (pd.Timestamp("2022-06-30") - pd.Timestamp("2022-03-01")).days
    assert a["overdue"]
    assert b["stage"] == "complete" and b["days_in_stage"] == 10 and not b["overdue"]
    assert pd.isna(c["stage"]) and not c["overdue"]

    mu = 10_000 / 666.6666666666666 / 1  # one 100 m square in mu = 15
    assert a["area_mu"] == pytest.approx(1_000_000 * 15 / 10_000)
    assert a["stock_parcels"] == 3
    assert a["stock_area_mu"] == pytest.approx(15 + 15 + 60)
    assert a["disposed_area_mu"] == pytest.approx(15)
    assert a["rate"] == pytest.approx(15 / 90)
    assert a["low_efficiency_parcels"] == 2
    assert a["low_efficiency_rate"] == pytest.approx(0.5)
    assert a["approved_unsupplied_area_mu"] == pytest.approx(60)
    assert a["approved_unsupplied_rate"] == 0
    assert b["stock_parcels"] == 0 and pd.isna(b["rate"])
    assert mu == pytest.approx(15)


def test_stage_dates_out_of_order():
    renewal = zones(
        [
            {
                "name": "X",
                "planning_date": "2022-01-01",
                "acquisition_date": "2021-01-01",
                "geometry": square(0, 0),
            }
        ]
    )
    with pytest.raises(lu.DateOrderError, match="out of order"):
        lu.renewal_progress(
            renewal, renewal.assign(parcel_id="P", category=None), as_of="2022-06-30"
        )


def test_sample_zones_follow_the_seed(ledger, renewal):
    table = lu.renewal_progress(renewal, ledger, as_of="2022-06-30")
    assert {
        "双珠公园片区",
        "人才公寓",
        "原海滨工业园",
        "湿地公园",
        "风河南岸滨海公园",
        "王台老工业区",
        "风河南片区",
    } <= set(table.index)
    assert table.loc["双珠公园片区", "stage"] == "complete"
    assert table.loc["风河南岸滨海公园", "stage"] == "complete"
    assert table.loc["人才公寓", "stage"] == "clearance"
    assert table.loc["原海滨工业园", "stage"] in ("planning", "acquisition")
    assert table.loc["湿地公园", "stage"] in ("planning", "acquisition")
    assert table.loc["王台老工业区", "stage"] == "construction"
    assert table.loc["风河南片区", "rate"] > 0.6
    assert table["overdue"].any()


def test_seed_plots_sit_near_the_pilot_in_the_marine_zone(ledger, zones_sample, renewal):
    plots = ledger[ledger["name"].str.contains("阳煤集团恒源化工|明天澳普兰", na=False)]
    assert len(plots) == 2
    marine = zones_sample[zones_sample["functional_zone"] == "青岛海洋高新区"].to_crs(4549)
    pilot = renewal[renewal["name"] == "风河南片区"].to_crs(4549).geometry.iloc[0]
    points = plots.to_crs(4549).representative_point()
    assert points.within(marine.union_all()).all()
    assert (points.distance(pilot) < 2000).all()


@pytest.fixture
def zones_sample(zones):
    return zones


def test_map_colours_renewal_by_stage_with_escaped_names(ledger, renewal):
    from tests.test_maps import page

    stock = ledger[ledger["category"].notna()]
    hostile = renewal.copy()
    hostile.loc[hostile["name"] == "人才公寓", "name"] = "<script>x</script>{{ 7*7 }}"
    html = page(lu.parcel_map(stock, renewal=hostile, tiles=None, as_of="2022-06-30"))
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;{{ 7*7 }}" in html  # escaped, never evaluated
    assert "49" not in html.split("&lt;script&gt;x")[1][:40]
    assert "拆迁清场，171 天" in html  # 人才公寓: clearance since 2022-01-10
    assert "征收，76 天，逾期" in html  # 原海滨工业园 past its target
    assert "更新阶段" in html and "#7a0177" in html


def test_report_has_renewal_and_survey_sections(ledger, zones, renewal, tmp_path):
    stock = ledger[ledger["category"].notna()]
    survey = pd.DataFrame(
        {"parcel_id": stock["parcel_id"].head(6), "package": [1, 1, 1, 2, 2, 2]}
    ).assign(surveyed=[True, False, False, True, True, False])
    out = lu.report(
        ledger,
        zones,
        renewal=renewal,
        survey=survey,
        as_of="2022-06-30",
        out=tmp_path / "report.html",
        excel=False,
    )
    html = out.read_text(encoding="utf-8")
    assert 'id="renewal"' in html and 'id="survey"' in html
    assert "王台老工业区" in html and "建设" in html and 'class="overdue"' in html
    assert "67%" in html  # package 2: two of three surveyed
