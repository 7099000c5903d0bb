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
