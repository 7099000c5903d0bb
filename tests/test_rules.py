"""Hand-computed cases for every rule, one day either side of each legal deadline."""

from __future__ import annotations

import pandas as pd
import pytest

import landuse as lu


def classify_one(parcels_from, as_of: str, **ledger):
    result = lu.classify(parcels_from([ledger]), as_of=as_of)
    return result["category"].iloc[0], result["reason"].iloc[0], result


# --- 批而未供 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2020-03-09", None),
        ("2020-03-10", "approved_unsupplied"),
        ("2021-01-01", "approved_unsupplied"),
    ],
)
def test_approval_counts_from_its_date(parcels_from, as_of, expected):
    category, _, _ = classify_one(parcels_from, as_of, approval_date="2020-03-10")
    assert category == expected


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2021-05-31", "approved_unsupplied"), ("2021-06-01", None)]
)
def test_supply_takes_the_parcel_out_of_the_stock_on_its_date(parcels_from, as_of, expected):
    category, reason, _ = classify_one(
        parcels_from, as_of, approval_date="2020-03-10", supply_date="2021-06-01"
    )
    assert category == expected
    if expected is None:
        assert "已供应" in reason


@pytest.mark.parametrize(("as_of", "lapsed"), [("2021-12-30", False), ("2021-12-31", True)])
def test_two_year_lapse_is_flagged_but_kept(parcels_from, as_of, lapsed):
    category, reason, result = classify_one(parcels_from, as_of, approval_date="2019-12-31")
    assert category == "approved_unsupplied"
    assert bool(result["approval_lapsed"].iloc[0]) is lapsed
    assert ("国发〔2004〕28号" in reason) is lapsed


@pytest.mark.parametrize(
    ("approval", "expected"),
    [("2016-12-30", None), ("2016-12-31", "approved_unsupplied")],
)
def test_look_back_window(parcels_from, approval, expected):
    result = lu.classify(
        parcels_from([{"approval_date": approval}]), as_of="2021-12-31", window_years=5
    )
    assert result["category"].iloc[0] == expected
    without_window = lu.classify(parcels_from([{"approval_date": approval}]), as_of="2021-12-31")
    assert without_window["category"].iloc[0] == "approved_unsupplied"


def test_withdrawal_before_the_date_leaves_the_stock(parcels_from):
    row = {
        "approval_date": "2018-01-01",
        "disposal_method": "withdrawn",
        "disposal_date": "2021-06-01",
    }
    assert classify_one(parcels_from, "2021-05-31", **row)[0] == "approved_unsupplied"
    category, reason, _ = classify_one(parcels_from, "2021-06-01", **row)
    assert category is None
    assert "已处置" in reason and "withdrawn" in reason


# --- 闲置土地, Art. 2 first branch: not started one full year after the agreed start ---------

SUPPLIED = {
    "approval_date": "2019-01-01",
    "supply_date": "2019-06-30",
    "agreed_start_date": "2020-06-30",
}


@pytest.mark.parametrize(
    ("as_of", "expected", "words"),
    [
        ("2020-06-29", None, "已供应"),  # before the agreed start: nothing to say yet
        ("2020-07-01", None, "逾期未动工"),  # late start, not idle
        ("2021-06-29", None, "逾期未动工"),  # one day short of a full year
        ("2021-06-30", "supplied_unused", "满1年未动工"),  # the anniversary: idle
        ("2021-07-01", "supplied_unused", "53号令第二条"),
    ],
)
def test_idle_when_not_started_a_full_year_after_agreed_start(parcels_from, as_of, expected, words):
    category, reason, _ = classify_one(parcels_from, as_of, **SUPPLIED)
    assert category == expected
    assert words in reason


def test_started_the_day_before_the_anniversary_is_not_idle(parcels_from):
    category, _, _ = classify_one(
        parcels_from, "2021-12-31", **SUPPLIED, actual_start_date="2021-06-29"
    )
    assert category is None


def test_start_after_the_date_does_not_count(parcels_from):
    category, _, _ = classify_one(
        parcels_from, "2021-12-31", **SUPPLIED, actual_start_date="2022-01-01"
    )
    assert category == "supplied_unused"


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2021-02-28", None), ("2021-03-01", "supplied_unused")]
)
def test_without_agreed_start_the_year_runs_from_supply(parcels_from, as_of, expected):
    category, reason, _ = classify_one(
        parcels_from, as_of, approval_date="2019-01-01", supply_date="2020-03-01"
    )
    assert category == expected
    if expected:
        assert "未约定开工日期" in reason


# --- 闲置土地, second branch: started, under-developed, stopped a full year -------------------

STARTED = {**SUPPLIED, "actual_start_date": "2020-07-15", "stopped_date": "2020-12-01"}


@pytest.mark.parametrize(
    ("developed", "invested", "as_of", "expected"),
    [
        (0.30, 0.50, "2021-11-30", None),  # stopped 1 day short of a year
        (0.30, 0.50, "2021-12-01", "supplied_unused"),  # developed < 1/3
        (0.50, 0.24, "2021-12-01", "supplied_unused"),  # invested < 25 %
        (1 / 3, 0.25, "2021-12-01", None),  # exactly at both thresholds: not below
        (0.50, 0.50, "2022-06-01", None),  # well developed: a stopped site, not idle land
    ],
)
def test_idle_when_started_but_underdeveloped_and_stopped(
    parcels_from, developed, invested, as_of, expected
):
    category, reason, _ = classify_one(
        parcels_from, as_of, **STARTED, developed_ratio=developed, invested_ratio=invested
    )
    assert category == expected
    if expected:
        assert "停工满1年" in reason


def test_completed_project_is_never_idle(parcels_from):
    category, _, _ = classify_one(
        parcels_from,
        "2022-06-01",
        **STARTED,
        developed_ratio=0.2,
        invested_ratio=0.1,
        actual_completion_date="2021-10-01",
    )
    assert category is None


def test_idle_rules_are_parameters(parcels_from):
    parcels = parcels_from([SUPPLIED])
    strict = lu.classify(parcels, as_of="2022-06-29", idle=lu.IdleRules(not_started_years=2))
    assert strict["category"].iloc[0] is None
    assert "未满2年" in strict["reason"].iloc[0]


# --- 低效用地 --------------------------------------------------------------------------------

BUILT = {
    "approval_date": "2010-01-01",
    "supply_date": "2010-06-01",
    "agreed_start_date": "2010-12-01",
    "actual_start_date": "2010-12-01",
    "actual_completion_date": "2012-06-01",
    "land_use_code": "0601",
    "far": 1.2,
    "building_coverage": 0.45,
    "tax_per_mu": 20.0,
    "output_per_mu": 400.0,
}


@pytest.mark.parametrize(
    ("change", "expected", "words"),
    [
        ({}, None, "指标达标"),
        ({"far": 0.99}, "low_efficiency", "容积率 0.99 < 1.0"),
        ({"far": 1.0}, None, "指标达标"),
        ({"building_coverage": 0.29}, "low_efficiency", "建筑系数 0.29 < 0.3"),
        ({"building_coverage": 0.30}, None, "指标达标"),
        ({"tax_per_mu": 9.9}, "low_efficiency", "亩均税收 9.9 < 10.0"),
        ({"output_per_mu": 150.0}, "low_efficiency", "亩均产值 150.0 < 200.0"),
        ({"far": 0.5, "land_use_code": "0701"}, None, "指标达标"),  # FAR floor is for industry
        ({"far": 0.5, "land_use_code": "061"}, "low_efficiency", "容积率"),  # 2007 code
        ({"far": 0.5, "land_use_code": "100102"}, "low_efficiency", "容积率"),  # planning code
    ],
)
def test_low_efficiency_screen(parcels_from, change, expected, words):
    category, reason, _ = classify_one(parcels_from, "2021-12-31", **{**BUILT, **change})
    assert category == expected
    assert words in reason


def test_low_efficiency_lists_every_failed_indicator(parcels_from):
    _, reason, _ = classify_one(
        parcels_from, "2021-12-31", **{**BUILT, "far": 0.6, "tax_per_mu": 3.0}
    )
    assert reason == "低效用地：容积率 0.6 < 1.0；亩均税收 3.0 < 10.0 万元/亩"


def test_legacy_land_without_ledger_dates_is_screened(parcels_from):
    category, _, _ = classify_one(parcels_from, "2021-12-31", land_use_code="0601", far=0.4)
    assert category == "low_efficiency"


def test_thresholds_are_parameters(parcels_from):
    parcels = parcels_from([{**BUILT, "far": 1.2}])
    result = lu.classify(parcels, as_of="2021-12-31", low=lu.LowEfficiencyRules(min_far=1.5))
    assert result["category"].iloc[0] == "low_efficiency"


# --- behaviour --------------------------------------------------------------------------------


def test_english_reasons(parcels_from):
    result = lu.classify(parcels_from([SUPPLIED]), as_of="2021-07-01", lang="en")
    assert result["reason"].iloc[0].startswith("idle: agreed start 2020-06-30")


def test_does_not_mutate_and_keeps_crs(parcels_from):
    parcels = parcels_from([SUPPLIED, BUILT])
    before = parcels.copy()
    result = lu.classify(parcels, as_of="2021-12-31")
    pd.testing.assert_frame_equal(parcels, before)
    assert result.crs == parcels.crs
    assert list(result.index) == list(parcels.index)


def test_bundled_task_list_is_what_the_rules_derive(ledger):
    task_list = lu.classify(ledger, as_of="2021-12-31")
    assert (task_list["category"].fillna("-") == ledger["category"].fillna("-")).all()
    counts = task_list["category"].value_counts()
    assert set(counts.index) == set(lu.CATEGORIES)
    assert (counts > 100).all()
    assert task_list["reason"].notna().all()


def test_bad_as_of(parcels_from):
    with pytest.raises(ValueError, match="as_of"):
        lu.classify(parcels_from([SUPPLIED]), as_of="not a date")
