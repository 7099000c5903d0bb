from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import landuse as lu
from tests.conftest import make_parcels, square


def codes(report: pd.DataFrame) -> dict[str, list[str]]:
    return report.groupby("code")["parcel_id"].apply(list).to_dict()


def test_clean_data_reports_no_errors(ledger, zones):
    report = lu.check(ledger, zones=zones)
    assert not (report["severity"] == "error").any()
    assert list(report.columns) == ["severity", "code", "parcel_id", "message", "value"]


def test_every_problem_is_reported_at_once():
    x0, y0 = 500_000, 3_980_000
    bx = x0 + 3000
    bowtie = shapely.Polygon([(bx, y0), (bx + 50, y0 + 50), (bx + 50, y0), (bx, y0 + 50)])
    parcels = make_parcels(
        [
            {"geometry": square(0, 0, 100), "stated_area": 10_000, "land_use_code": "0601"},
            {
                "geometry": square(50, 0, 100),
                "stated_area": 12_000,
                "land_use_code": "061",
            },  # overlaps P1 by half
            {"geometry": bowtie, "land_use_code": "9999"},
            {
                "geometry": shapely.box(x0 + 900, y0, x0 + 1000, y0 + 0.5),
                "approval_date": "2021-05-01",
                "supply_date": "2021-01-01",
            },  # a sliver, supplied before approval
            {"geometry": None, "developed_ratio": 40.0},
            {"geometry": square(2000, 0), "category": "idle", "disposal_method": "recovered"},
            {"geometry": shapely.Point(x0 + 5000, y0)},
        ]
    )
    parcels.loc[6, "parcel_id"] = "P1"
    report = lu.check(parcels)
    found = codes(report)
    assert found["overlap"] == ["P1"]
    assert report.loc[report.code == "overlap", "value"].iloc[0] == 5000
    assert "50.0% of the smaller parcel" in report.loc[report.code == "overlap", "message"].iloc[0]
    assert found["area_mismatch"] == ["P2"]
    assert found["invalid_geometry"] == ["P3"]
    assert found["unknown_land_use_code"] == ["P3"]
    assert found["land_use_code_2007"] == ["P2"]
    assert "0601" in report.loc[report.code == "land_use_code_2007", "message"].iloc[0]
    assert "P4" in found["sliver"]
    assert found["date_order"] == ["P4"]
    assert found["missing_geometry"] == ["P5"]
    assert found["ratio_range"] == ["P5"]
    assert found["unknown_category"] == ["P6"]
    assert found["undated_disposal"] == ["P6"]
    assert found["not_polygon"] == ["P1"]  # the point, which also repeats P1's id
    assert found["duplicate_id"] == ["P1", "P1"]
    assert report["severity"].iloc[0] == "error"  # errors first


def test_outside_zones_and_missing_crs(zones):
    inside = zones.geometry.iloc[0].representative_point().buffer(0.0005)
    far = shapely.Point(100.0, 30.0).buffer(0.0005)
    parcels = gpd.GeoDataFrame({"parcel_id": ["in", "out"]}, geometry=[inside, far], crs=4490)
    assert codes(lu.check(parcels, zones=zones))["outside_zones"] == ["out"]
    report = lu.check(parcels.set_crs(None, allow_override=True))
    assert "missing_crs" in set(report["code"])


def test_hundred_thousand_parcels_in_seconds():
    side = 317
    ix, iy = np.meshgrid(np.arange(side), np.arange(side))
    x, y = 480_000 + ix.ravel() * 100.0, 3_950_000 + iy.ravel() * 100.0
    geoms = shapely.box(x, y, x + 100, y + 100)  # shared edges everywhere, no overlaps
    parcels = gpd.GeoDataFrame(
        {"parcel_id": np.arange(len(geoms)).astype(str)}, geometry=geoms, crs=4549
    )
    start = time.perf_counter()
    report = lu.check(parcels)
    elapsed = time.perf_counter() - start
    assert report.empty
    assert len(parcels) > 100_000
    print(f"check() on {len(parcels)} parcels: {elapsed:.1f} s")


def test_undetermined_parcels_are_the_survey_work_list():
    from tests.test_rules import BUILT, full

    parcels = make_parcels(full([{**BUILT, "far": None}, BUILT]))
    report = lu.check(parcels, as_of="2021-12-31")
    rows = report[report["code"] == "undetermined"]
    assert rows["parcel_id"].tolist() == ["P1"]
    assert rows["severity"].iloc[0] == "warning" and "容积率" in rows["message"].iloc[0]
    classified = lu.classify(parcels, as_of="2021-12-31")
    assert codes(lu.check(classified))["undetermined"] == ["P1"]  # from the column
    assert "undetermined" not in codes(lu.check(parcels))  # no date, no column: nothing to say


def test_rules_that_cannot_run_are_reported():
    report = lu.check(make_parcels([{"approval_date": "2020-01-01"}]), as_of="2021-12-31")
    messages = report.loc[report["code"] == "rule_cannot_run", "message"]
    assert messages.str.contains("supply_date").any()


def test_codes_that_lost_their_leading_zero():
    report = lu.check(make_parcels([{"land_use_code": 601}, {"land_use_code": "0601"}]))
    rows = report[report["code"] == "land_use_code_padded"]
    assert rows["parcel_id"].tolist() == ["P1"] and "read as 0601" in rows["message"].iloc[0]
    assert "unknown_land_use_code" not in set(report["code"])
