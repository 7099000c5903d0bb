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


def test_disposal_method_without_date_is_read_with_a_warning(tmp_path, parcels_from):
    path = tmp_path / "台账.csv"
    pd.DataFrame(
        {
            "地块编号": ["A1", "A2", "A3"],
            "类别": ["闲置土地"] * 3,
            "供地时间": ["2019-01-01"] * 3,
            "处置方式": ["收回", "动工开发", None],
            "处置时间": ["2022-05-01", None, None],
        }
    ).to_csv(path, index=False)
    with pytest.warns(UserWarning, match=r"处置时间.*A2") as caught:
        ledger = lu.read_ledger(path)
    assert "A1" not in str(caught[0].message)
    assert ledger["parcel_id"].tolist() == ["A1", "A2", "A3"]  # the whole ledger is read
    shapes = parcels_from([{"parcel_id": i} for i in ("A1", "A2", "A3")])
    with pytest.warns(UserWarning, match="A2"):
        inventory, _ = lu.join_ledger(shapes[["parcel_id", "geometry"]], ledger)
    report = lu.check(inventory)
    assert report.loc[report["code"] == "undated_disposal", "parcel_id"].tolist() == ["A2"]
    with pytest.warns(UserWarning, match="A2"):
        rates = lu.disposal_rates(inventory.assign(zone="z"), as_of="2022-06-30")
    assert rates.loc[("z", "supplied_unused"), "disposed_parcels"] == 1  # A1 only
