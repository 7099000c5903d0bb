"""The dask-geopandas backend on a real dask.distributed LocalCluster equals the in-memory path."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

import landuse as lu

dask_geopandas = pytest.importorskip("dask_geopandas")
distributed = pytest.importorskip("distributed")

AS_OF = "2022-06-30"


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def dataset(ledger, tmp_path_factory):
    """The bundled parcels as a Hilbert-partitioned GeoParquet dataset of 4 files."""
    folder = tmp_path_factory.mktemp("parts") / "parcels"
    frame = dask_geopandas.from_geopandas(ledger, npartitions=4).spatial_shuffle(by="hilbert")
    frame.to_parquet(folder)
    return folder


def pieces_table(pieces) -> pd.DataFrame:
    table = pd.DataFrame(pieces[["parcel_id", "zone", "area_m2", "category", "reason"]])
    return table.fillna({"zone": "-"}).sort_values(["parcel_id", "zone"]).reset_index(drop=True)


def test_dask_pipeline_equals_in_memory(client, dataset, ledger, zones):
    lazy = lu.read_parcels(dataset, backend="dask")
    assert lazy.npartitions == 4 and lazy.spatial_partitions is not None
    lazy = lu.assign_zones(
        lu.add_areas(lu.classify(lazy, as_of="2021-12-31")), zones, columns=["functional_zone"]
    )
    rates = lu.disposal_rates(lazy, by=["functional_zone", "zone"], as_of=AS_OF, target=0.6)

    eager = lu.assign_zones(
        lu.add_areas(lu.classify(ledger, as_of="2021-12-31")), zones, columns=["functional_zone"]
    )
    expected = lu.disposal_rates(eager, by=["functional_zone", "zone"], as_of=AS_OF, target=0.6)
    pd.testing.assert_frame_equal(rates, expected, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(
        pieces_table(lazy.compute()), pieces_table(eager), check_exact=False, rtol=1e-12
    )


def test_zones_reach_only_the_partitions_they_touch(client, dataset, renewal):
    lazy = lu.read_parcels(dataset, backend="dask")
    pilot = renewal[renewal["name"] == "风河南片区"]
    extents = lazy.spatial_partitions.to_crs(pilot.crs)
    touched = int(extents.intersects(pilot.geometry.iloc[0]).sum())
    assert touched < lazy.npartitions  # the pilot area lies in only some partitions
    pieces = lu.assign_zones(lazy, pilot).compute()
    eager = lu.assign_zones(lu.read_parcels(dataset), pilot)
    assert (pieces["zone"] == "风河南片区").sum() == (eager["zone"] == "风河南片区").sum()


def test_duplicate_ids_across_partitions_are_refused(tmp_path, ledger):
    twice = pd.concat([ledger.head(10), ledger.head(10)])
    folder = tmp_path / "dup"
    dask_geopandas.from_geopandas(twice, npartitions=2).to_parquet(folder)
    with pytest.raises(lu.DuplicateIdError, match="repeated"):
        lu.read_parcels(folder, backend="dask")


def test_duplicate_ids_within_one_file_are_refused_when_files_do_not_overlap(tmp_path, ledger):
    """Files whose id ranges do not overlap are checked one by one: a repeat inside one of
    them is still found at read time."""
    folder = tmp_path / "parts"
    folder.mkdir()
    first = ledger.head(6).assign(parcel_id=["A1", "A2", "A3", "A2", "A5", "A6"])
    second = ledger.iloc[6:12].assign(parcel_id=[f"B{i}" for i in range(6)])
    first.to_parquet(folder / "part.0.parquet")
    second.to_parquet(folder / "part.1.parquet")
    with pytest.raises(lu.DuplicateIdError, match="A2"):
        lu.read_parcels(folder, backend="dask")
    second.assign(parcel_id=[f"C{i}" for i in range(6)]).to_parquet(folder / "part.1.parquet")
    first.assign(parcel_id=[f"A{i}" for i in range(6)]).to_parquet(folder / "part.0.parquet")
    assert len(lu.read_parcels(folder, backend="dask").compute()) == 12
