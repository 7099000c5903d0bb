"""PostGIS as the shared store: read, write (one transaction each) and aggregate in the database.

URLs are SQLAlchemy URLs (``postgresql://user:pass@host/db`` or just ``postgresql://`` to take
everything from the standard ``PG*`` environment variables); the driver is psycopg 3. Table and
schema names are always quoted identifiers. Passwords never appear in messages.
SQLAlchemy, GeoAlchemy2 and psycopg come with the ``postgis`` extra.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from landuse._errors import InputError

__all__ = ["DatabaseError", "is_url", "read_table", "table_rates", "write_table"]

STORE_SRID = 4490  # CGCS2000
Mode = Literal["create", "replace", "append", "upsert"]
_URL = re.compile(r"^postgres(ql)?(\+\w+)?://", re.IGNORECASE)


class DatabaseError(InputError):
    """The database refused or failed; the message never carries credentials."""


def is_url(source: object) -> bool:
    return isinstance(source, str) and bool(_URL.match(source))


def _engine(url: str) -> Any:
    try:
        import sqlalchemy as sa
    except ImportError:
        raise ImportError(
            "PostGIS needs the postgis extra: pip install 'landuse[postgis]'"
        ) from None
    parsed = sa.engine.make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, pool_pre_ping=True)


def _secrets(engine: Any) -> list[str]:
    found = [engine.url.password, os.environ.get("PGPASSWORD")]
    return [s for s in found if s]


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


@contextmanager
def _guard(engine: Any, doing: str) -> Iterator[None]:
    """Turn driver errors into :class:`DatabaseError` without credentials or SQL dumps."""
    import psycopg
    import sqlalchemy as sa

    try:
        yield
    except (sa.exc.SQLAlchemyError, psycopg.Error) as error:
        origin = getattr(error, "orig", None) or error
        message = (
            str(origin).strip().splitlines()[0] if str(origin).strip() else type(origin).__name__
        )
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(
            f"{doing} failed on {_redact(where, _secrets(engine))}: "
            f"{_redact(message, _secrets(engine))}"
        ) from None


def _quoted(engine: Any, table: str, schema: str | None) -> str:
    preparer = engine.dialect.identifier_preparer
    name = preparer.quote_identifier(table)
    return f"{preparer.quote_identifier(schema)}.{name}" if schema else name


def _where(where: str | Mapping[str, Any] | None, engine: Any) -> tuple[str, dict[str, Any]]:
    """A WHERE clause: a mapping becomes parameterised equality tests; a string is trusted SQL."""
    if where is None:
        return "", {}
    if isinstance(where, str):
        return f" WHERE ({where})", {}
    preparer = engine.dialect.identifier_preparer
    parts, params = [], {}
    for i, (column, value) in enumerate(where.items()):
        if isinstance(value, list | tuple | set):
            names = []
            for j, item in enumerate(value):
                params[f"w{i}_{j}"] = item
                names.append(f":w{i}_{j}")
            parts.append(f"{preparer.quote_identifier(column)} IN ({', '.join(names) or 'NULL'})")
        else:
            params[f"w{i}"] = value
            parts.append(f"{preparer.quote_identifier(column)} = :w{i}")
    return " WHERE " + " AND ".join(parts), params


def read_table(
    url: str,
    *,
    table: str,
    schema: str | None = None,
    where: str | Mapping[str, Any] | None = None,
    columns: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """Rows of a PostGIS table as a GeoDataFrame, with the CRS of the geometry column's SRID."""
    import sqlalchemy as sa

    engine = _engine(url)
    preparer = engine.dialect.identifier_preparer
    with _guard(engine, f"reading {table!r}"), engine.connect() as connection:
        inspector = sa.inspect(connection)
        if not inspector.has_table(table, schema=schema):
            raise DatabaseError(f"no table {table!r} in schema {schema or 'public'!r}")
        found = [c["name"] for c in inspector.get_columns(table, schema=schema)]
        geometry = (
            "geometry"
            if "geometry" in found
            else next(
                (
                    c["name"]
                    for c in inspector.get_columns(table, schema=schema)
                    if type(c["type"]).__name__ == "Geometry"
                ),
                None,
            )
        )
        if geometry is None:
            raise DatabaseError(f"table {table!r} has no geometry column")
        wanted = found if columns is None else [c for c in found if c in {*columns, geometry}]
        select = ", ".join(preparer.quote_identifier(c) for c in wanted)
        clause, params = _where(where, engine)
        sql = sa.text(f"SELECT {select} FROM {_quoted(engine, table, schema)}{clause}")
        srid = connection.execute(
            sa.text(
                "SELECT srid FROM geometry_columns WHERE f_table_name = :t "
                "AND f_table_schema = :s AND f_geometry_column = :g"
            ),
            {"t": table, "s": schema or "public", "g": geometry},
        ).scalar()
        frame = gpd.read_postgis(
            sql, connection, geom_col=geometry, params=params, crs=srid if srid else None
        )
    if geometry != "geometry":
        frame = frame.rename_geometry("geometry")
    return frame


def write_table(
    gdf: gpd.GeoDataFrame, url: str, *, table: str, schema: str | None = None, mode: Mode = "create"
) -> int:
    """Write parcels in one transaction; return the number of rows written.

    ``create`` fails if the table exists; ``replace`` swaps the rows (readers see the old rows
    until the commit, then the new ones); ``append`` adds rows (a repeated ``parcel_id`` fails
    the whole write); ``upsert`` updates the rows whose ``parcel_id`` exists (disposal and
    ledger columns) and inserts the others. New tables get the canonical schema: geometry with
    SRID 4490, a GiST index and ``parcel_id`` as primary key (``parcel_id, zone`` for the pieces
    of :func:`landuse.assign_zones`).
    """
    import sqlalchemy as sa

    if mode not in ("create", "replace", "append", "upsert"):
        raise ValueError(f"mode must be create, replace, append or upsert, not {mode!r}")
    data = (
        gdf.to_crs(STORE_SRID) if gdf.crs is not None and gdf.crs.to_epsg() != STORE_SRID else gdf
    )
    data = data.rename_geometry("geometry") if data.geometry.name != "geometry" else data
    engine = _engine(url)
    target = _quoted(engine, table, schema)
    preparer = engine.dialect.identifier_preparer
    key = _key(data)
    key_sql = ", ".join(preparer.quote_identifier(c) for c in key)
    with _guard(engine, f"writing {table!r} ({mode})"), engine.begin() as connection:
        exists = sa.inspect(connection).has_table(table, schema=schema)
        if mode == "create" and exists:
            raise DatabaseError(f"table {table!r} exists; use mode='replace', 'append' or 'upsert'")
        if mode in ("append", "upsert") and not exists:
            mode = "create"
        if mode == "replace" and exists:
            connection.execute(sa.text(f"DELETE FROM {target}"))  # MVCC: readers keep the old rows
            _insert(data, connection, table, schema)
        elif mode in ("create", "replace"):
            _insert(data, connection, table, schema)
            index = preparer.quote_identifier(f"{table}_geometry_idx"[:63])
            connection.execute(sa.text(f"ALTER TABLE {target} ADD PRIMARY KEY ({key_sql})"))
            connection.execute(sa.text(f"CREATE INDEX {index} ON {target} USING GIST (geometry)"))
        elif mode == "append":
            _insert(data, connection, table, schema)
        else:
            staging = f"_landuse_staging_{uuid.uuid4().hex[:12]}"
            _insert(data, connection, staging, schema)
            columns = [c for c in data.columns if c not in key]
            names = ", ".join(preparer.quote_identifier(c) for c in [*key, *columns])
            updates = ", ".join(
                f"{preparer.quote_identifier(c)} = EXCLUDED.{preparer.quote_identifier(c)}"
                for c in columns
            )
            source = _quoted(engine, staging, schema)
            connection.execute(
                sa.text(
                    f"INSERT INTO {target} ({names}) SELECT {names} FROM {source} "
                    f"ON CONFLICT (parcel_id) DO UPDATE SET {updates}"
                )
            )
            connection.execute(sa.text(f"DROP TABLE {source}"))
    return len(data)


def _key(data: gpd.GeoDataFrame) -> list[str]:
    """``parcel_id``, or ``(parcel_id, zone)`` for the pieces of :func:`landuse.assign_zones`."""
    if "parcel_id" not in data.columns:
        raise InputError("parcels need a parcel_id column to be stored")
    if data["parcel_id"].is_unique:
        return ["parcel_id"]
    if "zone" in data.columns and not data.duplicated(["parcel_id", "zone"]).any():
        return ["parcel_id", "zone"]
    repeated = data.loc[data["parcel_id"].duplicated(), "parcel_id"]
    raise InputError("parcel_id must be unique (or unique per zone)", sorted(set(repeated)))


def _insert(data: gpd.GeoDataFrame, connection: Any, table: str, schema: str | None) -> None:
    from geoalchemy2 import Geometry

    data.to_postgis(
        table,
        connection,
        schema=schema,
        if_exists="append",
        index=False,
        chunksize=20_000,
        dtype={"geometry": Geometry("GEOMETRY", srid=STORE_SRID)},
    )


def table_rates(
    url: str,
    *,
    table: str,
    schema: str | None,
    by: list[str],
    as_of: Any,
    methods: Mapping[str, Any] | None,
    target: float | None,
    where: str | Mapping[str, Any] | None = None,
    non_final: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """:func:`landuse.disposal_rates` computed by the database: only sums cross the wire."""
    import sqlalchemy as sa

    from landuse._disposal import NON_FINAL
    from landuse._validate import as_date
    from landuse.stats import _OUTSIDE, counted_methods, finish_rates
    from landuse.vocab import CATEGORIES

    engine = _engine(url)
    preparer = engine.dialect.identifier_preparer
    q = preparer.quote_identifier
    source = _quoted(engine, table, schema)
    clause, params = _where(where, engine)
    stock = f"{clause} AND category IS NOT NULL" if clause else " WHERE category IS NOT NULL"
    with _guard(engine, f"computing rates on {table!r}"), engine.connect() as connection:
        found = {c["name"] for c in sa.inspect(connection).get_columns(table, schema=schema)}
        missing = [c for c in ("parcel_id", "category", "area_mu", *by) if c not in found]
        if missing:
            raise DatabaseError(f"table {table!r} lacks column(s) {', '.join(missing)}")
        pairs = connection.execute(
            sa.text(f"SELECT DISTINCT category, disposal_method FROM {source}{stock}"), params
        ).all()
        rules = counted_methods(methods)
        counted: list[tuple[str, str]] = []
        for category, method in pairs:
            if category not in CATEGORIES:
                raise InputError(f"unknown category {category!r} in {table!r}")
            counts, accepted = rules[category]
            if method is not None and method not in accepted:
                raise InputError(
                    f"disposal method {method!r} is not a method of {category} "
                    f"(known: {', '.join(accepted)}); pass methods= to accept your own"
                )
            if method in counts:
                counted.append((category, method))
        lapses = NON_FINAL if non_final is None else non_final
        params["as_of"] = (
            as_date(as_of) if as_of is not None else pd.Timestamp.today().normalize()
        ).to_pydatetime()
        tests = []
        for i, (category, method) in enumerate(counted):
            params[f"c{i}"], params[f"m{i}"] = category, method
            test = f"category = :c{i} AND disposal_method = :m{i}"
            if method in lapses:  # a non-final disposal lapses unless started by then
                params[f"y{i}"] = int(lapses[method])
                end = f"(disposal_date + make_interval(years => :y{i}))"
                started = (
                    f" OR (actual_start_date IS NOT NULL AND actual_start_date <= {end})"
                    if "actual_start_date" in found
                    else ""
                )
                test += f" AND (:as_of < {end}{started})"
            tests.append(f"({test})")
        disposed = f"({' OR '.join(tests) or 'FALSE'}) AND disposal_date IS NOT NULL"
        if as_of is not None:
            disposed += " AND disposal_date <= :as_of"
        keys = ", ".join(f"COALESCE({q(c)}::text, :outside) AS {q(c)}" for c in by)
        params["outside"] = _OUTSIDE
        group = ", ".join(str(i + 1) for i in range(len(by)))
        sums = (
            f"COUNT(DISTINCT parcel_id) AS parcels, SUM(area_mu) AS area_mu, "
            f"COUNT(DISTINCT CASE WHEN {disposed} THEN parcel_id END) AS disposed_parcels, "
            f"COALESCE(SUM(CASE WHEN {disposed} THEN area_mu END), 0) AS disposed_area_mu"
        )
        per_category = pd.read_sql(
            sa.text(
                f"SELECT {keys}, category, {sums} FROM {source}{stock} GROUP BY {group}, category"
            ),
            connection,
            params=params,
        )
        overall = pd.read_sql(
            sa.text(
                f"SELECT {keys}, 'all' AS category, {sums} FROM {source}{stock} GROUP BY {group}"
            ),
            connection,
            params=params,
        )
    partials = pd.concat([per_category, overall], ignore_index=True)
    return finish_rates(partials, by=by, target=target)
