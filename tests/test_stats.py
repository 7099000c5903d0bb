from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landuse as lu
from landuse._disposal import NON_FINAL, lapse_dates

ROWS = [  # zone, category, area (mu), method, date
    ("A", "approved_unsupplied", 30.0, "supplied", "2022-03-01"),
    ("A", "approved_unsupplied", 10.0, None, None),
    ("A", "supplied_unused", 20.0, "started", "2022-08-01"),
    ("A", "low_efficiency", 40.0, "upgraded", "2022-05-01"),
    ("B", "approved_unsupplied", 50.0, "reserved", "2022-01-15"),
    ("B", None, 99.0, None, None),  # not in the stock
]


def table(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parcel_id": [f"P{i}" for i in range(len(rows))],
            "zone": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "area_mu": [r[2] for r in rows],
            "disposal_method": [r[3] for r in rows],
            "disposal_date": pd.to_datetime([r[4] for r in rows]),
        }
    )


def test_hand_computed_rates():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    a = rates.loc["A"]
    assert a.loc["approved_unsupplied", "rate"] == pytest.approx(30 / 40)
    assert a.loc["approved_unsupplied", "count_rate"] == pytest.approx(1 / 2)
    assert a.loc["supplied_unused", "rate"] == 0  # disposed after the reporting date
    assert a.loc["low_efficiency", "rate"] == 1
    assert a.loc["all", "area_mu"] == 100
    assert a.loc["all", "disposed_area_mu"] == 70
    assert a.loc["all", "rate"] == pytest.approx(0.7)
    assert a.loc["all", "parcels"] == 4
    b = rates.loc["B"]
    assert b.loc["all", "area_mu"] == 50  # the parcel without a category is not stock
    assert np.isnan(b.loc["supplied_unused", "rate"])  # no stock: no rate
    assert list(rates.columns) == list(
        ["parcels", "area_mu", "disposed_parcels", "disposed_area_mu", "rate", "count_rate"]
    )
    assert rates.index.names == ["zone", "category"]


def test_without_as_of_every_disposal_counts():
    rates = lu.disposal_rates(table())
    assert rates.loc[("A", "supplied_unused"), "rate"] == 1


def test_methods_choose_what_counts():
    rates = lu.disposal_rates(table(), methods={"approved_unsupplied": ["supplied"]})
    assert rates.loc[("B", "approved_unsupplied"), "rate"] == 0  # reserved no longer counts
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == pytest.approx(0.75)


def test_unknown_method_is_an_error_unless_named():
    rows = [*ROWS, ("B", "low_efficiency", 5.0, "demolished_by_fire", "2022-02-01")]
    with pytest.raises(lu.DisposalMethodError, match=r"demolished_by_fire.*P6"):
        lu.disposal_rates(table(rows))
    rates = lu.disposal_rates(table(rows), methods={"low_efficiency": ["demolished_by_fire"]})
    assert rates.loc[("B", "low_efficiency"), "rate"] == 1


def test_method_of_another_category_is_an_error():
    rows = [("A", "low_efficiency", 5.0, "supplied", "2022-02-01")]
    with pytest.raises(lu.DisposalMethodError, match="not a method of low_efficiency"):
        lu.disposal_rates(table(rows))


def test_target_and_roll_up():
    frame = table().assign(district=["D1", "D1", "D1", "D1", "D2", "D2"])
    rates = lu.disposal_rates(frame, by=["district", "zone"], as_of="2022-06-30", target=0.6)
    assert rates.index.names == ["district", "zone", "category"]
    assert bool(rates.loc[("D1", "A", "all"), "meets_target"]) is True
    assert bool(rates.loc[("D1", "A", "supplied_unused"), "meets_target"]) is False
    assert pd.isna(rates.loc[("D2", "B", "low_efficiency"), "meets_target"])


def test_missing_zone_is_its_own_group():
    frame = table()
    frame.loc[0, "zone"] = None
    rates = lu.disposal_rates(frame)
    outside = rates[rates.index.get_level_values("zone").isna()]
    assert outside.loc[outside.index.get_level_values("category") == "all", "area_mu"].iloc[0] == 30


def test_split_parcel_counts_once_per_zone_and_once_overall():
    frame = table(
        [("A", "low_efficiency", 6.0, None, None), ("B", "low_efficiency", 4.0, None, None)]
    )
    frame["parcel_id"] = "same"
    by_zone = lu.disposal_rates(frame)
    assert by_zone.loc[("A", "all"), "parcels"] == 1 and by_zone.loc[("B", "all"), "parcels"] == 1
    overall = lu.disposal_rates(frame.assign(city="X"), by="city")
    assert overall.loc[("X", "all"), "parcels"] == 1
    assert overall.loc[("X", "all"), "area_mu"] == 10


def test_errors():
    with pytest.raises(lu.MissingColumnError, match="assign_zones"):
        lu.disposal_rates(table().drop(columns="zone"))
    with pytest.raises(lu.InputError, match="unknown category 'idle'"):
        lu.disposal_rates(table().assign(category="idle"))
    duplicated = pd.concat([table(), table().iloc[[0]]])
    with pytest.raises(lu.DuplicateIdError, match="twice"):
        lu.disposal_rates(duplicated)
    # a method without a date is read and reported, and does not count (API.md, Bad input)
    with pytest.warns(UserWarning, match=r"without a valid disposal_date.*P0"):
        undated = lu.disposal_rates(table().assign(disposal_date=pd.NaT))
    assert (undated["disposed_parcels"] == 0).all()
    with pytest.raises(ValueError, match="target"):
        lu.disposal_rates(table(), target=60)


def test_pilot_area_reproduces_the_seed(ledger, renewal):
    pilot = renewal[renewal["name"] == "风河南片区"]
    rates = lu.disposal_rates(lu.assign_zones(ledger, pilot), as_of="2022-06-30")
    pilot_rates = rates.loc["风河南片区", "rate"]
    assert (pilot_rates > 0.6).all(), pilot_rates
    assert (rates.loc["风河南片区", "parcels"] >= 10).all()


def test_other_zones_vary(ledger, zones):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30")
    overall = rates.xs("all", level="category")["rate"]
    assert len(overall) == len(zones)
    assert overall.max() - overall.min() > 0.2
    joined = zones.merge(overall, left_on="name", right_index=True)  # ready to join
    assert len(joined) == len(zones)


def test_display_rates_english():
    shown = lu.display_rates(lu.disposal_rates(table(), target=0.5), lang="en")
    assert "Approved, unsupplied" in set(shown["Category"])
    assert shown["Rate"].iloc[0].endswith("%")
    assert set(shown["Met"]) <= {"yes", "no", "—"}


# --- non-final disposals lapse (53号令 Art. 12) -------------------------------------------


def lapsing(method, start=None):
    frame = table([("A", "supplied_unused", 10.0, method, "2021-03-15")])
    return frame.assign(actual_start_date=pd.to_datetime([start]))


@pytest.mark.parametrize(
    ("method", "as_of", "rate"),
    [
        ("extended", "2021-03-14", 0.0),  # before the disposal
        ("extended", "2021-03-15", 1.0),
        ("extended", "2022-03-14", 1.0),  # the last day of the extension year
        ("extended", "2022-03-15", 0.0),  # lapsed without a start: back in the stock
        ("temporary_use", "2023-03-14", 1.0),
        ("temporary_use", "2023-03-15", 0.0),
        ("recovered", "2030-01-01", 1.0),  # final
    ],
)
def test_non_final_disposals_lapse_in_rates(method, as_of, rate):
    rates = lu.disposal_rates(lapsing(method), as_of=as_of)
    assert rates.loc[("A", "supplied_unused"), "rate"] == rate


@pytest.mark.parametrize(("start", "rate"), [("2022-03-15", 1.0), ("2022-03-16", 0.0)])
def test_extension_counts_when_started_by_its_end(start, rate):
    rates = lu.disposal_rates(lapsing("extended", start), as_of="2022-06-30")
    assert rates.loc[("A", "supplied_unused"), "rate"] == rate


def test_lapse_is_a_parameter():
    rates = lu.disposal_rates(lapsing("extended"), as_of="2022-06-30", non_final={})
    assert rates.loc[("A", "supplied_unused"), "rate"] == 1.0


def test_no_non_final_table_means_the_legal_defaults():
    from landuse.stats import partial_sums

    frame = lapsing("extended")
    lapsed = partial_sums(frame, by=["zone"], as_of="2022-06-30", non_final=None)
    assert lapsed.equals(partial_sums(frame, by=["zone"], as_of="2022-06-30"))
    assert lapsed["disposed_parcels"].sum() == 0  # the extension lapsed


def test_progress_drops_when_an_extension_lapses():
    frame = pd.concat(
        [
            lapsing("extended"),
            table([("A", "supplied_unused", 30.0, "started", "2021-05-02")]).assign(parcel_id="Q1"),
        ],
        ignore_index=True,
    )
    table_ = lu.progress(frame, as_of="2022-04-30").xs("supplied_unused", level="category")
    rate = table_["rate"]
    assert rate[pd.Period("2021-03", "M")] == pytest.approx(10 / 40)
    assert rate[pd.Period("2021-05", "M")] == pytest.approx(40 / 40)
    assert rate[pd.Period("2022-02", "M")] == pytest.approx(40 / 40)
    assert rate[pd.Period("2022-03", "M")] == pytest.approx(30 / 40)  # lapsed on 2022-03-15
    assert table_.loc[pd.Period("2022-03", "M"), "lapsed_area_mu"] == 10
    assert table_.loc[pd.Period("2022-04", "M"), "cumulative_parcels"] == 1
    later = lu.progress(frame, start="2022-06-01", as_of="2022-06-30")
    assert later.xs("supplied_unused", level="category")["cumulative_area_mu"].iloc[0] == 30


# --- properties ---------------------------------------------------------------------------

stock_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(lu.CATEGORIES),
        st.floats(0.01, 500),
        st.booleans(),
        st.dates(
            min_value=pd.Timestamp("2022-01-01").date(), max_value=pd.Timestamp("2022-12-31").date()
        ),
    ),
    min_size=1,
    max_size=40,
)


def frame_of(rows) -> pd.DataFrame:
    return table(
        [
            (z, c, a, lu.DISPOSAL_METHODS[c][0] if d else None, str(day) if d else None)
            for z, c, a, d, day in rows
        ]
    )


@settings(max_examples=80, deadline=None)
@given(stock_rows)
def test_property_rates_between_zero_and_one(rows):
    rates = lu.disposal_rates(frame_of(rows), as_of="2022-06-30")
    for column in ("rate", "count_rate"):
        values = rates[column].dropna()
        assert ((values >= 0) & (values <= 1 + 1e-12)).all()
    assert (rates.xs("all", level="category")["area_mu"] > 0).all()


@settings(max_examples=50, deadline=None)
@given(stock_rows, st.randoms(use_true_random=False))
def test_property_independent_of_row_order(rows, random):
    frame = frame_of(rows)
    order = list(range(len(frame)))
    random.shuffle(order)
    a = lu.disposal_rates(frame, as_of="2022-06-30")
    b = lu.disposal_rates(frame.iloc[order], as_of="2022-06-30")
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


# --- boundaries the mutation run found unguarded ---------------------------------------------


def test_a_disposal_on_the_reporting_day_counts_and_the_day_after_does_not():
    frame = table([("A", "supplied_unused", 10.0, "started", "2022-06-30")])
    assert lu.disposal_rates(frame, as_of="2022-06-30").loc[("A", "all"), "rate"] == 1
    assert lu.disposal_rates(frame, as_of="2022-06-29").loc[("A", "all"), "rate"] == 0


def test_exactly_on_target_meets_it():
    frame = table(
        [
            ("A", "low_efficiency", 60.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 40.0, None, None),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30", target=0.6)
    assert rates.loc[("A", "all"), "rate"] == pytest.approx(0.6)
    assert bool(rates.loc[("A", "all"), "meets_target"]) is True
    below = lu.disposal_rates(frame, as_of="2022-06-30", target=0.6000001)
    assert bool(below.loc[("A", "all"), "meets_target"]) is False


def test_count_rate_counts_the_disposed_parcels():
    frame = table(
        [
            ("A", "approved_unsupplied", 90.0, "supplied", "2022-01-01"),
            ("A", "approved_unsupplied", 5.0, None, None),
            ("A", "approved_unsupplied", 5.0, None, None),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "all"), "count_rate"] == pytest.approx(1 / 3)
    assert rates.loc[("A", "all"), "rate"] == pytest.approx(0.9)
    assert rates.loc[("A", "all"), "disposed_parcels"] == 1


def test_a_disposed_parcel_split_across_zones_counts_once_in_a_roll_up():
    frame = table(
        [
            ("A", "low_efficiency", 6.0, "upgraded", "2022-01-01"),
            ("B", "low_efficiency", 4.0, "upgraded", "2022-01-01"),
            ("B", "low_efficiency", 5.0, None, None),
        ]
    )
    frame.loc[:1, "parcel_id"] = "split"
    overall = lu.disposal_rates(frame.assign(city="X"), by="city", as_of="2022-06-30")
    row = overall.loc[("X", "all")]
    assert (row["parcels"], row["disposed_parcels"]) == (2, 1)
    assert row["count_rate"] == pytest.approx(0.5)
    assert row["disposed_area_mu"] == pytest.approx(10.0)


# --- the safety net for the redesign (issue 12): behaviours the mutation run found loose -----


def test_a_disposal_date_without_a_method_is_not_a_disposal():
    # a parcel is disposed when it has a method that counts *and* a date (API.md, Data model)
    frame = table(
        [
            ("A", "approved_unsupplied", 10.0, None, "2022-01-01"),
            ("A", "approved_unsupplied", 30.0, "supplied", "2022-01-01"),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "approved_unsupplied"), "disposed_parcels"] == 1
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == pytest.approx(0.75)


def test_an_inventory_without_disposal_columns_has_nothing_disposed():
    frame = table().drop(columns=["disposal_method", "disposal_date"])
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert (rates["disposed_parcels"] == 0).all()
    assert (rates["disposed_area_mu"] == 0).all()
    assert rates.loc[("A", "all"), "area_mu"] == 100
    assert rates.loc[("A", "all"), "rate"] == 0


def test_a_disposal_dated_in_the_future_does_not_count_without_as_of():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 30.0, "upgraded", "2999-01-01"),
        ]
    )
    rates = lu.disposal_rates(frame)  # as of today
    assert rates.loc[("A", "low_efficiency"), "rate"] == pytest.approx(0.25)


def test_one_method_may_be_given_as_a_string():
    rates = lu.disposal_rates(
        table(), as_of="2022-06-30", methods={"approved_unsupplied": "reserved"}
    )
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == 0  # supplied no longer counts
    assert rates.loc[("B", "approved_unsupplied"), "rate"] == 1
    assert rates.loc[("A", "low_efficiency"), "rate"] == 1  # other categories keep their list


def test_bad_by_methods_and_sources_are_refused():
    with pytest.raises(lu.InputError, match=r"unknown categor.*idle"):
        lu.disposal_rates(table(), methods={"idle": ["started"]})
    with pytest.raises(lu.InputError, match="at least one column"):
        lu.disposal_rates(table(), by=[])
    with pytest.raises(lu.InputError, match="cannot include 'category'"):
        lu.disposal_rates(table(), by=["zone", "category"])
    with pytest.raises(lu.InputError, match="postgresql"):
        lu.disposal_rates("parcels.gpkg")
    with pytest.raises(lu.InputError, match="area_mu"):
        lu.disposal_rates(table().drop(columns="area_mu"))
    for target in (-0.1, 1.1):
        with pytest.raises(lu.InputError, match="target"):
            lu.disposal_rates(table(), target=target)
    for target in (0.0, 1.0):  # the ends of the range are rates too
        assert "meets_target" in lu.disposal_rates(table(), target=target).columns


def test_areas_are_measured_when_the_task_list_has_none(parcels_from):
    # 100 m squares in EPSG:4549: 10 000 m² = 15 亩 each
    parcels = parcels_from(
        [
            {
                "zone": "A",
                "category": "low_efficiency",
                "disposal_method": "upgraded",
                "disposal_date": pd.Timestamp("2022-01-01"),
            },
            {
                "zone": "A",
                "category": "low_efficiency",
                "disposal_method": None,
                "disposal_date": pd.NaT,
            },
        ]
    )
    rates = lu.disposal_rates(parcels, as_of="2022-06-30")
    assert rates.loc[("A", "all"), "area_mu"] == pytest.approx(30.0, rel=1e-9)
    assert rates.loc[("A", "all"), "disposed_area_mu"] == pytest.approx(15.0, rel=1e-9)


def test_every_zone_gets_every_category_and_zones_come_sorted():
    rates = lu.disposal_rates(table(list(reversed(ROWS))), as_of="2022-06-30")
    assert rates.index.get_level_values("zone").unique().tolist() == ["A", "B"]
    assert rates.loc["B"].index.tolist() == [*lu.CATEGORIES, "all"]
    empty = rates.loc[("B", "low_efficiency")]
    assert (empty["parcels"], empty["area_mu"]) == (0, 0)
    assert rates["parcels"].dtype == "int64" and rates["disposed_parcels"].dtype == "int64"


def test_display_rates_in_chinese_for_people():
    frame = table()
    frame.loc[4, "zone"] = None  # outside every zone
    shown = lu.display_rates(lu.disposal_rates(frame, as_of="2022-06-30", target=0.6), digits=0)
    assert list(shown.columns[:2]) == ["片区", "类别"]
    a_all = shown[(shown["片区"] == "A") & (shown["类别"] == "合计")].iloc[0]
    assert a_all["处置率"] == "70%"
    assert a_all["达标"] == "是"
    a_idle = shown[(shown["片区"] == "A") & (shown["类别"] == "供而未用")].iloc[0]
    assert a_idle["达标"] == "否" and a_idle["处置率"] == "0%"
    outside = shown[shown["片区"] == "（区外）"]
    assert len(outside) == 4  # the parcel outside every zone is shown, labelled
    assert outside["处置率"].tolist() == ["100%", "—", "—", "100%"]  # no stock: no rate
    assert outside["达标"].tolist() == ["是", "—", "—", "是"]
    b = lu.display_rates(lu.disposal_rates(table(), as_of="2022-06-30"), lang="en")
    low = b[(b["Zone"] == "B") & (b["Category"] == lu.category_label("low_efficiency", "en"))]
    assert low["Rate"].iloc[0] == "—"


def test_display_rates_as_numbers_for_a_spreadsheet():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    shown = lu.display_rates(rates, as_numbers=True)
    assert shown["处置率"].iloc[0] == pytest.approx(rates["rate"].iloc[0])
    rounded = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04), digits=1)
    assert rounded["面积（亩）"].iloc[0] == pytest.approx(round(rates["area_mu"].iloc[0] + 0.04, 1))
    unrounded = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04), as_numbers=True)
    assert unrounded["面积（亩）"].iloc[0] == rates["area_mu"].iloc[0] + 0.04


def test_display_rates_default_to_one_decimal():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    shown = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04))
    first = shown.iloc[0]  # zone A, 批而未供: 30 of 40 亩
    assert (first["片区"], first["类别"]) == ("A", "批而未供")
    assert first["处置率"] == "75.0%"
    assert first["面积（亩）"] == pytest.approx(40.0)


def test_progress_by_zone_per_quarter():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-15"),
            ("A", "low_efficiency", 30.0, "upgraded", "2022-05-01"),
            ("B", "low_efficiency", 60.0, "upgraded", "2022-02-01"),
            ("B", "low_efficiency", 40.0, None, None),
        ]
    )
    table_ = lu.progress(frame, freq="Q", by="zone")
    a = table_.loc[("A", "low_efficiency")]
    assert a.index.tolist() == [pd.Period("2022Q1", "Q"), pd.Period("2022Q2", "Q")]
    assert a["disposed_area_mu"].tolist() == [10.0, 30.0]
    assert a["cumulative_area_mu"].tolist() == [10.0, 40.0]
    assert a["cumulative_parcels"].tolist() == [1, 2]
    assert a["rate"].tolist() == [pytest.approx(0.25), pytest.approx(1.0)]
    b = table_.loc[("B", "all")]
    assert b["area_mu"].tolist() == [100.0, 100.0]
    assert b["rate"].tolist() == [pytest.approx(0.6), pytest.approx(0.6)]


def test_progress_counts_disposals_before_its_first_period():
    frame = table(
        [
            ("A", "approved_unsupplied", 20.0, "supplied", "2021-06-10"),
            ("A", "approved_unsupplied", 30.0, "supplied", "2022-02-10"),
            ("A", "approved_unsupplied", 50.0, None, None),
        ]
    )
    table_ = lu.progress(frame, start="2022-01-01").xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-01", "M")
    assert table_["cumulative_area_mu"].tolist() == [20.0, 50.0]
    assert table_["cumulative_parcels"].tolist() == [1, 2]
    assert table_["rate"].iloc[-1] == pytest.approx(0.5)
    whole = lu.progress(frame).xs("all", level="category")
    assert whole.index[0] == pd.Period("2021-06", "M") and len(whole) == 9


def test_progress_refuses_what_it_cannot_show():
    with pytest.raises(lu.InputError, match="freq"):
        lu.progress(table(), freq="W")
    with pytest.raises(lu.InputError, match="no parcel has a category"):
        lu.progress(table().assign(category=None))
    with pytest.raises(lu.InputError, match="no disposal"):
        lu.progress(table().assign(disposal_method=None, disposal_date=pd.NaT))


def test_only_a_method_without_a_date_is_reported():
    # parcels with neither method nor date are simply not disposed: no warning for them
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lu.disposal_rates(table(), as_of="2022-06-30")
    frame = table()
    frame.loc[0, "disposal_date"] = pd.NaT  # P0: supplied, but when?
    with pytest.warns(lu.UndatedDisposalWarning, match=r"^1 disposal\(s\) .*: P0$"):
        rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "approved_unsupplied"), "disposed_parcels"] == 0


def test_one_unknown_category_among_good_ones_is_named():
    frame = table()
    frame.loc[2, "category"] = "idle_land"
    with pytest.raises(lu.InputError, match=r"unknown category 'idle_land'.*P2"):
        lu.disposal_rates(frame, as_of="2022-06-30")


def test_progress_axis_starts_at_the_first_disposal_that_still_counts():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2015-01-10"),  # lapsed in 2016
            ("A", "supplied_unused", 30.0, "started", "2022-03-01"),
            ("A", "supplied_unused", 60.0, "started", "2022-04-30"),
        ]
    )
    table_ = lu.progress(frame).xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-03", "M")
    assert table_.index[-1] == pd.Period("2022-04", "M")
    assert table_["cumulative_area_mu"].tolist() == [30.0, 90.0]  # the lapsed one no longer


def test_progress_includes_disposals_in_its_last_period():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 30.0, "upgraded", "2022-03-31"),
            ("A", "low_efficiency", 60.0, "upgraded", "2022-04-01"),
        ]
    )
    table_ = lu.progress(frame, start="2022-01-01", as_of="2022-03-31").xs("all", level="category")
    assert table_.index.tolist() == [pd.Period(f"2022-0{m}", "M") for m in (1, 2, 3)]
    assert table_["disposed_area_mu"].tolist() == [10.0, 0.0, 30.0]
    assert table_["rate"].iloc[-1] == pytest.approx(0.4)


def test_a_zone_with_one_small_parcel_has_a_rate():
    # 0.6 亩 (400 m²) and a single parcel are a stock like any other: rate 1, not "no stock"
    frame = table([("A", "low_efficiency", 0.6, "cleared", "2022-01-01")])
    row = lu.disposal_rates(frame, as_of="2022-06-30").loc[("A", "low_efficiency")]
    assert (row["rate"], row["count_rate"]) == (1.0, 1.0)


def test_a_target_stands_beside_each_rate():
    rates = lu.disposal_rates(table(), as_of="2022-06-30", target=0.6)
    assert (rates["target"] == 0.6).all()
    assert list(rates.columns[-2:]) == ["target", "meets_target"]


def test_progress_counts_only_the_methods_that_count():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2022-01-10"),
            ("A", "supplied_unused", 30.0, "started", "2022-02-10"),
            ("A", "supplied_unused", 60.0, None, None),
        ]
    )
    table_ = lu.progress(frame, methods={"supplied_unused": ["started"]}, as_of="2023-06-30")
    idle = table_.xs("supplied_unused", level="category")
    # the extension does not count, so it neither adds to the progress nor lapses from it
    assert idle["disposed_area_mu"].sum() == 30.0
    assert idle["lapsed_area_mu"].sum() == 0.0
    assert idle["cumulative_area_mu"].iloc[-1] == 30.0
    assert idle.index[0] == pd.Period("2022-02", "M")


def test_progress_keeps_an_extension_whose_site_started_in_time():
    frame = table([("A", "supplied_unused", 10.0, "extended", "2021-03-15")]).assign(
        actual_start_date=pd.to_datetime(["2022-01-10"])
    )
    idle = lu.progress(frame, as_of="2022-06-30").xs("supplied_unused", level="category")
    assert idle["lapsed_area_mu"].sum() == 0.0
    assert idle["rate"].iloc[-1] == 1.0


def test_progress_needs_its_columns_and_a_disposal():
    with pytest.raises(lu.MissingColumnError, match="zone"):
        lu.progress(table().drop(columns="zone"), by="zone")
    with pytest.raises(lu.InputError, match="no disposal"):
        lu.progress(table().assign(disposal_method=None, disposal_date=pd.NaT), start="2022-01-01")


def test_a_database_needs_a_url_and_a_table():
    with pytest.raises(lu.InputError, match="table="):
        lu.disposal_rates("postgresql://user@localhost:1/landuse")  # no table: never connects
    with pytest.raises(lu.InputError, match="table="):
        lu.disposal_rates("parcels.gpkg", table="pieces")


def test_progress_axis_ignores_an_extension_that_lapsed_on_the_last_disposal_day():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2021-03-15"),  # lapses 2022-03-15
            ("A", "supplied_unused", 30.0, "started", "2022-03-15"),
        ]
    )
    table_ = lu.progress(frame).xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-03", "M")


# --- the integer-code path of partial_sums (issue 15): what counting on codes could get wrong --


def pieces_frame(n: int = 10_000, seed: int = 15) -> pd.DataFrame:
    """A random task list cut into pieces: about one parcel in five lies across two zones,
    some pieces lie outside every zone, districts hold several zones (and one is missing)."""
    rng = np.random.default_rng(seed)
    parcels = n * 5 // 6
    split = rng.random(parcels) < 0.2
    owner = np.concatenate([np.arange(parcels), np.flatnonzero(split)])
    zone_of = np.array(["Z1", "Z2", "Z3", "Z4", "Z5", None], dtype=object)
    first = rng.integers(0, 6, parcels)
    zone = np.concatenate(
        [first[:parcels], (first[split] + 1 + rng.integers(0, 5, split.sum())) % 6]
    )
    district = {"Z1": "D1", "Z2": "D1", "Z3": "D2", "Z4": "D2"}  # Z5: none; no zone: D1
    categories = np.array(lu.CATEGORIES, dtype=object)[rng.integers(0, 3, parcels)]
    category = categories[owner]
    final = {c: [m for m in lu.DISPOSAL_METHODS[c] if m not in NON_FINAL] for c in lu.CATEGORIES}
    has_method = rng.random(parcels) < 0.6
    method = np.array(
        [
            final[c][k % len(final[c])] if d else None
            for c, k, d in zip(categories, rng.integers(0, 9, parcels), has_method, strict=True)
        ],
        dtype=object,
    )[owner]
    day = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, parcels), unit="D")
    date = pd.Series(day).where(has_method).to_numpy()[owner]
    frame = pd.DataFrame(
        {
            "parcel_id": [f"P{i:05d}" for i in owner],
            "zone": zone_of[zone],
            "category": category,
            "area_mu": rng.random(len(owner)) * 20,
            "disposal_method": method,
            "disposal_date": date,
        }
    )
    zones = frame["zone"]
    frame["district"] = zones.map(district).where(zones.notna(), "D1")
    frame.loc[rng.random(len(frame)) < 0.02, "category"] = None  # not in the stock
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def reference_rates(frame: pd.DataFrame, by: list[str], as_of: str) -> pd.DataFrame:
    """The sums as a plain pandas groupby: distinct parcels, sums of 亩 (final methods only)."""
    stock = frame[frame["category"].notna()].copy()
    for column in by:
        stock[column] = stock[column].fillna("<none>")
    disposed = stock["disposal_method"].notna() & (stock["disposal_date"] <= as_of)
    stock["disposed_id"] = stock["parcel_id"].where(disposed)
    stock["disposed_area_mu"] = stock["area_mu"].where(disposed, 0.0)
    both = pd.concat([stock, stock.assign(category="all")])
    out = both.groupby([*by, "category"]).agg(
        parcels=("parcel_id", "nunique"),
        area_mu=("area_mu", "sum"),
        disposed_parcels=("disposed_id", "nunique"),
        disposed_area_mu=("disposed_area_mu", "sum"),
    )
    return out


@pytest.mark.parametrize("by", [["zone"], ["district"], ["district", "zone"], ["zone", "district"]])
def test_rates_equal_a_plain_pandas_groupby_on_ten_thousand_pieces(by):
    frame = pieces_frame()
    rates = lu.disposal_rates(frame, by=by, as_of="2022-06-30")
    expected = reference_rates(frame, by, "2022-06-30")
    got = rates.copy()
    got.index = pd.MultiIndex.from_arrays(
        [
            *(got.index.get_level_values(c).to_series().fillna("<none>") for c in by),
            got.index.get_level_values("category"),
        ],
        names=[*by, "category"],
    )
    got = got[got["parcels"] > 0]  # the reference has no empty cells of the grid
    assert sorted(got.index) == sorted(expected.index)
    got = got.loc[expected.index]
    for column in ("parcels", "disposed_parcels"):
        assert (got[column].to_numpy() == expected[column].to_numpy()).all(), column
    for column in ("area_mu", "disposed_area_mu"):
        assert np.allclose(got[column], expected[column], rtol=1e-12, atol=0), column
    # the roll-ups above the zones count a parcel across two of its zones once
    pieces = frame["category"].notna().sum()
    assert (got.xs("all", level="category")["parcels"].sum() < pieces) == (by == ["district"])


def test_a_parcel_with_two_pieces_in_one_district_counts_once():
    frame = table(
        [
            ("A", "low_efficiency", 6.0, "upgraded", "2022-01-01"),
            ("B", "low_efficiency", 4.0, "upgraded", "2022-01-01"),
            (None, "low_efficiency", 3.0, "upgraded", "2022-01-01"),
            ("C", "low_efficiency", 5.0, None, None),
            ("A", "approved_unsupplied", 7.0, None, None),
        ]
    )
    frame["parcel_id"] = ["split", "split", "split", "alone", None]  # and one without an id
    frame["district"] = ["D1", "D1", "D1", "D1", "D2"]
    rates = lu.disposal_rates(frame, by="district", as_of="2022-06-30")
    d1 = rates.loc[("D1", "all")]
    assert (d1["parcels"], d1["disposed_parcels"]) == (2, 1)
    assert d1["area_mu"] == pytest.approx(18.0) and d1["disposed_area_mu"] == pytest.approx(13.0)
    # a row without parcel_id is area of the stock but no parcel to count once
    d2 = rates.loc[("D2", "all")]
    assert (d2["parcels"], d2["area_mu"]) == (0, 7.0)
    by_zone = lu.disposal_rates(frame, as_of="2022-06-30")
    assert by_zone.loc[("A", "all"), "parcels"] == 2  # rows, one per parcel in a zone
    assert by_zone.loc[("B", "all"), "parcels"] == 1


def test_pieces_outside_every_zone_are_one_group_under_a_missing_zone():
    frame = table(
        [
            ("A", "low_efficiency", 6.0, "upgraded", "2022-01-01"),
            (None, "low_efficiency", 4.0, "upgraded", "2022-01-01"),
            (None, "approved_unsupplied", 5.0, None, None),
            (np.nan, "supplied_unused", 2.0, None, None),
        ]
    )
    frame.loc[:1, "parcel_id"] = "split"  # one piece inside zone A, one outside every zone
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    zones = rates.index.get_level_values("zone")
    assert zones.isna().sum() == len(lu.CATEGORIES) + 1  # one group, not one per missing value
    outside = rates[zones.isna()].droplevel("zone")
    assert outside.loc["all", "parcels"] == 3 and outside.loc["all", "area_mu"] == 11.0
    assert outside.loc["low_efficiency", "disposed_area_mu"] == 4.0
    assert rates.loc[("A", "all"), "parcels"] == 1
    # a second piece of the same parcel outside every zone is the parcel twice in one area
    twice = pd.concat([frame, frame.iloc[[1]].assign(area_mu=1.0)], ignore_index=True)
    with pytest.raises(lu.DuplicateIdError, match=r"twice in one area.*: split$"):
        lu.disposal_rates(twice)


def test_by_two_columns_with_missing_values_in_each():
    frame = table(
        [
            ("A", "approved_unsupplied", 1.0, "supplied", "2022-01-01"),
            ("A", "approved_unsupplied", 2.0, None, None),
            (None, "approved_unsupplied", 4.0, None, None),
            ("B", "low_efficiency", 8.0, "upgraded", "2022-01-01"),
            (None, "low_efficiency", 16.0, None, None),
        ]
    )
    frame["district"] = ["D1", None, None, "D1", "D1"]
    rates = lu.disposal_rates(frame, by=["district", "zone"], as_of="2022-06-30")
    cells = rates.xs("all", level="category")
    found = {
        (None if pd.isna(d) else d, None if pd.isna(z) else z): row["area_mu"]
        for (d, z), row in cells.iterrows()
    }
    assert found == {
        ("D1", "A"): 1.0,
        (None, "A"): 2.0,
        (None, None): 4.0,
        ("D1", "B"): 8.0,
        ("D1", None): 16.0,
    }
    assert rates.loc[("D1", "A", "approved_unsupplied"), "disposed_parcels"] == 1


def test_codes_of_categoricals_and_numbers_give_the_same_rates():
    frame = pieces_frame(2_000, seed=3)
    plain = lu.disposal_rates(frame, by="district", as_of="2022-06-30")
    typed = frame.astype({"parcel_id": "category", "category": "category", "district": "category"})
    pd.testing.assert_frame_equal(
        lu.disposal_rates(typed, by="district", as_of="2022-06-30"), plain, check_exact=False
    )
    # numbers as area names (none missing: a placeholder among numbers cannot be sorted)
    numbered = frame.assign(district=frame["district"].map({"D1": 1, "D2": 2}).fillna(3))
    frame = frame.assign(district=frame["district"].fillna("D3"))
    by_number = lu.disposal_rates(numbered, by=["district", "zone"], as_of="2022-06-30")
    by_text = lu.disposal_rates(frame, by=["district", "zone"], as_of="2022-06-30")
    assert by_number["area_mu"].sum() == pytest.approx(by_text["area_mu"].sum())
    assert (by_number["parcels"].to_numpy() == by_text["parcels"].to_numpy()).all()


def test_partial_sums_of_parts_add_up_and_no_rows_keep_the_columns():
    frame = pieces_frame(3_000, seed=7)
    frame = frame.sort_values("parcel_id", ignore_index=True)  # a parcel in one part (dask)
    whole = lu.stats.partial_sums(frame, by=["district"], as_of="2022-06-30")
    parts = [frame.iloc[:1000], frame.iloc[1000:]]
    parts = [p[~p["parcel_id"].isin(frame["parcel_id"].iloc[[999]])] for p in parts[:1]] + [
        pd.concat([frame[frame["parcel_id"] == frame["parcel_id"].iloc[999]], parts[1]])
    ]
    summed = pd.concat(
        [lu.stats.partial_sums(p, by=["district"], as_of="2022-06-30") for p in parts]
    )
    keys = ["district", "category"]
    summed = summed.fillna({"district": "?"}).groupby(keys).sum()
    whole = whole.fillna({"district": "?"}).set_index(keys).sort_index()
    assert (
        (summed[["parcels", "disposed_parcels"]] == whole[["parcels", "disposed_parcels"]])
        .all()
        .all()
    )
    assert np.allclose(summed["area_mu"], whole["area_mu"])
    empty = lu.stats.partial_sums(frame.iloc[:0], by=["district"], as_of="2022-06-30")
    assert list(empty.columns) == list(whole.reset_index().columns)
    assert empty.dtypes.drop("district").equals(whole.reset_index().dtypes.drop("district"))


def test_the_first_wrong_method_in_category_order_is_named():
    frame = table(
        [
            ("A", "low_efficiency", 1.0, "supplied", "2022-01-01"),
            ("A", "approved_unsupplied", 1.0, "upgraded", "2022-01-01"),
        ]
    )
    with pytest.raises(
        lu.DisposalMethodError, match=r"'upgraded' is not a method of approved_unsupplied.*: P1$"
    ):
        lu.disposal_rates(frame)


def test_combined_codes_renumber_before_they_overflow():
    from landuse.stats import _combine

    big = 2**40
    a = np.array([5, 5, 7, 5, 7], dtype=np.int64)
    b = np.array([big - 1, big - 1, 0, 3, 0], dtype=np.int64)
    c = np.array([0, 0, 1, 0, 1], dtype=np.int64)
    codes = _combine([a, b, c], [big, big, 2])  # big * big * 2 would overflow int64
    assert codes.tolist() == [0, 0, 1, 2, 1]


def test_only_rows_of_a_non_final_method_lapse():

    method = pd.Series([None, "extended", "supplied"], dtype=object)
    dates = pd.Series(pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-01"]))
    ends = lapse_dates(method, dates, non_final={"temporary_use": 2, "extended": 1})
    assert ends.isna().tolist() == [True, False, True]
    assert ends.iloc[1] == pd.Timestamp("2021-01-01")


def test_dates_given_as_text_are_read_and_a_bad_one_is_named():
    frame = table()
    frame["disposal_date"] = ["2022-03-01", None, "2022-08-01", "not a day", "2022-01-15", None]
    with pytest.warns(lu.UndatedDisposalWarning, match=r"^1 disposal\(s\) .*: P3$"):
        rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "approved_unsupplied"), "disposed_area_mu"] == 30.0
    assert rates.loc[("A", "low_efficiency"), "disposed_area_mu"] == 0.0  # P3: no valid date
    assert rates.loc[("B", "all"), "disposed_area_mu"] == 50.0


def test_an_extension_lapses_beside_final_disposals():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2020-01-01"),  # lapsed 2021-01-01
            ("A", "supplied_unused", 20.0, "completed", "2020-01-01"),
            ("A", "approved_unsupplied", 40.0, "supplied", "2020-01-01"),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "supplied_unused"), "disposed_area_mu"] == 20.0
    assert rates.loc[("A", "all"), "disposed_parcels"] == 2


def test_a_missing_area_adds_nothing_to_the_sums():
    frame = table()
    frame.loc[0, "area_mu"] = np.nan  # P0: supplied (disposed) but not measured
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "all"), "area_mu"] == 70.0
    assert rates.loc[("A", "all"), "disposed_area_mu"] == 40.0
    assert rates.loc[("A", "approved_unsupplied"), "parcels"] == 2


def test_partial_sums_carry_the_placeholder_and_a_fresh_index():
    frame = table().assign(district=["D1", "D1", None, lu.stats.OUTSIDE, "D2", "D2"])
    partial = lu.stats.partial_sums(frame, by=["district"], as_of="2022-06-30")
    assert partial.index.equals(pd.RangeIndex(len(partial)))
    assert list(partial["district"].unique()) == ["D1", lu.stats.OUTSIDE, "D2"]
    # a missing district and one spelled as the placeholder are one group (P2 and P3)
    outside = partial[(partial["district"] == lu.stats.OUTSIDE) & (partial["category"] == "all")]
    assert outside[["parcels", "area_mu"]].values.tolist() == [[2, 60.0]]
    # a zone outside the `by` columns only tells pieces apart: a missing zone and one spelled
    # as the placeholder are two pieces, not the parcel twice
    pieces = pd.concat([frame.iloc[[0]], frame.iloc[[0]]], ignore_index=True)
    pieces["zone"] = [None, lu.stats.OUTSIDE]
    split = lu.stats.partial_sums(pieces, by=["district"], as_of="2022-06-30")
    assert split.loc[split["category"] == "all", ["parcels", "area_mu"]].values.tolist() == [
        [1, 60.0]
    ]


def test_a_parcel_with_the_last_id_is_not_mixed_up_with_rows_without_an_id():
    frame = table(
        [
            ("A", "low_efficiency", 6.0, None, None),
            ("B", "low_efficiency", 4.0, None, None),
            ("C", "low_efficiency", 5.0, "upgraded", "2022-01-01"),
            ("D", "low_efficiency", 5.0, "upgraded", "2022-01-01"),
        ]
    )
    frame["parcel_id"] = ["Z", "Z", None, None]
    frame["district"] = ["D1", "D1", "D2", "D2"]
    rates = lu.disposal_rates(frame, by="district", as_of="2022-06-30")
    assert rates.loc[("D1", "all"), "parcels"] == 1
    assert rates.loc[("D1", "all"), "disposed_parcels"] == 0
    assert rates.loc[("D2", "all"), "disposed_area_mu"] == 10.0


def test_combined_codes_that_would_wrap_around_stay_apart():
    from landuse.stats import _combine

    big = 2**40
    # without renumbering, a * 2**41 wraps around 2**64: a = 0 and a = 2**23 would be one key
    a = np.array([0, 2**23, 0], dtype=np.int64)
    b = np.array([1, 1, 1], dtype=np.int64)
    c = np.array([0, 0, 0], dtype=np.int64)
    assert _combine([a, b, c], [big, big, 2]).tolist() == [0, 1, 0]
