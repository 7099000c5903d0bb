"""Work packages, survey sheets and the filled checklists back."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landuse as lu
from landuse.survey import _projected_points, package_quality
from tests.conftest import GK40, ORIGIN


def fabric(points: int, seed: int) -> gpd.GeoDataFrame:
    """A Voronoi parcel fabric of ``points`` random parcels in a 3 km square (GK zone 40)."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 3000, (points, 2)) + np.asarray(ORIGIN)
    frame = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 3000, ORIGIN[1] + 3000)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    return gpd.GeoDataFrame(
        {"parcel_id": [f"F{i}" for i in range(len(cells))], "geometry": cells}, crs=GK40
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=st.integers(20, 400), packages=st.integers(2, 15), seed=st.integers(0, 10_000))
def test_every_parcel_in_one_balanced_package(points, packages, seed):
    parcels = fabric(points, seed)
    n = min(packages, len(parcels))
    plan = lu.work_packages(parcels, n, seed=seed % 7, restarts=1, iterations=3)
    assert list(plan["parcel_id"]) == list(parcels["parcel_id"])  # all kept, same order
    assert set(plan["package"]) == set(range(1, n + 1))
    counts = plan["package"].value_counts()
    mean = len(parcels) / n
    assert (counts - mean).abs().max() <= max(0.10 * mean, 1.0)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=st.integers(60, 300), seed=st.integers(0, 10_000))
def test_weighted_packages_balance_the_weight(points, seed):
    parcels = lu.add_areas(fabric(points, seed))
    plan = lu.work_packages(parcels, 4, weight="area_mu", restarts=1, iterations=3)
    loads = plan.groupby("package")["area_mu"].sum()
    assert plan["package"].notna().all()
    assert (loads / loads.mean() - 1).abs().max() <= 0.15


def test_sample_packages_beat_kmeans_and_hilbert(ledger):
    from sklearn.cluster import KMeans

    stock = ledger[ledger["category"].notna()]
    plan = lu.work_packages(stock, 30)
    ours = package_quality(plan)
    xy = _projected_points(stock)
    kmeans = package_quality(
        stock.assign(package=KMeans(30, n_init=1, random_state=0).fit(xy).labels_)
    )
    order = np.argsort(np.argsort(stock.hilbert_distance().to_numpy(), kind="stable"))
    hilbert = package_quality(stock.assign(package=order * 30 // len(stock)))
    assert ours["balance"] <= 0.10 < kmeans["balance"]
    assert ours["mean_hull_km2"] <= 1.5 * kmeans["mean_hull_km2"]
    assert ours["overlap"] <= max(0.05, 1.5 * kmeans["overlap"])
    assert hilbert["overlap"] > ours["overlap"]


def test_packages_are_deterministic_and_keep_inside_zones(ledger, zones):
    stock = lu.assign_zones(ledger[ledger["category"].notna()], zones, how="largest")
    first = lu.work_packages(stock, 12, seed=3, by="zone", restarts=1)
    again = lu.work_packages(stock, 12, seed=3, by="zone", restarts=1)
    assert first["package"].tolist() == again["package"].tolist()
    assert (first.groupby("package")["zone"].nunique() == 1).all()
    assert first["package"].nunique() == 12


def test_bad_input(ledger):
    stock = ledger[ledger["category"].notna()].head(10)
    with pytest.raises(lu.InputError, match="at most"):
        lu.work_packages(stock, 11)
    with pytest.raises(lu.DuplicateIdError):
        lu.work_packages(pd.concat([stock, stock.head(1)]), 2)
    with pytest.raises(lu.MissingColumnError):
        lu.work_packages(stock, 2, weight="nope")
    with pytest.raises(lu.InputError, match="positive"):
        lu.work_packages(stock, 0)


@pytest.fixture(scope="module")
def plan(ledger):
    low = ledger[ledger["category"] == "low_efficiency"].head(24).copy()
    low.loc[low.index[0], "name"] = '=HYPERLINK("http://x")'
    return lu.work_packages(low, 3, restarts=1)


@pytest.fixture(scope="module")
def sheets(plan, ledger, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sheets")
    return lu.survey_sheets(plan, folder, context=ledger, packages=[1, 2, 3])


def test_sheets_open(plan, sheets):
    pdfs = [p for p in sheets if p.suffix == ".pdf"]
    books = [p for p in sheets if p.suffix == ".xlsx"]
    assert len(pdfs) == len(books) == 3
    for pdf in pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-"
    for number, path in enumerate(books, start=1):
        sheet = openpyxl.load_workbook(path).active
        header = [c.value for c in sheet[1]]
        for column in (
            "现状用途",
            "是否在产",
            "企业名称",
            "建筑面积",
            "实测容积率",
            "备注",
            "调查人",
            "调查日期",
        ):
            assert column in header
        ids = [
            sheet.cell(r, header.index("地块编号") + 1).value for r in range(2, sheet.max_row + 1)
        ]
        assert sorted(ids) == sorted(plan.loc[plan["package"] == number, "parcel_id"])
        lists = {str(v.formula1) for v in sheet.data_validations.dataValidation}
        assert any("是,否" in f for f in lists)
        assert any("工业" in f for f in lists)


def test_user_text_stays_text(sheets):
    for path in sheets:
        if path.suffix != ".xlsx":
            continue
        sheet = openpyxl.load_workbook(path).active
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def fill(path, values):
    """Fill a checklist as a team would: rows reordered, a blank line, an extra column."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    rows.reverse()
    col = {h: i for i, h in enumerate(header)}
    for row in rows:
        for key, value in values.get(str(row[col["地块编号"]]), {}).items():
            row[col[key]] = value
    sheet.delete_rows(2, sheet.max_row)
    header.append("队员电话")
    for i, h in enumerate(header, start=1):
        sheet.cell(1, i).value = h
    r = 2
    for i, row in enumerate(rows):
        if i == 1:
            r += 1  # a blank line
        for j, v in enumerate([*row, "138"], start=1):
            sheet.cell(r, j).value = v
        r += 1
    book.save(path)


def test_filled_checklist_round_trips(plan, sheets, tmp_path):
    import shutil

    books = [shutil.copy(p, tmp_path / p.name) for p in sheets if p.suffix == ".xlsx"]
    first = plan[plan["package"] == 1]
    done = first["parcel_id"].iloc[:3].tolist()
    fill(
        books[0],
        {
            done[0]: {
                "实测容积率": 0.42,
                "是否在产": "否",
                "企业名称": "青岛海纳电子有限公司",
                "调查人": "王",
                "调查日期": "2022-05-03",
            },
            done[1]: {"现状用途": "工业", "是否在产": "是", "建筑面积": 12000},
            done[2]: {"备注": "大门紧锁"},
        },
    )
    survey = lu.read_survey([*books])
    assert len(survey) == len(plan)
    assert set(survey.loc[survey["surveyed"], "parcel_id"]) == set(done)
    row = survey.set_index("parcel_id").loc[done[0]]
    assert row["surveyed_far"] == pytest.approx(0.42)
    assert row["in_production"] == "no"
    assert row["enterprise"] == "青岛海纳电子有限公司"
    assert row["survey_date"] == pd.Timestamp("2022-05-03")
    assert "队员电话" in survey.columns

    progress = lu.survey_progress(plan, survey)
    assert progress.loc[1, "surveyed"] == 3
    assert progress.loc[1, "parcels"] == len(first)
    assert progress["surveyed"].sum() / progress["parcels"].sum() == pytest.approx(3 / len(plan))
    assert progress["parcels"].sum() == len(plan)

    applied = lu.apply_survey(plan, survey)
    assert applied.loc[applied["parcel_id"] == done[0], "far"].iloc[0] == pytest.approx(0.42)
    area = lu.add_areas(plan[plan["parcel_id"] == done[1]])["area_m2"].iloc[0]
    assert applied.loc[applied["parcel_id"] == done[1], "far"].iloc[0] == pytest.approx(
        12000 / area, abs=1e-3
    )
    untouched = applied["parcel_id"] == plan["parcel_id"].iloc[-1]
    assert applied.loc[untouched, "far"].iloc[0] == plan["far"].iloc[-1] or (
        pd.isna(applied.loc[untouched, "far"].iloc[0]) and pd.isna(plan["far"].iloc[-1])
    )
    assert "far" in plan.columns and plan is not applied


def test_survey_errors(plan, sheets, tmp_path):
    import shutil

    books = [shutil.copy(p, tmp_path / p.name) for p in sheets if p.suffix == ".xlsx"]
    twice = tmp_path / "copy.xlsx"
    shutil.copy(books[0], twice)
    with pytest.raises(lu.SurveyError, match="more than one"):
        lu.read_survey([books[0], twice])
    stranger = pd.DataFrame({"parcel_id": ["NOPE"], "surveyed": [True]})
    with pytest.raises(lu.SurveyError, match="not in the inventory") as caught:
        lu.survey_progress(plan, stranger)
    assert "NOPE" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_survey_resolves_a_parcel_classify_could_not_judge(parcels_from):
    ledger = parcels_from(
        [
            {
                "land_use_code": "0601",
                "approval_date": "2010-01-01",
                "supply_date": "2010-06-01",
                "agreed_start_date": "2010-12-01",
                "actual_start_date": "2011-01-01",
                "actual_completion_date": "2012-06-01",
                "building_coverage": 0.4,
                "tax_per_mu": 30.0,
                "output_per_mu": 500.0,
                "far": np.nan,
            }
        ]
    )
    before = lu.classify(ledger, as_of="2021-12-31")
    assert pd.isna(before["category"].iloc[0])
    survey = pd.DataFrame({"parcel_id": ["P1"], "surveyed_far": [0.5], "surveyed": [True]})
    after = lu.classify(lu.apply_survey(ledger, survey), as_of="2021-12-31")
    assert after["category"].iloc[0] == "low_efficiency"
    assert "0.5" in after["reason"].iloc[0]


def test_map_draws_packages_with_their_numbers(plan):
    from tests.test_maps import page

    html = page(lu.parcel_map(plan, packages=True, tiles=None))
    labels = re.search(r"landuse\.labels\([^,]+, (\[\[.*?\]\]), ", html)
    assert labels is not None
    numbers = [label[2] for label in json.loads(labels.group(1))]
    assert sorted(numbers) == sorted(str(p) for p in plan["package"].unique())  # one each
    assert "调查工作包" in html


def test_cli_packages_writes_the_sheets(west_coast_path, tmp_path, capsys):
    from landuse.cli import main

    code = main(
        [
            "packages",
            str(west_coast_path),
            "--n",
            "2",
            "--within",
            str(west_coast_path),
            "--within-layer",
            "renewal_zones",
            "--within-name",
            "双珠公园片区",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "package_1.pdf",
        "package_1.xlsx",
        "package_2.pdf",
        "package_2.xlsx",
    ]
    assert "in 2 packages" in capsys.readouterr().out
