"""Hand-computed cases for every rule, one day either side of each legal deadline."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import landuse as lu

#: Every column the rules read: a real ledger has them all, some values empty.
LEDGER = dict.fromkeys(
    (
        "approval_date",
        "supply_date",
        "delivery_date",
        "agreed_start_date",
        "actual_start_date",
        "actual_completion_date",
        "stopped_date",
        "developed_ratio",
        "invested_ratio",
        "far",
        "building_coverage",
        "tax_per_mu",
        "output_per_mu",
        "land_use_code",
        "disposal_method",
        "disposal_date",
    )
)


def full(rows):
    """Rows with every ledger column (missing values empty)."""
    return [{**LEDGER, **row} for row in rows]


def classify_one(parcels_from, as_of: str, **ledger):
    result = lu.classify(parcels_from(full([ledger])), as_of=as_of)
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
        parcels_from(full([{"approval_date": approval}])), as_of="2021-12-31", window_years=5
    )
    assert result["category"].iloc[0] == expected
    without_window = lu.classify(
        parcels_from(full([{"approval_date": approval}])), as_of="2021-12-31"
    )
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
    ("as_of", "expected", "words"),
    [
        ("2021-02-28", None, "尚未到期"),
        ("2021-03-01", None, "尚未到期"),  # the deemed start day itself (Art. 28)
        ("2021-03-02", None, "逾期未动工"),
        ("2022-02-28", None, "逾期未动工"),  # one day short of two years after delivery
        ("2022-03-01", "supplied_unused", "第二十八条"),
    ],
)
def test_without_agreed_start_the_start_is_deemed_due_a_year_after_delivery(
    parcels_from, as_of, expected, words
):
    # no delivery_date: the supply date stands for the delivery (DOMAIN.md)
    category, reason, result = classify_one(
        parcels_from, as_of, approval_date="2019-01-01", supply_date="2020-03-01"
    )
    assert category == expected
    assert words in reason
    if expected:
        assert "未约定开工日期" in reason
        assert result["idle_since"].iloc[0] == pd.Timestamp("2022-03-01")


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2022-09-14", None), ("2022-09-15", "supplied_unused")]
)
def test_deemed_start_runs_from_the_actual_delivery(parcels_from, as_of, expected):
    category, _, result = classify_one(
        parcels_from,
        as_of,
        approval_date="2019-01-01",
        supply_date="2020-03-01",
        delivery_date="2020-09-15",
    )
    assert category == expected
    assert (result["idle_since"].iloc[0] == pd.Timestamp("2022-09-15")) is (expected is not None)


def test_deemed_start_is_a_parameter(parcels_from):
    parcels = parcels_from(full([{"approval_date": "2019-01-01", "supply_date": "2020-03-01"}]))
    rules = lu.IdleRules(deemed_start_years=0)  # the pre-Art. 28 reading: due at supply
    assert lu.classify(parcels, as_of="2021-03-01", idle=rules)["category"].iloc[0] == (
        "supplied_unused"
    )
    assert lu.classify(parcels, as_of="2021-03-01")["category"].iloc[0] is None


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
    parcels = parcels_from(full([SUPPLIED]))
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
        ({"far": 0.5, "land_use_code": 601}, "low_efficiency", "容积率"),  # lost its zero
        ({"far": 0.5, "land_use_code": "601"}, "low_efficiency", "容积率"),
        ({"far": 0.5, "land_use_code": 61}, "low_efficiency", "容积率"),  # 2007 061, no zero
        ({"far": 0.05, "land_use_code": "1001"}, None, "指标达标"),  # GB/T 21010: railway
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
    parcels = parcels_from(full([{**BUILT, "far": 1.2}]))
    result = lu.classify(parcels, as_of="2021-12-31", low=lu.LowEfficiencyRules(min_far=1.5))
    assert result["category"].iloc[0] == "low_efficiency"


# --- behaviour --------------------------------------------------------------------------------


def test_english_reasons(parcels_from):
    result = lu.classify(parcels_from(full([SUPPLIED])), as_of="2021-07-01", lang="en")
    assert result["reason"].iloc[0].startswith("idle: agreed start 2020-06-30")


def test_does_not_mutate_and_keeps_crs(parcels_from):
    parcels = parcels_from(full([SUPPLIED, BUILT]))
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
        lu.classify(parcels_from(full([SUPPLIED])), as_of="not a date")


# --- real, incomplete ledgers (DOMAIN.md) ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "system", "expected"),
    [
        ("1001", "gb21010", None),  # 铁路用地
        ("1001", "ydyh", "low_efficiency"),  # 工业用地 in 用地用海分类
        ("100102", "ydyh", "low_efficiency"),  # 二类工业用地
        ("100102", "gb21010", None),  # not a GB/T 21010 code: not industrial
        ("0601", "ydyh", None),  # 0601 is not industrial in 用地用海分类
    ],
)
def test_code_system(parcels_from, code, system, expected):
    parcels = parcels_from(full([{**BUILT, "land_use_code": code, "far": 0.05}]))
    result = lu.classify(parcels, as_of="2021-12-31", code_system=system)
    assert result["category"].iloc[0] == expected


def test_unknown_code_system(parcels_from):
    with pytest.raises(ValueError, match="code_system"):
        lu.classify(parcels_from(full([BUILT])), as_of="2021-12-31", code_system="gb2007")


@pytest.mark.parametrize(("as_of", "approved"), [("2021-12-31", False), ("2022-01-01", True)])
def test_not_yet_approved_land_has_no_category(parcels_from, as_of, approved):
    row = {"approval_date": "2022-01-01", "land_use_code": "0601", "far": 0.3}
    category, reason, result = classify_one(parcels_from, as_of, **row)
    assert category == ("approved_unsupplied" if approved else None)
    if not approved:
        assert "尚未批准" in reason
        assert not result["undetermined"].iloc[0]


@pytest.mark.parametrize(
    ("as_of", "expected", "words"),
    [
        ("2021-12-30", None, "在建"),  # started 2020-07, not completed: not screened
        ("2021-12-31", "low_efficiency", "容积率 0.3 < 1.0"),  # completed that day
    ],
)
def test_only_land_in_use_is_screened(parcels_from, as_of, expected, words):
    row = {
        **BUILT,
        "approval_date": "2019-01-01",
        "supply_date": "2019-06-01",
        "agreed_start_date": "2020-06-01",
        "actual_start_date": "2020-07-01",
        "actual_completion_date": "2021-12-31",
        "far": 0.3,
    }
    category, reason, result = classify_one(parcels_from, as_of, **row)
    assert category == expected
    assert words in reason
    assert not result["undetermined"].iloc[0]


def test_missing_indicators_are_undetermined_never_compliant(parcels_from):
    row = {**BUILT, "far": None, "building_coverage": None, "tax_per_mu": None}
    row["output_per_mu"] = None
    category, reason, result = classify_one(parcels_from, "2021-12-31", **row)
    assert category is None
    assert bool(result["undetermined"].iloc[0]) is True
    assert reason == (
        "待核查：缺少容积率（far）、建筑系数（building_coverage）、亩均税收（tax_per_mu）、"
        "亩均产值（output_per_mu），无法判定是否低效用地"
    )
    assert "达标" not in reason


@pytest.mark.parametrize(
    ("change", "expected", "undetermined", "words"),
    [
        ({"far": 0.5, "tax_per_mu": None}, "low_efficiency", False, "容积率 0.5 < 1.0"),
        ({"building_coverage": None}, None, True, "缺少建筑系数（building_coverage），"),
        ({"output_per_mu": None, "tax_per_mu": 5.0}, "low_efficiency", False, "亩均税收"),
        ({"land_use_code": None, "far": 0.5}, None, True, "缺少地类编码（land_use_code）"),
        ({"land_use_code": None}, None, False, "指标达标"),  # passes whatever the code
        # non-industrial land needs no FAR or coverage; the per-mu values it has pass
        ({"land_use_code": "0701", "far": None, "building_coverage": None}, None, False, "达标"),
        (
            {"land_use_code": "0701", "far": None, "building_coverage": None},
            None,
            False,
            "指标达标",
        ),
    ],
)
def test_a_failed_indicator_decides_a_missing_one_does_not(
    parcels_from, change, expected, undetermined, words
):
    category, reason, result = classify_one(parcels_from, "2021-12-31", **{**BUILT, **change})
    assert category == expected
    assert bool(result["undetermined"].iloc[0]) is undetermined
    assert words in reason


def test_non_industrial_land_without_values_is_not_called_compliant(parcels_from):
    row = {**BUILT, "land_use_code": "0701"}
    for column in ("far", "building_coverage", "tax_per_mu", "output_per_mu"):
        row[column] = None
    category, reason, result = classify_one(parcels_from, "2021-12-31", **row)
    assert category is None and not result["undetermined"].iloc[0]
    assert "达标" not in reason and "无适用" in reason


@pytest.mark.parametrize(
    ("developed", "invested", "as_of", "expected", "undetermined", "words"),
    [
        (None, None, "2021-11-30", None, False, "在建"),  # stopped less than a year
        (None, None, "2021-12-01", None, True, "缺少已开发比例（developed_ratio）、已投资比例"),
        (0.2, None, "2021-12-01", "supplied_unused", False, "停工满1年"),
        (0.5, None, "2021-12-01", None, True, "缺少已投资比例（invested_ratio），"),
        (None, 0.5, "2021-12-01", None, True, "缺少已开发比例（developed_ratio），"),
        (0.5, 0.5, "2021-12-01", None, False, "不构成闲置"),
    ],
)
def test_stopped_site_without_ratios_is_undetermined(
    parcels_from, developed, invested, as_of, expected, undetermined, words
):
    category, reason, result = classify_one(
        parcels_from, as_of, **STARTED, developed_ratio=developed, invested_ratio=invested
    )
    assert category == expected
    assert bool(result["undetermined"].iloc[0]) is undetermined
    assert words in reason
    if undetermined:
        assert reason.startswith("待核查")


def test_idle_since(parcels_from):
    parcels = parcels_from(
        full(
            [
                SUPPLIED,
                {**STARTED, "developed_ratio": 0.1, "invested_ratio": 0.1},
                BUILT,
            ]
        )
    )
    result = lu.classify(parcels, as_of="2022-06-30")
    assert result["category"].tolist() == ["supplied_unused", "supplied_unused", None]
    assert result["idle_since"].tolist()[:2] == [
        pd.Timestamp("2021-06-30"),  # a year after the agreed start
        pd.Timestamp("2021-12-01"),  # a year after work stopped
    ]
    assert pd.isna(result["idle_since"].iloc[2])
    assert str(result["idle_since"].dtype).startswith("datetime64")


def test_missing_columns_warn_and_never_make_everything_unsupplied(parcels_from):
    rows = [{"approval_date": "2018-01-01", "land_use_code": "0601", "far": 1.5}] * 3
    with pytest.warns(lu.RuleWarning, match=r"supply_date.*批而未供") as caught:
        result = lu.classify(parcels_from(rows), as_of="2021-12-31")
    assert result["category"].isna().all()
    assert result["reason"].str.contains("supply_date").all()
    messages = " ".join(str(w.message) for w in caught)
    assert "供而未用" in messages and "actual_start_date" in messages


def test_missing_approval_column_warns(parcels_from):
    rows = [{"supply_date": "2018-01-01", "actual_start_date": None}]
    with pytest.warns(lu.RuleWarning, match=r"approval_date.*批而未供"):
        result = lu.classify(parcels_from(rows), as_of="2021-12-31")
    assert result["category"].iloc[0] == "supplied_unused"  # the idle rule still runs


def test_missing_indicator_columns_warn(parcels_from):
    row = {k: v for k, v in full([BUILT])[0].items() if k not in ("tax_per_mu", "output_per_mu")}
    with pytest.warns(lu.RuleWarning, match="tax_per_mu, output_per_mu"):
        result = lu.classify(parcels_from([row]), as_of="2021-12-31")
    assert result["reason"].iloc[0] == "已供应开发，指标达标"
    none = {k: v for k, v in row.items() if k not in ("far", "building_coverage")}
    with pytest.warns(lu.RuleWarning, match="低效用地"):
        result = lu.classify(parcels_from([none]), as_of="2021-12-31")
    assert result["category"].iloc[0] is None
    assert "far" in result["reason"].iloc[0]


IDLE = {**SUPPLIED}  # idle from 2021-06-30


@pytest.mark.parametrize(
    ("method", "as_of", "expected"),
    [
        ("extended", "2022-08-31", None),  # inside the year of the extension
        ("extended", "2022-09-01", "supplied_unused"),  # lapsed: back in the stock
        ("temporary_use", "2023-08-31", None),
        ("temporary_use", "2023-09-01", "supplied_unused"),
        ("recovered", "2030-01-01", None),  # final
    ],
)
def test_non_final_disposals_lapse(parcels_from, method, as_of, expected):
    row = {**IDLE, "disposal_method": method, "disposal_date": "2021-09-01"}
    category, reason, result = classify_one(parcels_from, as_of, **row)
    assert category == expected
    if expected:
        assert "届满未动工" in reason
        lapse = pd.Timestamp("2022-09-01" if method == "extended" else "2023-09-01")
        assert result["idle_since"].iloc[0] == lapse


def test_extension_counts_if_construction_started_by_then(parcels_from):
    row = {
        **IDLE,
        "disposal_method": "extended",
        "disposal_date": "2021-09-01",
        "actual_start_date": "2022-09-01",
    }
    assert classify_one(parcels_from, "2023-06-30", **row)[0] is None
    late = {**row, "actual_start_date": "2022-09-02"}
    category, reason, _ = classify_one(parcels_from, "2022-09-01", **late)
    assert category == "supplied_unused" and "届满" in reason


def test_english_incomplete_reasons(parcels_from):
    row = {**BUILT, "far": None}
    result = lu.classify(parcels_from(full([row])), as_of="2021-12-31", lang="en")
    assert result["reason"].iloc[0] == (
        "undetermined: missing far: cannot tell whether low-efficiency"
    )


# --- the safety net for the redesign (issue 12) -------------------------------------------


def test_the_default_rule_sets_cannot_be_changed_in_place():
    # they are the defaults of every classify call: one caller must not change them for all
    import dataclasses

    for rules in (lu.IdleRules(), lu.LowEfficiencyRules()):
        field = dataclasses.fields(rules)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(rules, field, 99)
    assert hash(lu.IdleRules()) == hash(lu.IdleRules())  # usable as a cache key


def test_the_reason_shows_the_indicator_to_two_decimals(parcels_from):
    _, reason, _ = classify_one(parcels_from, "2021-12-31", **{**BUILT, "far": 0.8571})
    assert "容积率 0.86 < 1.0" in reason


@pytest.mark.parametrize(
    ("d_land", "other_land", "rules", "expected"),
    [
        (10.0, 10.0, lu.LowEfficiencyRules(), None),  # exactly half: not a majority
        (12.0, 8.0, lu.LowEfficiencyRules(), "low_efficiency"),  # 60 % D
        (12.0, 8.0, lu.LowEfficiencyRules(per_mu_d_share=0.6), None),  # the share is a parameter
    ],
)
def test_per_mu_d_class_screens_a_parcel_when_they_hold_most_of_its_land(
    parcels_from, d_land, other_land, rules, expected
):
    parcels = parcels_from(full([BUILT]))
    graded = pd.DataFrame(
        {
            "enterprise_id": ["E1", "E2"],
            "grade": ["D", "B"],
            "land_by_parcel": [{"P1": d_land}, {"P1": other_land}],
        }
    )
    out = lu.classify(parcels, as_of="2021-12-31", per_mu=graded, low=rules)
    assert out["category"].iloc[0] == expected
    if expected:
        assert "亩均效益评价 D 类" in out["reason"].iloc[0] and "60%" in out["reason"].iloc[0]


def test_a_stopped_idle_site_shows_its_ratios_as_percentages(parcels_from):
    _, reason, _ = classify_one(
        parcels_from, "2021-12-01", **STARTED, developed_ratio=0.30, invested_ratio=0.9
    )
    assert "已开发 30%，已投资 90%" in reason


def test_an_unknown_code_system_is_refused(parcels_from):
    with pytest.raises(lu.InputError, match="code_system must be one of"):
        lu.classify(parcels_from(full([BUILT])), as_of="2021-12-31", code_system="gb2007")
    # refused up front, even where the ledger has no land-use codes to read
    with pytest.raises(lu.InputError, match="code_system must be one of"):
        lu.classify(
            parcels_from([{"approval_date": "2020-01-01"}]), as_of="2021-12-31", code_system="x"
        )


def test_per_mu_tax_screens_land_of_every_use_but_fars_only_industry(parcels_from):
    # commercial land (0501): plot ratio and coverage floors are industrial, tax floors are not
    category, reason, _ = classify_one(
        parcels_from,
        "2021-12-31",
        **{**BUILT, "land_use_code": "0501", "far": 0.5, "tax_per_mu": 3.0},
    )
    assert category == "low_efficiency"
    assert "亩均税收 3.0 < 10.0" in reason and "容积率" not in reason


def test_land_with_no_approval_supplied_after_the_date_is_in_no_stock(parcels_from):
    category, reason, _ = classify_one(
        parcels_from, "2021-12-31", supply_date="2022-03-01", land_use_code="0601", far=0.3
    )
    assert category is None
    assert reason == "截至 2021-12-31 尚未供应（2022-03-01 供地），不计入任何类别"


def test_a_complete_ledger_raises_no_rule_warning(parcels_from):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lu.classify(parcels_from(full([BUILT, SUPPLIED])), as_of="2021-12-31")


def test_without_stop_columns_the_stopped_site_test_warns(parcels_from):
    rows = [{k: v for k, v in full([STARTED])[0].items() if k != "stopped_date"}]
    with pytest.warns(lu.RuleWarning, match="stopped_date.*stopped-site idle test"):
        lu.classify(parcels_from(rows), as_of="2021-12-31")


def test_legacy_land_that_passes_says_it_has_no_record(parcels_from):
    category, reason, _ = classify_one(
        parcels_from,
        "2021-12-31",
        land_use_code="0601",
        far=1.5,
        building_coverage=0.5,
        tax_per_mu=30.0,
        output_per_mu=500.0,
    )
    assert category is None
    assert reason == "无批准、供地记录，指标达标"


def test_without_a_land_use_code_column_land_is_screened_on_tax_and_output(parcels_from):
    row = {k: v for k, v in {**LEDGER, **BUILT, "far": None}.items() if k != "land_use_code"}
    with pytest.warns(lu.RuleWarning):
        out = lu.classify(parcels_from([row]), as_of="2021-12-31")
    assert out["category"].iloc[0] is None
    assert not out["undetermined"].iloc[0]


def test_per_mu_adds_the_d_class_only_to_parcels_held_by_d_class(parcels_from):
    # two parcels fail the plot ratio; only P1 is held by a D-class enterprise
    parcels = parcels_from(full([{**BUILT, "far": 0.6}, {**BUILT, "far": 0.6}]))
    graded = pd.DataFrame(
        {
            "enterprise_id": ["E1", "E2"],
            "grade": ["D", "A"],
            "land_by_parcel": [{"P1": 10.0}, {"P2": 10.0}],
        }
    )
    out = lu.classify(parcels, as_of="2021-12-31", per_mu=graded)
    assert out["category"].tolist() == ["low_efficiency", "low_efficiency"]
    assert "亩均效益评价 D 类" in out["reason"].iloc[0]
    assert "D 类" not in out["reason"].iloc[1]


@pytest.mark.parametrize("code", [None, "0601"])
def test_missing_tax_is_never_compliant_where_the_land_may_be_industrial(parcels_from, code):
    row = {**BUILT, "tax_per_mu": None}
    if code is None:
        row.pop("land_use_code", None)
    else:
        row["land_use_code"] = code
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lu.RuleWarning)
        result = lu.classify(parcels_from([row]), as_of="2021-12-31")
    assert result["category"].iloc[0] is None
    assert bool(result["undetermined"].iloc[0])
    assert "tax_per_mu" in result["reason"].iloc[0]
