"""Bad input and careless users: a clear ValueError subclass naming the problem, never a crash
from deep inside GEOS, pyogrio or arrow; empty in, empty out; nothing wrong read silently."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely

import landuse as lu
from landuse.cli import main

NAN_RING = [(120.0, 36.0), (np.nan, 36.0), (120.1, 36.1)]
INF_RING = [(120.0, 36.0), (np.inf, 36.0), (120.1, 36.1)]


@pytest.fixture(scope="module")
def broken(ledger):
    """The sample with one NaN and one infinite coordinate."""
    out = ledger.copy()
    out.loc[out.index[0], "geometry"] = shapely.Polygon(NAN_RING)
    out.loc[out.index[1], "geometry"] = shapely.Polygon(INF_RING)
    return out


# --- 7. crashes instead of errors ----------------------------------------------------------


def test_rates_without_disposal_columns_have_nothing_disposed(ledger, zones):
    pieces = lu.assign_zones(ledger.drop(columns=["disposal_date", "disposal_method"]), zones)
    rates = lu.disposal_rates(pieces)
    assert len(rates) and (rates["disposed_parcels"] == 0).all()
    assert (rates["rate"].dropna() == 0).all()


@pytest.mark.parametrize(
    "step",
    [
        lambda g: lu.add_areas(g),
        lambda g: lu.classify(g, as_of="2022-06-30"),
        lambda g: lu.assign_zones(g, lu.read_zones(lu.datasets.get_path("west_coast"))),
    ],
    ids=["add_areas", "classify", "assign_zones"],
)
def test_nonfinite_coordinates_are_named(broken, step):
    with pytest.raises(lu.GeometryError, match="NaN or infinite") as error:
        step(broken)
    assert broken["parcel_id"].iloc[0] in str(error.value)
    assert broken["parcel_id"].iloc[1] in str(error.value)


def test_nonfinite_coordinates_in_check_and_read(broken, tmp_path):
    report = lu.check(broken)
    flagged = report[report["code"] == "nonfinite_coordinates"]
    assert set(flagged["parcel_id"]) == set(broken["parcel_id"].iloc[:2])
    assert (flagged["severity"] == "error").all()
    path = tmp_path / "broken.gpkg"
    broken.to_file(path, layer="parcels")
    with pytest.raises(lu.GeometryError, match="NaN or infinite"):
        lu.read_parcels(path)


def test_empty_in_empty_out(ledger, zones, tmp_path):
    empty = ledger.iloc[:0]
    measured = lu.add_areas(empty)
    assert len(measured) == 0 and {"area_m2", "area_mu", "area_ha"} <= set(measured.columns)
    assert measured.crs == ledger.crs
    pieces = lu.assign_zones(empty, zones, columns=["functional_zone"])
    assert len(pieces) == 0 and {"zone", "functional_zone", "area_mu"} <= set(pieces.columns)
    assert len(lu.classify(empty, as_of="2022-06-30")) == 0
    assert len(lu.disposal_rates(pieces)) == 0
    assert len(lu.check(empty)) == 0
    page = lu.report(empty, zones, as_of="2022-06-30", out=tmp_path / "r.html")
    assert "没有存量地块" in page.read_text(encoding="utf-8")


def test_unreadable_sources_say_what_is_wrong(ledger, tmp_path):
    (tmp_path / "zero.gpkg").write_bytes(b"")
    with pytest.raises(lu.SourceError, match="empty"):
        lu.read_parcels(tmp_path / "zero.gpkg")
    whole = tmp_path / "whole.gpkg"
    ledger.to_file(whole, layer="parcels")
    data = whole.read_bytes()
    (tmp_path / "cut.gpkg").write_bytes(data[: len(data) // 3])
    with pytest.raises(lu.SourceError, match="cannot be read"):
        lu.read_parcels(tmp_path / "cut.gpkg")
    lu.write_parcels(ledger, tmp_path / "whole.parquet")
    data = (tmp_path / "whole.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(lu.SourceError, match="GeoParquet"):
        lu.read_parcels(tmp_path / "cut.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ledger.head(5)[["parcel_id", "geometry"]].to_file(tmp_path / "s.shp")
    (tmp_path / "s.dbf").unlink()
    with pytest.raises(lu.SourceError, match=r"missing its \.dbf"):
        lu.read_parcels(tmp_path / "s.shp")
    folder = tmp_path / "folder"
    folder.mkdir()
    ledger.head(5).to_file(folder / "a.gpkg")
    with pytest.raises(lu.SourceError, match=r"no \.parquet files \(a\.gpkg\)"):
        lu.read_parcels(folder)
    with pytest.raises(lu.SourceError, match="its layers: parcels, zones"):
        lu.read_parcels(lu.datasets.get_path("west_coast"), layer="nope")


# --- 8. silent wrong data -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["22-6-30", "22.6.30", "6/30/22", "22年6月30日"])
def test_two_digit_years_are_refused(parcels_from, text):
    parcels = parcels_from([{"approval_date": text}, {"approval_date": "2022-06-30"}])
    with pytest.raises(lu.DateOrderError, match="not dates") as error:
        lu.classify(parcels, as_of="2022-06-30")
    assert "P1" in str(error.value) and "P2" not in str(error.value)


def test_two_digit_year_in_a_ledger_names_the_row(tmp_path):
    path = tmp_path / "台账.csv"
    pd.DataFrame({"地块编号": ["A1", "A2"], "批准时间": ["2022-06-30", "22-6-30"]}).to_csv(
        path, index=False
    )
    with pytest.raises(lu.DateOrderError, match="year in full") as error:
        lu.read_ledger(path)
    assert error.value.rows == ["A2"]


def test_future_disposal_is_flagged_and_not_counted_yet(ledger):
    stock = ledger[ledger["category"].eq("supplied_unused") & ledger["disposal_method"].isna()]
    row = stock.index[0]
    future = ledger.copy()
    future.loc[row, ["disposal_method", "disposal_date"]] = ["started", pd.Timestamp("2099-01-01")]
    before = lu.disposal_rates(ledger.assign(scope="all"), by="scope")
    after = lu.disposal_rates(future.assign(scope="all"), by="scope")
    assert after["disposed_parcels"].sum() == before["disposed_parcels"].sum()
    counted = lu.disposal_rates(future.assign(scope="all"), by="scope", as_of="2099-12-31")
    assert counted.loc[("all", "supplied_unused"), "disposed_parcels"] == (
        lu.disposal_rates(ledger.assign(scope="all"), by="scope", as_of="2099-12-31").loc[
            ("all", "supplied_unused"), "disposed_parcels"
        ]
        + 1
    )
    report = lu.check(future)
    flagged = report[report["code"] == "future_date"]
    assert flagged["parcel_id"].tolist() == [future.loc[row, "parcel_id"]]


def test_merged_two_row_header_is_read(tmp_path):
    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某区存量土地台账（2022年）"])
    sheet.append(["地块编号", "基本情况", None, "处置情况", None, "备注"])
    sheet.append([None, "批准时间", "供地时间", "处置方式", "处置时间", None])
    for cells in ("A1:F1", "A2:A3", "B2:C2", "D2:E2", "F2:F3"):
        sheet.merge_cells(cells)
    sheet.append(["A1", "2021-03-05", "2021-09-01", "开工", "2022-05-01", "已核实"])
    sheet.append([None] * 6)
    sheet.append(["A2", "2020年1月2日", None, None, None, None])
    book.save(path)
    with pytest.warns(UserWarning, match="not recognised, kept as they are: 备注"):
        ledger = lu.read_ledger(path)
    assert ledger["parcel_id"].tolist() == ["A1", "A2"]
    assert ledger.loc[0, "supply_date"] == pd.Timestamp("2021-09-01")
    assert ledger.loc[0, "disposal_method"] == "started"
    assert ledger.loc[1, "approval_date"] == pd.Timestamp("2020-01-02")


def test_duplicate_zone_names_are_refused_at_read(zones, tmp_path):
    twice = zones.copy()
    twice.loc[twice.index[1], "name"] = twice.loc[twice.index[0], "name"]
    twice.to_file(tmp_path / "zones.gpkg", layer="zones")
    with pytest.raises(lu.ZoneError, match="unique") as error:
        lu.read_zones(tmp_path / "zones.gpkg")
    assert error.value.rows == [twice.loc[twice.index[0], "name"]]


# --- 9. the command line: one line on stderr, exit 2 ------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["rates", "{tmp}/nope.gpkg", "--zones", "{sample}"], "no such file"),
        (["rates", "{tmp}/table.csv", "--zones", "{sample}"], "has no geometries"),
        (["check", "{tmp}/table.csv"], "has no geometries"),
        (["map", "{sample}", "--layer", "nope"], "its layers: parcels, zones, renewal_zones"),
        (["rates", "{tmp}/zero.gpkg", "--zones", "{sample}"], "empty"),
    ],
)
def test_cli_errors_are_one_line(argv, says, tmp_path, capsys):
    (tmp_path / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "zero.gpkg").write_bytes(b"")
    sample = str(lu.datasets.get_path("west_coast"))
    args = [a.format(tmp=tmp_path, sample=sample) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert says in err and err.startswith("landuse: ")


@pytest.mark.parametrize("target", ["1.5", "abc", "-0.1", "150%"])
def test_cli_refuses_a_bad_target(target, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["rates", str(lu.datasets.get_path("west_coast")), "--target", target])
    assert stop.value.code == 2
    assert "not a rate" in capsys.readouterr().err


# --- found by the review: dates given as arguments, options, files and maps ---------------------


@pytest.mark.parametrize("day", ["22-6-30", "220630", "1-1-1"])
def test_as_of_follows_the_readers_date_rules(ledger, day):
    with pytest.raises(lu.InputError, match="as_of must be a date"):
        lu.disposal_rates(ledger.assign(scope="x"), by="scope", as_of=day)
    assert lu.classify(ledger.head(5), as_of="2022年6月30日") is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["rates", "{sample}", "--lang", "fr"],
        ["demo", "--as-of", "22-6-30"],
        ["check", "{sample}", "--crs", "EPSG:99999"],
    ],
)
def test_cli_argument_errors_are_one_line(argv, capsys):
    sample = str(lu.datasets.get_path("west_coast"))
    args = [a.format(sample=sample) for a in argv]
    try:
        code = main(args)
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]


def test_report_before_any_disposal(ledger, zones, tmp_path):
    tasks = lu.classify(ledger, as_of="2021-12-31").drop(
        columns=["disposal_method", "disposal_date"]
    )
    page = lu.report(tasks, zones, as_of="2022-06-30", out=tmp_path / "r.html")
    assert page.exists() and 'alt="progress"' not in page.read_text(encoding="utf-8")


def test_broken_ledgers_are_source_errors(tmp_path):
    (tmp_path / "zero.xlsx").write_bytes(b"")
    (tmp_path / "cut.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "zero.csv").write_bytes(b"")
    for name in ("zero.xlsx", "cut.xlsx", "zero.csv"):
        with pytest.raises(lu.SourceError, match=name):
            lu.read_ledger(tmp_path / name)


def test_coordinates_off_the_earth_are_named(ledger):
    far = ledger.copy()
    far.loc[far.index[0], "geometry"] = shapely.Polygon(
        [(120, 35.9), (1e300, 35.91), (120.01, 35.9)]
    )
    with pytest.raises(lu.GeometryError, match="outside longitude") as error:
        lu.add_areas(far)
    assert error.value.rows == [far["parcel_id"].iloc[0]]
    assert lu.check(far)["code"].eq("off_earth").sum() == 1


def test_maps_refuse_nan_zones_and_bad_options(ledger, zones):
    broken = zones.copy()
    broken.loc[broken.index[0], "geometry"] = shapely.MultiPolygon([shapely.Polygon(NAN_RING)])
    stock = ledger[ledger["category"].notna()].head(30)
    with pytest.raises(lu.GeometryError, match="zones with NaN"):
        lu.parcel_map(stock, zones=broken, tiles=None)
    with pytest.raises(lu.InputError, match="k is the number of classes"):
        lu.parcel_map(lu.add_areas(stock), column="area_mu", k=0, tiles=None)
    with pytest.raises(lu.InputError, match="rate_bins"):
        lu.parcel_map(stock, rate_bins=[0.5, 0.2], tiles=None)
    with pytest.raises(lu.InputError, match="placeholders"):
        lu.parcel_map(stock, tiles="https://x/{z}/{x}/{y}.png?k={0}")
    with pytest.raises(lu.InputError, match="category"):
        lu.disposal_rates(stock, by="category")
    with pytest.raises(lu.InputError, match="lang"):
        lu.display_rates(lu.disposal_rates(stock.assign(s="a"), by="s"), lang="fr")
