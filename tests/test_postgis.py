"""PostGIS as the shared store, against a real server (scripts/postgis.sh starts one)."""

from __future__ import annotations

import os
import threading
import uuid
import warnings

import pandas as pd
import pytest

import landuse as lu

URL = os.environ.get("LANDUSE_TEST_PG_URL")
if URL is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs LANDUSE_TEST_PG_URL (scripts/test.sh starts PostGIS)")
    pytest.skip(
        "no PostgreSQL: set LANDUSE_TEST_PG_URL (scripts/test.sh starts one)",
        allow_module_level=True,
    )
sa = pytest.importorskip("sqlalchemy")
AS_OF = "2022-06-30"


@pytest.fixture
def table():
    name = f"t_{uuid.uuid4().hex[:10]}"
    yield name
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()


def rows(name: str) -> pd.DataFrame:
    return lu.read_parcels(URL, table=name).sort_values("parcel_id").reset_index(drop=True)


def test_round_trip_keeps_geometry_and_every_column(table, ledger):
    lu.write_parcels(ledger, URL, table=table)
    back = rows(table)
    original = ledger.sort_values("parcel_id").reset_index(drop=True)
    assert back.crs.to_epsg() == 4490
    assert list(back.columns) == list(original.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")),
        pd.DataFrame(original.drop(columns="geometry")),
        check_dtype=False,
    )
    assert back.geometry.geom_equals_exact(original.geometry, tolerance=0).all()


def test_schema_has_srid_primary_key_and_gist_index(table, ledger):
    lu.write_parcels(ledger.head(20), URL, table=table)
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        srid = connection.execute(
            sa.text("SELECT srid FROM geometry_columns WHERE f_table_name = :t"), {"t": table}
        ).scalar()
        indexes = (
            connection.execute(
                sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = :t"), {"t": table}
            )
            .scalars()
            .all()
        )
        key = sa.inspect(connection).get_pk_constraint(table)["constrained_columns"]
    engine.dispose()
    assert srid == 4490 and key == ["parcel_id"]
    assert any("USING gist" in index for index in indexes)


def test_upsert_of_a_thousand_disposals(table, ledger):
    lu.write_parcels(ledger, URL, table=table)
    updates = ledger.sample(1000, random_state=1).copy()
    updates["category"] = "low_efficiency"
    updates["disposal_method"] = "upgraded"
    updates["disposal_date"] = pd.Timestamp("2022-12-30")
    new = ledger.head(2).assign(parcel_id=["NEW-1", "NEW-2"])
    lu.write_parcels(pd.concat([updates, new]), URL, table=table, mode="upsert")
    back = rows(table).set_index("parcel_id")
    assert len(back) == len(ledger) + 2
    changed = back.loc[updates["parcel_id"]]
    assert (changed["disposal_method"] == "upgraded").all()
    assert (changed["disposal_date"] == pd.Timestamp("2022-12-30")).all()
    untouched = back.drop(index=[*updates["parcel_id"], "NEW-1", "NEW-2"])
    original = ledger.set_index("parcel_id").loc[untouched.index]
    assert untouched["disposal_method"].fillna("-").equals(original["disposal_method"].fillna("-"))


def test_a_failed_write_leaves_the_table_as_it_was(table, ledger, monkeypatch):
    lu.write_parcels(ledger.head(100), URL, table=table)
    before = rows(table)
    # a bad row halfway: a parcel_id that already exists
    clash = pd.concat([ledger.iloc[100:150], ledger.iloc[[0]], ledger.iloc[150:200]])
    with pytest.raises(lu.backends.postgis.DatabaseError, match="duplicate key"):
        lu.write_parcels(clash, URL, table=table, mode="append")
    pd.testing.assert_frame_equal(rows(table), before)
    # a connection that dies during the replace
    from landuse.backends import postgis

    def dying(data, connection, name, schema):
        connection.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))

    monkeypatch.setattr(postgis, "_insert", dying)
    with pytest.raises(lu.backends.postgis.DatabaseError):
        lu.write_parcels(ledger, URL, table=table, mode="replace")
    pd.testing.assert_frame_equal(rows(table), before)


def test_concurrent_readers_see_the_old_or_the_new_state(table, ledger):
    old = ledger.assign(disposal_method=None, disposal_date=pd.NaT)
    lu.write_parcels(old, URL, table=table)
    new = ledger.assign(name="新")
    seen: set[tuple[int, str]] = set()
    done = threading.Event()

    def reader():
        while not done.is_set():
            names = lu.read_parcels(URL, table=table, columns=["parcel_id", "name"])["name"]
            seen.add(
                (
                    len(names),
                    "new" if (names == "新").all() else "old" if (names != "新").all() else "mixed",
                )
            )

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    lu.write_parcels(new, URL, table=table, mode="replace")
    done.set()
    for thread in threads:
        thread.join()
    assert {state for _, state in seen} <= {"old", "new"}
    assert {count for count, _ in seen} == {len(ledger)}


def test_injection_shaped_names_are_just_names(table, ledger):
    evil = f"{table}; DROP TABLE {table}"
    try:
        lu.write_parcels(ledger.head(3), URL, table=table)
        lu.write_parcels(ledger.head(5), URL, table=evil)
        assert len(rows(evil)) == 5 and len(rows(table)) == 3
    finally:
        engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{evil}"'))
        engine.dispose()


def test_credentials_never_appear_in_errors():
    password = sa.engine.make_url(URL).password
    with pytest.raises(lu.backends.postgis.DatabaseError) as missing:
        lu.read_parcels(URL, table="no_such_table")
    assert password not in str(missing.value)
    wrong = URL.replace(password, "wrong-secret-123")
    with pytest.raises(lu.backends.postgis.DatabaseError) as refused:
        lu.read_parcels(wrong, table="x")
    assert "wrong-secret-123" not in str(refused.value) and password not in str(refused.value)
    assert "***" in str(refused.value)


def test_rates_in_the_database_equal_the_in_memory_ones(table, ledger, zones):
    pieces = lu.assign_zones(ledger, zones, columns=["functional_zone"])
    assert not pieces["parcel_id"].is_unique  # split parcels: keyed by (parcel_id, zone)
    lu.write_parcels(pieces, URL, table=table)
    in_db = lu.disposal_rates(
        URL, table=table, by=["functional_zone", "zone"], as_of=AS_OF, target=0.6
    )
    in_memory = lu.disposal_rates(pieces, by=["functional_zone", "zone"], as_of=AS_OF, target=0.6)
    pd.testing.assert_frame_equal(in_db, in_memory, check_exact=False, rtol=1e-9)
    only = lu.disposal_rates(URL, table=table, as_of=AS_OF, where={"zone": ["王台镇"]})
    assert list(only.index.get_level_values("zone").unique()) == ["王台镇"]


# --- edges (issue #10) -----------------------------------------------------------------------


def gist_indexes(name: str) -> list[str]:
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        found = (
            connection.execute(
                sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = :t"), {"t": name}
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return [i for i in found if "USING gist" in i]


def test_where_none_means_is_null(table, ledger):
    sample = ledger.head(6).assign(name=["甲", None, "乙", None, "甲", "丙"])
    lu.write_parcels(sample, URL, table=table)
    assert len(lu.read_parcels(URL, table=table, where={"name": None})) == 2
    assert len(lu.read_parcels(URL, table=table, where={"name": ["甲", None]})) == 4
    assert len(lu.read_parcels(URL, table=table, where={"name": []})) == 0


def test_wrong_where_key_or_broken_sql_is_a_clear_error(table, ledger):
    lu.write_parcels(lu.add_areas(ledger.head(5)), URL, table=table)
    password = sa.engine.make_url(URL).password
    with pytest.raises(lu.backends.postgis.UnknownColumnError, match="zonee") as unknown:
        lu.read_parcels(URL, table=table, where={"zonee": "王台镇"})
    assert isinstance(unknown.value, lu.MissingColumnError)
    assert "parcel_id" in str(unknown.value) and "SELECT" not in str(unknown.value)
    with pytest.raises(lu.backends.postgis.DatabaseError, match="syntax error") as broken:
        lu.read_parcels(URL, table=table, where="category = = 'x'")
    message = str(broken.value)
    assert "SELECT" not in message and password not in message
    assert "where=" in message and "parcel_id" in message  # what to fix, and the columns
    with pytest.raises(lu.backends.postgis.UnknownColumnError, match="lacks"):
        lu.disposal_rates(URL, table=table, by="no_such_column")
    with pytest.raises(lu.backends.postgis.UnknownColumnError, match="zonee"):
        lu.disposal_rates(URL, table=table, by="name", where={"zonee": "x"})


def test_every_table_gets_exactly_one_gist_index(table, ledger):
    lu.write_parcels(ledger.head(20), URL, table=table)
    assert len(gist_indexes(table)) == 1
    lu.write_parcels(ledger.head(30), URL, table=table, mode="replace")
    lu.write_parcels(ledger.iloc[30:40], URL, table=table, mode="upsert")
    assert len(gist_indexes(table)) == 1


def test_long_table_names_fit_or_fail_early(ledger):
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    longest = f"t_{uuid.uuid4().hex[:8]}_" + "地" * 17  # 11 + 51 = 62 bytes
    longest += "x" * (63 - len(longest.encode()))
    assert len(longest.encode()) == 63
    try:
        lu.write_parcels(ledger.head(5), URL, table=longest)
        assert len(rows(longest)) == 5
        assert len(gist_indexes(longest)) == 1
        too_long = longest + "y"
        with pytest.raises(lu.backends.postgis.IdentifierTooLongError, match="63"):
            lu.write_parcels(ledger.head(5), URL, table=too_long)
        with pytest.raises(lu.backends.postgis.IdentifierTooLongError, match="63"):
            lu.read_parcels(URL, table=too_long)
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
        assert too_long not in tables and too_long.encode()[:63].decode() in tables  # untouched
        wide = ledger.head(3).assign(**{"备注" * 11: "x"})  # a 66-byte column name
        with pytest.raises(lu.backends.postgis.IdentifierTooLongError, match="column"):
            lu.write_parcels(wide, URL, table=f"t_{uuid.uuid4().hex[:10]}")
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{longest}"'))
        engine.dispose()


def test_reads_do_not_accumulate_connections(table, ledger):
    lu.write_parcels(ledger.head(5), URL, table=table)
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))

    def open_connections() -> int:
        with engine.connect() as connection:
            return connection.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()

    before = open_connections()
    for _ in range(150):
        lu.read_parcels(URL, table=table, columns=["parcel_id"])
    after = open_connections()
    engine.dispose()
    assert after - before <= 2  # the pool keeps two idle connections (POOL_SIZE)


@pytest.mark.parametrize("as_of", ["2021-12-31", "2022-06-30", "2023-12-31", None])
def test_non_final_disposals_lapse_in_the_database_too(table, ledger, zones, as_of):
    pieces = lu.assign_zones(ledger, zones)
    lapsing = pieces["disposal_method"].isin(["extended", "temporary_use"])
    started = pieces["parcel_id"].isin(pieces.loc[lapsing, "parcel_id"].unique()[::2])
    pieces.loc[started, "actual_start_date"] = pieces.loc[started, "disposal_date"] + pd.Timedelta(
        days=200
    )  # started within the extension: stays disposed
    lu.write_parcels(pieces, URL, table=table)
    in_db = lu.disposal_rates(URL, table=table, as_of=as_of)
    in_memory = lu.disposal_rates(pieces, as_of=as_of)
    pd.testing.assert_frame_equal(in_db, in_memory, check_exact=False, rtol=1e-9)


def test_a_disposal_dated_in_the_future_counts_in_neither_place(table, ledger, zones):
    pieces = lu.assign_zones(ledger, zones)
    row = pieces.index[pieces["disposal_method"].notna()][0]
    pieces.loc[row, "disposal_date"] = pd.Timestamp("2099-01-01")
    lu.write_parcels(pieces, URL, table=table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        in_db = lu.disposal_rates(URL, table=table)
        in_memory = lu.disposal_rates(pieces)
    pd.testing.assert_frame_equal(in_db, in_memory, check_exact=False, rtol=1e-9)
