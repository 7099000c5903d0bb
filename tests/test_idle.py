"""idle_actions: fee, recovery or agreement, one day either side of each deadline (53号令)."""

from __future__ import annotations

import pandas as pd
import pytest

import landuse as lu
from tests.test_rules import SUPPLIED, full

IDLE = {**SUPPLIED, "land_price": 500.0}  # agreed start 2020-06-30: idle from 2021-06-30


def actions(parcels_from, rows, as_of, **options):
    tasks = lu.classify(parcels_from(full(rows)), as_of="2021-12-31")
    return lu.idle_actions(tasks, as_of=as_of, **options)


@pytest.mark.parametrize(
    ("as_of", "action", "days", "fee"),
    [
        ("2021-06-30", "fee", 0, 100.0),  # idle that day: the fee is due (Art. 14)
        ("2022-06-29", "fee", 364, 100.0),  # one day short of two years past the start
        ("2022-06-30", "recover", 365, None),  # two full years: recovery without compensation
    ],
)
def test_fee_then_recovery(parcels_from, as_of, action, days, fee):
    result = actions(parcels_from, [IDLE], as_of)
    row = result.iloc[0]
    assert list(result.columns[:7]) == [
        "parcel_id",
        "idle_since",
        "idle_days",
        "cause",
        "action",
        "fee_wan",
        "reason",
    ]
    assert row["idle_since"] == pd.Timestamp("2021-06-30")
    assert row["idle_days"] == days
    assert row["cause"] == "holder"
    assert row["action"] == action
    assert pd.isna(row["fee_wan"]) if fee is None else row["fee_wan"] == pytest.approx(fee)
    assert ("第十四条" in row["reason"]) and (("100.0 万元" in row["reason"]) is (fee is not None))


@pytest.mark.parametrize("cause", ["government", "政府原因", "规划调整", "未按约定交地"])
def test_government_cause_is_negotiated(parcels_from, cause):
    row = actions(parcels_from, [{**IDLE, "idle_cause": cause}], "2023-01-01").iloc[0]
    assert row["cause"] == "government"
    assert row["action"] == "negotiate"
    assert pd.isna(row["fee_wan"])
    assert "第八条" in row["reason"]


def test_holder_cause_and_empty_cause(parcels_from):
    rows = [{**IDLE, "idle_cause": "用地者原因"}, {**IDLE, "idle_cause": None}]
    result = actions(parcels_from, rows, "2022-01-01")
    assert result["cause"].tolist() == ["holder", "holder"]
    assert result["action"].tolist() == ["fee", "fee"]


def test_unknown_cause_is_an_error(parcels_from):
    with pytest.raises(lu.InputError, match=r"unknown idle_cause 'weather'.*P1"):
        actions(parcels_from, [{**IDLE, "idle_cause": "weather"}], "2022-01-01")


def test_fee_without_price_says_so(parcels_from):
    row = actions(parcels_from, [{**IDLE, "land_price": None}], "2022-01-01").iloc[0]
    assert row["action"] == "fee" and pd.isna(row["fee_wan"])
    assert "土地价款缺失" in row["reason"]


def test_only_idle_parcels_not_disposed(parcels_from):
    rows = [
        IDLE,
        {**IDLE, "disposal_method": "recovered", "disposal_date": "2022-03-01"},
        {"approval_date": "2021-01-01"},  # 批而未供
    ]
    assert actions(parcels_from, rows, "2022-02-28")["parcel_id"].tolist() == ["P1", "P2"]
    assert actions(parcels_from, rows, "2022-03-01")["parcel_id"].tolist() == ["P1"]


@pytest.mark.parametrize(("as_of", "listed"), [("2022-08-31", False), ("2022-09-01", True)])
def test_a_lapsed_extension_is_back_on_the_list(parcels_from, as_of, listed):
    row = {**IDLE, "disposal_method": "extended", "disposal_date": "2021-09-01"}
    tasks = lu.classify(parcels_from(full([row])), as_of="2021-06-30")  # idle at baseline
    result = lu.idle_actions(tasks.drop(columns="idle_since"), as_of=as_of)
    assert (len(result) == 1) is listed
    if listed:
        assert result["idle_since"].iloc[0] == pd.Timestamp("2022-09-01")
        assert result["action"].iloc[0] == "fee"


def test_idle_since_from_the_task_list_is_used(parcels_from):
    tasks = pd.DataFrame(
        {
            "parcel_id": ["a", "b"],
            "category": ["supplied_unused", "supplied_unused"],
            "idle_since": pd.to_datetime(["2020-01-01", None]),
            "land_price": [100.0, 50.0],
        }
    )
    result = lu.idle_actions(tasks, as_of="2021-12-31")
    assert result["action"].tolist() == ["recover", "fee"]
    assert result["fee_wan"].iloc[1] == pytest.approx(10.0)
    assert result["reason"].iloc[1].startswith("闲置起始日期不明（待核查）")


def test_parameters_and_english(parcels_from):
    row = actions(parcels_from, [IDLE], "2022-01-01", fee_rate=0.1, lang="en").iloc[0]
    assert row["fee_wan"] == pytest.approx(50.0)
    assert "idle fee" in row["reason"]
    with pytest.raises(ValueError, match="fee_rate"):
        actions(parcels_from, [IDLE], "2022-01-01", fee_rate=20)


def test_needs_a_category(parcels_from):
    with pytest.raises(lu.MissingColumnError, match="category"):
        lu.idle_actions(parcels_from([IDLE]), as_of="2022-01-01")
