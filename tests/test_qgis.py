"""GeoPackages we write open styled in real QGIS: categories with Chinese labels, hatching for
disposed parcels, zones as the rate choropleth (Debian's python3-qgis, headless)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import landuse as lu
from landuse._qgis import parcel_style, zone_style

RENDER = Path(__file__).parent.parent / "scripts" / "qgis_render.py"
ARTIFACTS = Path(
    os.environ.get("LANDUSE_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts")
)


def _qgis_python() -> str:
    python = shutil.which("python3", path="/usr/bin")
    ok = (
        python
        and subprocess.run(
            [python, "-c", "import qgis.core"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not ok:
        if os.environ.get("CI"):
            pytest.fail("QGIS (python3-qgis) is required in CI; scripts/test.sh installs it")
        pytest.skip("QGIS (python3-qgis) not installed; scripts/test.sh installs it")
    return str(python)


def _open_in_qgis(gpkg: Path, layer: str, png: Path, scale: float = 1.0) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(png.parent)}
    done = subprocess.run(
        [_qgis_python(), str(RENDER), str(gpkg), layer, str(png), str(scale)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.qgis
def test_parcels_open_by_category_with_chinese_labels(ledger, tmp_path):
    path = lu.write_parcels(ledger, tmp_path / "parcels.gpkg")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened = _open_in_qgis(path, "parcels", ARTIFACTS / "qgis_parcels.png")
    assert opened["valid"] and opened["features"] == len(ledger)
    assert opened["renderer"] == "categorizedSymbol"
    assert opened["labels"] == ["批而未供", "供而未用", "低效用地", "其他地块"]
    assert opened["symbol_layers"][:3] == [2, 2, 2]  # fill + hatching when disposed
    assert opened["painted"] > 500


@pytest.mark.qgis
def test_zones_open_as_the_rate_choropleth(ledger, zones, tmp_path):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30")
    shaded = zones.merge(
        rates.xs("all", level="category")[["rate"]], left_on="name", right_index=True
    )
    path = lu.write_parcels(ledger, tmp_path / "both.gpkg")
    lu.write_parcels(shaded, path, layer="zones")
    opened = _open_in_qgis(path, "zones", ARTIFACTS / "qgis_zones.png")
    assert opened["renderer"] == "graduatedSymbol"
    assert opened["labels"][0] == "0% – 20%" and len(opened["labels"]) == 5
    assert opened["labels_enabled"] and opened["painted"] > 5_000
    again = _open_in_qgis(path, "parcels", tmp_path / "p.png")  # the first layer keeps its own
    assert again["renderer"] == "categorizedSymbol"


def test_styles_are_stored_once_per_layer_as_default(ledger, tmp_path):
    path = tmp_path / "p.gpkg"
    lu.write_parcels(ledger.head(20), path)
    lu.write_parcels(ledger.head(30), path)  # written again: one default style, not two
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT f_table_name, f_geometry_column, useAsDefault FROM layer_styles"
        ).fetchall()
    assert rows == [("parcels", "geom", 1)]
    assert len(lu.read_parcels(path)) == 30


def test_english_legend_and_well_formed_xml():
    import xml.etree.ElementTree as ET

    english = ET.fromstring(parcel_style("en").split("\n", 1)[1])
    labels = [c.get("label") for c in english.iter("category")]
    assert labels == [
        "Approved, unsupplied",
        "Supplied, unused (idle)",
        "Low-efficiency",
        "Other parcels",
    ]
    zones = ET.fromstring(zone_style().split("\n", 1)[1])
    assert zones.find("renderer-v2").get("attr") == "rate"
