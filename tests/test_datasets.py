from __future__ import annotations

import pyogrio
import pytest

import landuse as lu


def test_bundled_sample_meets_its_promises(west_coast_path, ledger, zones, renewal):
    assert west_coast_path.stat().st_size < 5_000_000
    layers = {str(name) for name in pyogrio.list_layers(west_coast_path)[:, 0]}
    assert {"parcels", "zones", "renewal_zones"} <= layers
    assert len(ledger) >= 3000
    assert ledger.crs.to_epsg() == 4490
    for column in (
        "batch_id",
        "approval_date",
        "supply_date",
        "agreed_start_date",
        "actual_start_date",
        "stopped_date",
        "developed_ratio",
        "invested_ratio",
        "far",
        "building_coverage",
        "tax_per_mu",
        "output_per_mu",
        "land_use_code",
        "name",
        "disposal_method",
        "disposal_date",
    ):
        assert ledger[column].notna().any(), column
    assert ledger["disposal_date"].max() <= __import__("pandas").Timestamp("2022-12-31")
    assert set(zones["functional_zone"]) == {"青岛经济技术开发区", "青岛海洋高新区"}
    assert {"双珠公园片区", "原海滨工业园", "湿地公园", "王台老工业区", "风河南片区"} <= set(
        renewal["name"]
    )


def test_layer_metadata_says_synthetic(west_coast_path):
    for layer in ("parcels", "zones", "renewal_zones"):
        info = pyogrio.read_info(west_coast_path, layer=layer)
        assert "SYNTHETIC" in str(info["layer_metadata"]), layer


def test_unknown_dataset():
    with pytest.raises(ValueError, match="available: west_coast"):
        lu.datasets.get_path("mars")


def test_bundled_sample_is_as_incomplete_as_real_ledgers(ledger):
    """Delivery dates, sites under construction, missing indicators, a lapsed extension,
    government-caused idleness and land prices (DOMAIN.md, "Rules on real, incomplete ledgers")."""
    import pandas as pd

    tasks = lu.classify(ledger, as_of="2021-12-31")
    assert ledger["delivery_date"].notna().sum() > 500
    building = tasks["reason"].str.startswith("在建")
    assert building.sum() >= 10
    assert (tasks.loc[building, "far"] < 1.0).any()  # low FAR, yet not 低效用地
    assert tasks.loc[building, "category"].isna().all()
    undetermined = tasks[tasks["undetermined"]]
    assert len(undetermined) >= 10
    assert undetermined["reason"].str.startswith("待核查").all()
    assert undetermined["category"].isna().all()
    # a low-efficiency parcel missing an indicator it would pass is still low-efficiency
    low = tasks[tasks["category"] == "low_efficiency"]
    assert low[["far", "building_coverage", "tax_per_mu", "output_per_mu"]].isna().any(axis=1).any()
    lapsed = tasks[
        (tasks["disposal_method"] == "extended")
        & (tasks["disposal_date"] < pd.Timestamp("2021-12-31"))
    ]
    assert len(lapsed) >= 1 and (lapsed["category"] == "supplied_unused").all()
    assert lapsed["reason"].str.contains("届满未动工").all()
    idle = tasks[tasks["category"] == "supplied_unused"]
    assert (idle["idle_cause"] == "government").sum() >= 5
    assert idle["land_price"].notna().mean() > 0.7
    actions = lu.idle_actions(tasks, as_of="2022-06-30")
    assert set(actions["action"]) == {"fee", "recover", "negotiate"}
    assert actions.loc[actions["action"] == "fee", "fee_wan"].notna().any()
