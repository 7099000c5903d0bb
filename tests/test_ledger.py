from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import landuse as lu
from landuse._dates import parse_dates

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022年6月30日", "2022-06-30"),
        ("2022.6.30", "2022-06-30"),
        ("20220630", "2022-06-30"),
        ("2022/6/30", "2022-06-30"),
        ("2022-06-30 00:00:00", "2022-06-30"),
        (44742, "2022-06-30"),
        (44742.0, "2022-06-30"),
        ("２０２２年６月３０日", "2022-06-30"),
        (20220630, "2022-06-30"),
        ("2022年6月30号", None),
    ],
)
def test_date_formats(value, expected):
    dates, bad = parse_dates(pd.Series([value], dtype=object))
    if expected is None:
        assert bool(bad.iloc[0])
    else:
        assert dates.iloc[0] == pd.Timestamp(expected) and not bad.iloc[0]


def test_empty_text_is_missing_not_wrong():
    dates, bad = parse_dates(pd.Series(["", "  ", None], dtype=object))
    assert dates.isna().all() and not bad.any()


def test_excel_ledger_ids_and_values():
    ledger = lu.read_ledger(DATA / "ledger.xlsx")
    assert ledger["parcel_id"].tolist() == [
        "370211000001",
        "370211000002",
        "370211000003",
        "370211000099",
    ]
    assert ledger["category"].tolist() == [
        "approved_unsupplied",
        "approved_unsupplied",
        "supplied_unused",
        "low_efficiency",
    ]
    # 置换 means "adjusted" for 批而未供 but "swapped" for 闲置土地
    assert ledger.loc[2, "disposal_method"] == "swapped"
    assert ledger["disposal_date"].iloc[2] == pd.Timestamp("2022-10-08")


def test_join_reconciles_every_row():
    shapes = lu.read_parcels(DATA / "chinese_headers_dates.gpkg", fields="cn-ledger")
    shapes = shapes[["parcel_id", "geometry"]]
    ledger = lu.read_ledger(DATA / "ledger.xlsx")
    inventory, report = lu.join_ledger(shapes, ledger)
    assert set(inventory["parcel_id"]) == {"370211000001", "370211000002", "370211000003"}
    assert report.set_index("parcel_id")["problem"].to_dict() == {
        "370211000004": "no ledger row",
        "370211000099": "no geometry",
    }
    # reconciliation: every input row is in the inventory or in the report
    assert set(shapes["parcel_id"]) <= set(inventory["parcel_id"]) | set(report["parcel_id"])
    assert set(ledger["parcel_id"]) <= set(inventory["parcel_id"]) | set(report["parcel_id"])
    total = lu.add_areas(shapes)["area_m2"].sum()
    reported = lu.add_areas(shapes[shapes["parcel_id"].isin(report["parcel_id"])])["area_m2"].sum()
    assert lu.add_areas(inventory)["area_m2"].sum() + reported == pytest.approx(total)
    assert inventory.crs == shapes.crs


def test_join_reports_repeats_and_missing_ids():
    shapes = lu.read_parcels(DATA / "chinese_headers_dates.gpkg", fields="cn-ledger")[
        ["parcel_id", "geometry"]
    ]
    ledger = pd.DataFrame(
        {
            "parcel_id": ["370211000001", "370211000001", None, "370211000002"],
            "name": ["a", "b", "c", "d"],
        }
    )
    inventory, report = lu.join_ledger(shapes, ledger)
    problems = report.groupby("problem")["parcel_id"].apply(list).to_dict()
    assert problems["repeated in ledger"] == ["370211000001"]
    assert report["problem"].eq("no id").sum() == 1
    assert inventory["parcel_id"].tolist() == ["370211000002"]


def test_ledger_errors(tmp_path):
    with pytest.raises(lu.MissingColumnError, match="地块编号"):
        pd.DataFrame({"名称": ["x"]}).to_csv(tmp_path / "a.csv", index=False)
        lu.read_ledger(tmp_path / "a.csv")
    with pytest.raises(lu.InputError, match=r"\.xlsx"):
        lu.read_ledger(DATA / "points.gpkg")
    with pytest.raises(FileNotFoundError):
        lu.read_ledger(tmp_path / "none.xlsx")
