"""PostGIS as the shared store: read, write (one transaction each) and aggregate in the database.

URLs are SQLAlchemy URLs (``postgresql://user:pass@host/db`` or just ``postgresql://`` to take
everything from the standard ``PG*`` environment variables); the driver is psycopg 3. Table and
schema names are always quoted identifiers. Passwords never appear in messages.
SQLAlchemy, GeoAlchemy2 and psycopg come with the ``postgis`` extra.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from landuse import io
from landuse._disposal import NON_FINAL
from landuse._errors import InputError, MissingColumnError
from landuse._urls import is_url, redact, safe_url, secrets_of
from landuse._validate import as_date, validate_parcels, validate_zones
from landuse.backends._common import only
from landuse.stats import OUTSIDE, counted_methods, finish_rates, rate_options
from landuse.vocab import CATEGORIES, Lang

__all__ = [
    "MAX_ENGINES",
    "MAX_IDENTIFIER_BYTES",
    "DatabaseError",
    "IdentifierTooLongError",
    "UnknownColumnError",
    "accepts",
    "disposal_rates",
    "dispose_engines",
    "read_parcels",
    "read_table",
    "read_zones",
    "table_rates",
    "write_parcels",
    "write_table",
]

STORE_SRID = 4490  # CGCS2000
MAX_IDENTIFIER_BYTES = 63  # PostgreSQL cuts longer names silently (NAMEDATALEN - 1)
MAX_ENGINES = 4  # URLs whose connection pools are kept; the least recently used is closed
POOL_SIZE = 2  # idle connections kept per URL (up to 8 more while many threads run)
Mode = Literal["create", "replace", "append", "upsert"]


NAME = "postgis"


def accepts(data: object, options: dict[str, Any]) -> bool:
    return is_url(data)


def _table(url: str, options: dict[str, Any], doing: str) -> str:
    table = options.get("table")
    if table is None:
        raise InputError(f"{doing} {safe_url(url)} needs table=")
    return str(table)


def read_parcels(url: str, **options: Any) -> gpd.GeoDataFrame:
    """Parcels from a table (the CRS from its SRID), validated as a file's are."""
    where = "a PostGIS URL (layer=, encoding=, crs=, bbox= are for files; filter with where=)"
    only(
        options, {"table", "schema", "where", "columns", "fields"}, step="read_parcels", where=where
    )
    gdf = read_table(
        url,
        table=_table(url, options, "reading from"),
        schema=options.get("schema"),
        where=options.get("where"),
        columns=options.get("columns"),
    )
    return validate_parcels(io.apply_fields(gdf, options.get("fields")))


def read_zones(url: str, **options: Any) -> gpd.GeoDataFrame:
    only(options, {"table", "schema", "where", "name"}, step="read_zones", where="a PostGIS URL")
    gdf = read_table(
        url,
        table=_table(url, options, "reading zones from"),
        schema=options.get("schema"),
        where=options.get("where"),
    )
    return validate_zones(io.name_zones(gdf, options.get("name")))


def write_parcels(gdf: gpd.GeoDataFrame, url: str, **options: Any) -> str:
    only(options, {"table", "schema", "mode"}, step="write_parcels", where="a PostGIS URL")
    mode = options.get("mode", "create")
    if mode not in ("create", "replace", "append", "upsert"):
        raise InputError(f"mode must be create, replace, append or upsert, not {mode!r}")
    write_table(
        gdf, url, table=_table(url, options, "writing to"), schema=options.get("schema"), mode=mode
    )
    return url


def disposal_rates(url: str, **options: Any) -> pd.DataFrame:
    only(
        options,
        {
            "by",
            "as_of",
            "methods",
            "target",
            "non_final",
            "table",
            "schema",
            "where",
            "lang",
            "verbose",
        },
        step="disposal_rates",
        where="a PostGIS URL",
    )
    by, target = rate_options(options.get("by", "zone"), options.get("target"))
    return table_rates(
        url,
        table=_table(url, options, "rates from"),
        schema=options.get("schema"),
        by=by,
        as_of=options.get("as_of"),
        methods=options.get("methods"),
        target=target,
        where=options.get("where"),
        non_final=options.get("non_final"),
        lang=options.get("lang", "zh"),
    )


class DatabaseError(InputError):
    """The database refused or failed; the message never carries credentials."""


class UnknownColumnError(DatabaseError, MissingColumnError):
    """``where=`` (or ``by=``) names a column the table does not have."""


class IdentifierTooLongError(DatabaseError):
    """A table, schema or column name is longer than PostgreSQL's 63 bytes."""


_ENGINES: OrderedDict[str, tuple[int, Any]] = OrderedDict()
_ENGINES_LOCK = threading.Lock()


def _engine(url: str) -> Any:
    """A pooled engine per URL, cached: at most :data:`MAX_ENGINES` URLs, each keeping at
    most :data:`POOL_SIZE` idle connections, so repeated reads reuse connections instead of
    leaving new ones open. A forked child makes its own (sockets are never shared)."""
    try:
        import sqlalchemy as sa
    except ImportError:
        raise ImportError(
            "PostGIS needs the postgis extra: pip install 'landuse[postgis]'"
        ) from None
    with _ENGINES_LOCK:
        cached = _ENGINES.get(url)
        if cached is not None and cached[0] == os.getpid():
            _ENGINES.move_to_end(url)
            return cached[1]
        if cached is not None:
            cached[1].dispose(close=False)  # inherited from the parent process
        try:
            parsed = sa.engine.make_url(url)
        except (sa.exc.ArgumentError, ValueError):
            raise DatabaseError(f"not a database URL: {safe_url(url)}") from None
        if parsed.drivername in {"postgresql", "postgres"}:
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = sa.create_engine(
            parsed, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=8, pool_recycle=600
        )
        _ENGINES[url] = (os.getpid(), engine)
        while len(_ENGINES) > MAX_ENGINES:
            _, (pid, old) = _ENGINES.popitem(last=False)
            old.dispose(close=pid == os.getpid())
    return engine


def dispose_engines() -> None:
    """Close every pooled database connection (also done at exit)."""
    with _ENGINES_LOCK:
        while _ENGINES:
            _, (pid, engine) = _ENGINES.popitem()
            engine.dispose(close=pid == os.getpid())


atexit.register(dispose_engines)


@contextmanager
def _guard(engine: Any, doing: str, hint: str = "") -> Iterator[None]:
    """Turn driver errors into :class:`DatabaseError` without credentials or SQL dumps."""
    import psycopg
    import sqlalchemy as sa

    try:
        yield
    except (sa.exc.SQLAlchemyError, psycopg.Error, pd.errors.DatabaseError) as error:
        origin: BaseException = error
        if isinstance(error, pd.errors.DatabaseError) and error.__cause__ is not None:
            origin = error.__cause__  # pandas wraps the driver's error with the whole SELECT
        origin = getattr(origin, "orig", None) or origin
        text = str(origin).strip()
        message = text.splitlines()[0] if text else type(origin).__name__
        secrets = secrets_of(engine.url)
        raise DatabaseError(
            f"{doing} failed on {safe_url(engine.url)}: {redact(message, secrets)}{hint}"
        ) from None


def _check_name(name: str | None, what: str) -> None:
    if name is not None and len(name.encode()) > MAX_IDENTIFIER_BYTES:
        raise IdentifierTooLongError(
            f"{what} {name!r} is {len(name.encode())} bytes; PostgreSQL names hold at most "
            f"{MAX_IDENTIFIER_BYTES} bytes (a longer one is cut silently): choose a shorter name"
        )


def _fit(name: str, limit: int = MAX_IDENTIFIER_BYTES) -> str:
    """``name`` cut to ``limit`` UTF-8 bytes without splitting a character."""
    return name.encode()[:limit].decode(errors="ignore")


def _index_name(table: str) -> str:
    """``{table}_geometry_idx``, or a cut table name with a hash when that is too long."""
    name = f"{table}_geometry_idx"
    if len(name.encode()) <= MAX_IDENTIFIER_BYTES:
        return name
    digest = hashlib.sha1(table.encode()).hexdigest()[:8]
    return f"{_fit(table, MAX_IDENTIFIER_BYTES - 15)}_{digest}_gidx"


def _quoted(engine: Any, table: str, schema: str | None) -> str:
    preparer = engine.dialect.identifier_preparer
    name = preparer.quote_identifier(table)
    return f"{preparer.quote_identifier(schema)}.{name}" if schema else name


def _where(
    where: str | Mapping[str, Any] | None,
    engine: Any,
    columns: list[str],
    table: str,
) -> tuple[str, dict[str, Any]]:
    """A WHERE clause: a mapping becomes parameterised tests (``None`` is ``IS NULL``) on
    columns the table has; a string is trusted SQL."""
    if where is None:
        return "", {}
    if isinstance(where, str):
        return f" WHERE ({where})", {}
    unknown = [str(c) for c in where if c not in columns]
    if unknown:
        raise UnknownColumnError(
            f"where= names column(s) {', '.join(map(repr, unknown))} that table {table!r} "
            f"lacks; its columns: {', '.join(columns)}"
        )
    if not where:
        return "", {}
    preparer = engine.dialect.identifier_preparer
    parts, params = [], {}
    for i, (column, value) in enumerate(where.items()):
        name = preparer.quote_identifier(column)
        if isinstance(value, list | tuple | set | frozenset):
            items = list(value)
            tests = []
            present = [item for item in items if not _missing(item)]
            if present:
                names = []
                for j, item in enumerate(present):
                    params[f"w{i}_{j}"] = item
                    names.append(f":w{i}_{j}")
                tests.append(f"{name} IN ({', '.join(names)})")
            if len(present) < len(items):
                tests.append(f"{name} IS NULL")
            parts.append(f"({' OR '.join(tests)})" if tests else "FALSE")
        elif _missing(value):
            parts.append(f"{name} IS NULL")
        else:
            params[f"w{i}"] = value
            parts.append(f"{name} = :w{i}")
    return " WHERE " + " AND ".join(parts), params


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


_WHERE_HINT = " (in the where= condition?)"


def read_table(
    url: str,
    *,
    table: str,
    schema: str | None = None,
    where: str | Mapping[str, Any] | None = None,
    columns: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """Rows of a PostGIS table as a GeoDataFrame, with the CRS of the geometry column's SRID.

    ``where`` is a mapping ``{column: value or list of values}`` — bound parameters, ``None``
    meaning ``IS NULL``, a column the table lacks a :class:`UnknownColumnError` listing the
    table's columns — or a trusted SQL condition, whose errors say what the database said
    (never the whole SELECT, never a password).
    """
    import sqlalchemy as sa

    _check_name(table, "table name")
    _check_name(schema, "schema name")
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
        clause, params = _where(where, engine, found, table)
        sql = sa.text(f"SELECT {select} FROM {_quoted(engine, table, schema)}{clause}")
        srid = connection.execute(
            sa.text(
                "SELECT srid FROM geometry_columns WHERE f_table_name = :t "
                "AND f_table_schema = :s AND f_geometry_column = :g"
            ),
            {"t": table, "s": schema or "public", "g": geometry},
        ).scalar()
        hint = (
            f" (in where={where!r}; the columns of {table!r}: {', '.join(found)})"
            if isinstance(where, str)
            else ""
        )
        with _guard(engine, f"reading {table!r}", hint):
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
    SRID 4490, one GiST index and ``parcel_id`` as primary key (``parcel_id, zone`` for the
    pieces of :func:`landuse.assign_zones`). Table, schema and column names longer than
    PostgreSQL's 63 bytes are refused before anything is written.
    """
    import sqlalchemy as sa

    _check_name(table, "table name")
    _check_name(schema, "schema name")
    for column in gdf.columns:
        _check_name(str(column), "column name")

    if mode not in ("create", "replace", "append", "upsert"):
        raise InputError(f"mode must be create, replace, append or upsert, not {mode!r}")
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
            connection.execute(sa.text(f"ALTER TABLE {target} ADD PRIMARY KEY ({key_sql})"))
            _one_spatial_index(connection, engine, table, schema)
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


def _one_spatial_index(connection: Any, engine: Any, table: str, schema: str | None) -> None:
    """Exactly one GiST index on ``geometry``: GeoAlchemy2 makes one when geopandas creates
    the table (``idx_<table>_geometry``); make it only where it did not."""
    import sqlalchemy as sa

    existing = connection.execute(
        sa.text(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = :s AND tablename = :t "
            "AND indexdef ILIKE '%USING gist%'"
        ),
        {"s": schema or "public", "t": table},
    ).scalar()
    if not existing:
        index = engine.dialect.identifier_preparer.quote_identifier(_index_name(table))
        target = _quoted(engine, table, schema)
        connection.execute(sa.text(f"CREATE INDEX {index} ON {target} USING GIST (geometry)"))


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
    lang: Lang = "zh",
) -> pd.DataFrame:
    """:func:`landuse.disposal_rates` computed by the database: only sums cross the wire."""
    import sqlalchemy as sa

    _check_name(table, "table name")
    _check_name(schema, "schema name")
    engine = _engine(url)
    preparer = engine.dialect.identifier_preparer
    q = preparer.quote_identifier
    source = _quoted(engine, table, schema)
    with _guard(engine, f"computing rates on {table!r}"), engine.connect() as connection:
        inspector = sa.inspect(connection)
        if not inspector.has_table(table, schema=schema):
            raise DatabaseError(f"no table {table!r} in schema {schema or 'public'!r}")
        found = [c["name"] for c in inspector.get_columns(table, schema=schema)]
        missing = [c for c in ("parcel_id", "category", "area_mu", *by) if c not in found]
        if missing:
            raise UnknownColumnError(
                f"table {table!r} lacks column(s) {', '.join(missing)}; "
                f"its columns: {', '.join(found)}"
            )
        clause, params = _where(where, engine, found, table)
        stock = f"{clause} AND category IS NOT NULL" if clause else " WHERE category IS NOT NULL"
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
        # a disposal dated after the reporting date (default today) has not happened yet
        disposed = f"({' OR '.join(tests) or 'FALSE'}) AND disposal_date <= :as_of"
        keys = ", ".join(f"COALESCE({q(c)}::text, :outside) AS {q(c)}" for c in by)
        params["outside"] = OUTSIDE
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
    return finish_rates(partials, by=by, target=target, lang=lang)
