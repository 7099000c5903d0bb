"""Writers killed at any moment, writers racing each other, connections cut mid-write.

After each fault a read gives the old data, the new data, or a clear error — never a mix —
and the next write cleans up what the killed one left. (Issue #10, defects 2, 3 and the
database part of 6.) Writers run in forked children so that they can be SIGKILLed.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
import uuid
import warnings
from pathlib import Path

import pytest
import shapely

import landuse as lu
from tests.conftest import PG_URL, needs_pg

FORK = multiprocessing.get_context("fork")
ROUNDS = 20  # random kills per format: bounded, a few seconds each


@pytest.fixture(scope="module")
def versions(ledger):
    """Old and new versions of 40 parcels. The new one lists them in reverse order, so a
    .shp of one write with the .dbf of the other gives every parcel another's geometry."""
    sample = ledger.head(40)[["parcel_id", "name", "category", "geometry"]].reset_index(drop=True)
    old = sample.assign(name="旧")
    new = sample.iloc[::-1].assign(name="新").reset_index(drop=True)
    truth = dict(zip(sample["parcel_id"], sample.geometry.to_wkb(), strict=True))
    return old, new, truth


def state(path: Path, truth: dict[str, bytes], layer: str | None = None) -> str:
    """``old``, ``new`` or ``error`` (a clear ValueError subclass); fails the test on a mix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            got = lu.read_parcels(path, layer=layer, fields="cn-ledger")
        except lu.InputError:
            return "error"
    assert len(got) == len(truth), f"{len(got)} parcels instead of {len(truth)}"
    wrong = [
        pid
        for pid, geometry in zip(got["parcel_id"], got.geometry, strict=True)
        if not geometry.equals_exact(shapely.from_wkb(truth[pid]), 1e-9)
    ]
    assert wrong == [], f"geometries attached to the wrong parcels: {wrong[:5]}"
    names = set(got["name"])
    assert names in ({"旧"}, {"新"}), f"mixed versions: {names}"
    return "old" if names == {"旧"} else "new"


def write_quietly(data, path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the shapefile's 10-character field names
        return lu.write_parcels(data, path, **options)


def in_child(work) -> multiprocessing.process.BaseProcess:
    """Run ``work()`` in a forked child that never returns into pytest."""

    def body():
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)

    process = FORK.Process(target=body)
    process.start()
    return process


def kill(process) -> None:
    if process.pid is not None and process.exitcode is None:
        os.kill(process.pid, signal.SIGKILL)
    process.join()


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


SHAPEFILE_PARTS = {"p.shp", "p.shx", "p.dbf", "p.prj", "p.cpg"}


@pytest.mark.parametrize("after", range(1, 8))
def test_shapefile_killed_after_each_rename_reads_old_or_new(tmp_path, versions, after):
    """The write is killed right after its n-th rename: every point of the swap is tried."""
    old, new, truth = versions
    path = tmp_path / "p.shp"
    write_quietly(old, path)

    def dying_write():
        real, done = os.replace, [0]

        def replace(*args, **kwargs):
            real(*args, **kwargs)
            done[0] += 1
            if done[0] >= after:
                os.kill(os.getpid(), signal.SIGKILL)

        os.replace = replace
        write_quietly(new, path)

    process = in_child(dying_write)
    process.join()
    assert state(path, truth) in {"old", "new"}
    write_quietly(old, path)  # the next write cleans up and lands
    assert state(path, truth) == "old"
    assert leftovers(tmp_path, SHAPEFILE_PARTS) == []


def loop_writes(path: Path, versions_, **options) -> None:
    old, new, _ = versions_
    while True:
        write_quietly(new, path, **options)
        write_quietly(old, path, **options)


@pytest.mark.parametrize("suffix", [".shp", ".gpkg"])
def test_writer_killed_at_random_moments(tmp_path, versions, suffix):
    old, _, truth = versions
    path = tmp_path / f"p{suffix}"
    write_quietly(old, path)
    rng = random.Random(10)
    seen = []
    for _ in range(ROUNDS):
        process = in_child(lambda: loop_writes(path, versions))
        time.sleep(rng.uniform(0.0, 0.15))
        kill(process)
        seen.append(state(path, truth))
    assert set(seen) <= {"old", "new", "error"}
    assert seen.count("error") <= ROUNDS // 5, seen
    write_quietly(old, path)
    keep = SHAPEFILE_PARTS if suffix == ".shp" else {"p.gpkg"}
    assert leftovers(tmp_path, keep) == []  # killed writes' temporary files are gone
    assert state(path, truth) == "old"


def test_two_processes_writing_layers_of_one_geopackage_both_land(tmp_path, versions):
    old, _, _ = versions
    path = tmp_path / "shared.gpkg"
    write_quietly(old, path, layer="start")
    rounds = 6
    barrier = FORK.Barrier(2)

    def writer(layer):
        def work():
            for i in range(rounds):
                barrier.wait()  # both copy-modify-rename at the same moment, every round
                write_quietly(old.assign(name=f"{layer}-{i}"), path, layer=layer)

        return work

    processes = [in_child(writer("a")), in_child(writer("b"))]
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0]
    import pyogrio

    layers = sorted(str(n) for n in pyogrio.list_layers(path)[:, 0] if n != "layer_styles")
    assert layers == ["a", "b", "start"]
    for layer in ("a", "b"):
        names = set(lu.read_parcels(path, layer=layer)["name"])
        assert names == {f"{layer}-{rounds - 1}"}, (layer, names)
    assert leftovers(tmp_path, {"shared.gpkg"}) == []


def test_a_waiting_writer_starts_from_the_first_ones_result(tmp_path, versions, monkeypatch):
    """Within one process too: copy-modify-rename happens under the file's lock."""
    old, _, _ = versions
    path = tmp_path / "two.gpkg"
    write_quietly(old, path, layer="start")
    from landuse import _atomic

    lock = _atomic.lock_for(path)
    lock.acquire()
    done = threading.Event()
    thread = threading.Thread(target=lambda: (write_quietly(old, path, layer="second"), done.set()))
    thread.start()
    time.sleep(0.3)
    assert not done.is_set()  # waits for the lock
    lock.release()
    thread.join(30)
    assert done.is_set()
    import pyogrio

    layers = pyogrio.list_layers(path)[:, 0]
    assert sorted(str(n) for n in layers if n != "layer_styles") == ["second", "start"]


# --- PostGIS: the client killed or its connection cut mid-write ------------------------------

URL = PG_URL


@pytest.fixture
def pg_table(ledger, scratch_table):
    name = scratch_table("fault")
    old = ledger.head(800).assign(name="旧")
    new = ledger.head(800).assign(name="新")
    lu.write_parcels(old, URL, table=name)
    return name, old, new


def table_state(name: str, count: int) -> str:
    names = lu.read_parcels(URL, table=name, columns=["parcel_id", "name"])["name"]
    assert len(names) == count
    assert set(names) in ({"旧"}, {"新"}), f"mixed rows: {set(names)}"
    return "old" if set(names) == {"旧"} else "new"


@needs_pg
@pytest.mark.postgis
def test_postgis_writer_killed_mid_write_leaves_old_or_new_rows(pg_table):
    name, old, new = pg_table
    rng = random.Random(3)
    seen = []
    for _ in range(4):
        process = in_child(lambda: lu.write_parcels(new, URL, table=name, mode="replace"))
        time.sleep(rng.uniform(0.05, 1.0))
        kill(process)
        seen.append(table_state(name, len(old)))
        lu.write_parcels(old, URL, table=name, mode="replace")
    assert set(seen) <= {"old", "new"}


@needs_pg
@pytest.mark.postgis
def test_postgis_connection_cut_mid_write_leaves_the_table_unchanged(pg_table):
    sa = pytest.importorskip("sqlalchemy")
    name, old, new = pg_table
    tag = f"landuse_fault_{uuid.uuid4().hex[:6]}"
    url = f"{URL}?application_name={tag}"
    admin = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    rng = random.Random(4)
    outcomes = []
    for _ in range(4):
        failure: list[BaseException] = []

        def write(failure=failure):
            try:
                lu.write_parcels(new, url, table=name, mode="replace")
            except lu.backends.postgis.DatabaseError as error:
                failure.append(error)

        thread = threading.Thread(target=write)
        thread.start()
        time.sleep(rng.uniform(0.05, 0.6))
        with admin.connect() as connection:  # the server ends the writer's session
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :tag"
                ),
                {"tag": tag},
            )
        thread.join(60)
        now = table_state(name, len(old))
        if failure:
            assert now == "old"
            assert URL.split(":")[2].split("@")[0] not in str(failure[0])  # no password
        outcomes.append(now)
        lu.write_parcels(old, URL, table=name, mode="replace")
    admin.dispose()
    assert set(outcomes) <= {"old", "new"}


def test_readers_racing_a_live_shapefile_writer_never_see_a_mix(tmp_path, versions):
    old, _, truth = versions
    path = tmp_path / "p.shp"
    write_quietly(old, path)
    process = in_child(lambda: loop_writes(path, versions))
    try:
        seen = [state(path, truth) for _ in range(25)]
    finally:
        kill(process)
    assert set(seen) <= {"old", "new", "error"}


def test_parts_of_two_writes_are_a_clear_error(tmp_path, versions):
    old, new, _ = versions
    first, second = tmp_path / "a" / "p.shp", tmp_path / "b" / "p.shp"
    write_quietly(old, first)
    write_quietly(new, second)
    # a copy by hand that mixes the two: the .dbf of the second beside the .shp of the first
    second.with_suffix(".dbf").replace(first.with_suffix(".dbf"))
    with pytest.raises(lu.InputError, match="different writes"):
        lu.read_parcels(first, fields="cn-ledger")
