from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import landuse as lu
from tests.conftest import make_parcels, square


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".parquet", ".fgb"])
def test_reads_every_format(tmp_path, ledger, suffix):
    sample = ledger.head(50)
    path = tmp_path / f"parcels{suffix}"
    if suffix == ".parquet":
        sample.to_parquet(path)
    else:
        frame = sample
        if suffix == ".shp":  # shapefile field names are limited to 10 characters
            frame = sample[["parcel_id", "name", "category", "geometry"]]
        frame.to_file(path, engine="pyogrio")
    back = lu.read_parcels(path)
    if suffix == ".fgb":  # FlatGeobuf's spatial index reorders features
        back = back.set_index("parcel_id").loc[sample["parcel_id"]].reset_index()
    assert back["parcel_id"].tolist() == sample["parcel_id"].tolist()
    assert back.crs.to_epsg() == 4490
    assert back["name"].tolist() == sample["name"].tolist()  # Chinese text intact
    if "approval_date" in back.columns:
        assert pd.api.types.is_datetime64_any_dtype(back["approval_date"])


def test_field_mapping_and_preset(tmp_path):
    raw = gpd.GeoDataFrame(
        {
            "dkbh": ["1", "2"],
            "DKMC": ["甲", "乙"],
            "PZSJ": ["2020-01-01", "2020/2/1"],
            "CZFS": [None, "supplied"],
            "CZSJ": [None, "2021-05-01"],
            "extra": [1, 2],
        },
        geometry=[square(0, 0), square(200, 0)],
        crs=4549,
    )
    path = tmp_path / "ledger.gpkg"
    raw.to_file(path)
    parcels = lu.read_parcels(path, fields="cn-ledger")
    assert {
        "parcel_id",
        "name",
        "approval_date",
        "disposal_method",
        "disposal_date",
        "extra",
    } <= set(parcels.columns)
    assert parcels["approval_date"].tolist() == [
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2020-02-01"),
    ]
    mapped = lu.read_parcels(path, fields={"dkbh": "parcel_id"})
    assert "parcel_id" in mapped.columns and "DKMC" in mapped.columns
    with pytest.raises(ValueError, match="unknown field preset"):
        lu.read_parcels(path, fields="nope")


def test_crs_argument(tmp_path):
    path = tmp_path / "nocrs.geojson"
    make_parcels([{}]).set_crs(None, allow_override=True).to_file(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GeoJSON without CRS is read as WGS84 by GDAL
        parcels = lu.read_parcels(path, crs=4549)
    assert parcels.crs.to_epsg() == 4549


def test_multi_layer_file_needs_a_layer(tmp_path):
    path = tmp_path / "two.gpkg"
    make_parcels([{}]).to_file(path, layer="a")
    make_parcels([{}]).to_file(path, layer="b")
    with pytest.raises(lu.InputError, match="pass layer="):
        lu.read_parcels(path)
    assert len(lu.read_parcels(path, layer="b")) == 1


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        lu.read_parcels("/nonexistent/parcels.gpkg")


def test_read_zones_guesses_and_maps_name(tmp_path):
    zones = gpd.GeoDataFrame({"名称": ["甲区"]}, geometry=[square(0, 0, 1000)], crs=4549)
    path = tmp_path / "zones.gpkg"
    zones.to_file(path)
    assert lu.read_zones(path)["name"].tolist() == ["甲区"]
    zones.rename(columns={"名称": "QYMC"}).to_file(tmp_path / "z2.gpkg")
    with pytest.raises(lu.MissingColumnError, match="QYMC"):
        lu.read_zones(tmp_path / "z2.gpkg")
    assert lu.read_zones(tmp_path / "z2.gpkg", name="QYMC")["name"].tolist() == ["甲区"]


# --- bad input: a clear ValueError subclass naming the rows -----------------------------------


def write(tmp_path, gdf, name="bad.gpkg"):
    path = tmp_path / name
    gdf.to_file(path)
    return path


def test_missing_crs(tmp_path):
    parcels = make_parcels([{}]).set_crs(None, allow_override=True)
    with pytest.raises(lu.MissingCRSError, match="no CRS"):
        lu.classify(parcels, as_of="2021-01-01")
    assert issubclass(lu.MissingCRSError, ValueError)


@pytest.mark.parametrize(
    ("geometry", "error", "words"),
    [
        (shapely.Point(500_000, 3_980_000), lu.GeometryError, "found Point: P2"),
        (shapely.LineString([(0, 0), (1, 1)]), lu.GeometryError, "found LineString"),
        (shapely.Polygon(), lu.GeometryError, "empty geometry: P2"),
        (None, lu.GeometryError, "no geometry: P2"),
    ],
)
def test_bad_geometries(geometry, error, words):
    parcels = make_parcels([{}, {"geometry": geometry}])
    with pytest.raises(error, match=words):
        lu.add_areas(parcels)


def test_invalid_geometry_is_repaired_with_a_warning():
    bowtie = shapely.Polygon(
        [(500_000, 3_980_000), (500_100, 3_980_100), (500_100, 3_980_000), (500_000, 3_980_100)]
    )
    parcels = make_parcels([{}, {"geometry": bowtie}])
    with pytest.warns(UserWarning, match="repaired 1 invalid geometry.*P2"):
        out = lu.classify(parcels, as_of="2021-01-01")
    assert out.geometry.is_valid.all()
    assert out.geometry.iloc[1].area == pytest.approx(5000)
    assert not parcels.geometry.iloc[1].is_valid  # the caller's frame is untouched


def test_duplicate_ids(tmp_path):
    parcels = make_parcels([{}, {}, {}])
    parcels.loc[2, "parcel_id"] = "P1"
    with pytest.raises(lu.DuplicateIdError, match="unique; repeated: P1"):
        lu.read_parcels(write(tmp_path, parcels))


def test_unknown_category(tmp_path):
    parcels = make_parcels([{"category": "approved_unsupplied"}, {"category": "闲置"}])
    with pytest.raises(lu.UnknownCategoryError, match=r"'闲置'.*P2"):
        lu.read_parcels(write(tmp_path, parcels))


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            {
                "approval_date": "2021-01-01",
                "disposal_date": "2020-12-31",
                "disposal_method": "withdrawn",
            },
            "disposal_date is before approval_date: P1",
        ),
        (
            {
                "supply_date": "2021-01-01",
                "disposal_date": "2020-12-31",
                "disposal_method": "started",
            },
            "disposal_date is before supply_date: P1",
        ),
        (
            {"approval_date": "2021-01-02", "supply_date": "2021-01-01"},
            "supply_date is before approval_date",
        ),
    ],
)
def test_dates_in_the_wrong_order(parcels_from, row, words):
    with pytest.raises(lu.DateOrderError, match=words):
        lu.classify(parcels_from([row]), as_of="2022-01-01")


def test_not_a_date(parcels_from):
    with pytest.raises(lu.DateOrderError, match=r"approval_date.*not dates.*P1"):
        lu.classify(parcels_from([{"approval_date": "soon"}]), as_of="2022-01-01")


def test_method_without_date(parcels_from):
    # read what can be read (API.md, Bad input): a warning names the row, nothing is disposed
    with pytest.warns(UserWarning, match="no disposal_date.*: P1"):
        result = lu.classify(
            parcels_from([{"disposal_method": "started", "disposal_date": None}]),
            as_of="2022-01-01",
        )
    assert "已处置" not in result["reason"].iloc[0]


def test_ratio_given_as_percentage(parcels_from):
    with pytest.raises(lu.InputError, match=r"between 0 and 1.*P1"):
        lu.classify(parcels_from([{"developed_ratio": 30.0}]), as_of="2022-01-01")


def test_error_lists_a_few_ids_only(parcels_from):
    parcels = parcels_from([{"category": "x"}] * 12)
    with pytest.raises(lu.UnknownCategoryError, match="P1, P2, P3, P4, P5 and 7 more"):
        lu.classify(parcels, as_of="2022-01-01")


# --- writing ---------------------------------------------------------------------------------

COLUMNS = [
    "parcel_id",
    "name",
    "category",
    "approval_date",
    "supply_date",
    "disposal_method",
    "disposal_date",
    "far",
    "land_use_code",
]


def same_parcels(a, b):
    a = a.sort_values("parcel_id").reset_index(drop=True)
    b = b.sort_values("parcel_id").reset_index(drop=True)
    for column in COLUMNS:
        left, right = a[column], b[column]
        if pd.api.types.is_datetime64_any_dtype(left):
            assert (left.fillna(pd.Timestamp(0)) == right.fillna(pd.Timestamp(0))).all(), column
        else:
            assert left.fillna(-1).astype(str).tolist() == right.fillna(-1).astype(str).tolist(), (
                column
            )
    assert a.geometry.geom_equals_exact(b.to_crs(a.crs).geometry, tolerance=1e-9).all()


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_round_trip(tmp_path, ledger, suffix):
    path = lu.write_parcels(ledger, tmp_path / f"out{suffix}")
    same_parcels(ledger, lu.read_parcels(path))


def test_gpkg_keeps_other_layers(tmp_path, ledger, zones):
    path = tmp_path / "both.gpkg"
    zones.to_file(path, layer="zones")
    lu.write_parcels(ledger.head(10), path)
    assert len(lu.read_zones(path)) == len(zones)
    assert len(lu.read_parcels(path)) == 10


def test_shapefile_is_utf8_with_short_names(tmp_path, ledger):
    sample = ledger.head(50)
    with pytest.warns(UserWarning, match="parcel_id → DKBH"):
        path = lu.write_parcels(sample, tmp_path / "out.shp")
    assert path.with_suffix(".cpg").read_text().strip().upper() in {"UTF-8", "UTF8"}
    assert max(len(c) for c in pyogrio.read_info(path)["fields"]) <= 10
    same_parcels(sample, lu.read_parcels(path, fields="cn-ledger"))


def test_gbk_shapefile_round_trip_keeps_chinese(tmp_path, ledger):
    sample = ledger.head(20)[["parcel_id", "name", "geometry"]].rename(
        columns={"parcel_id": "DKBH", "name": "DKMC"}
    )
    path = tmp_path / "gbk.shp"
    pyogrio.write_dataframe(sample, path, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    assert "青岛".encode("gbk") in path.with_suffix(".dbf").read_bytes()
    with pytest.warns(lu.EncodingWarning, match="GB18030"):
        back = lu.read_parcels(path, fields="cn-ledger")
    assert back["name"].tolist() == ledger.head(20)["name"].tolist()


def test_excel_has_a_sheet_per_category_with_chinese_headers(tmp_path, ledger):
    path = lu.write_parcels(ledger, tmp_path / "台账.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["批而未供", "供而未用", "低效用地", "其他"]
    assert sum(len(s) for s in sheets.values()) == len(ledger)
    idle = sheets["供而未用"]
    assert {"地块编号", "地块名称", "面积（亩）", "面积（公顷）", "处置方式"} <= set(idle.columns)
    assert (idle["地块类别"] == "供而未用").all()
    assert idle["面积（亩）"].sum() == pytest.approx(
        lu.add_areas(ledger[ledger["category"] == "supplied_unused"])["area_mu"].sum()
    )


def test_failed_write_leaves_the_old_file(tmp_path, ledger, monkeypatch):
    path = lu.write_parcels(ledger.head(5), tmp_path / "keep.gpkg")
    before = path.read_bytes()

    def broken(gdf, target, **kwargs):
        Path(target).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", broken)
    with pytest.raises(OSError, match="disk full"):
        lu.write_parcels(ledger, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gpkg"]


def test_write_refuses_unknown_formats(tmp_path, ledger):
    with pytest.raises(lu.InputError, match="gpkg"):
        lu.write_parcels(ledger, tmp_path / "out.kml")


def test_geoparquet_is_hilbert_sorted_with_bbox_covering(tmp_path, ledger):
    import pyarrow.parquet as pq

    path = lu.write_parcels(ledger, tmp_path / "p.parquet")
    meta = pq.read_metadata(path)
    assert meta.num_row_groups >= 1
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["version"] == "1.1.0" and "covering" in geo["columns"]["geometry"]
    back = lu.read_parcels(path)
    assert set(back["parcel_id"]) == set(ledger["parcel_id"])
    assert back.hilbert_distance().is_monotonic_increasing


def test_bbox_and_columns_read_only_what_is_asked(tmp_path, ledger):
    path = lu.write_parcels(ledger, tmp_path / "p.parquet")
    minx, miny, maxx, maxy = ledger.total_bounds
    box = (minx, miny, (minx + maxx) / 2, (miny + maxy) / 2)
    part = lu.read_parcels(path, bbox=box, columns=["parcel_id", "category"])
    expected = ledger[ledger.intersects(shapely.box(*box))]
    assert set(part["parcel_id"]) == set(expected["parcel_id"])
    assert list(part.columns) == ["parcel_id", "category", "geometry"]
    gpkg = lu.write_parcels(ledger, tmp_path / "p.gpkg")
    assert set(lu.read_parcels(gpkg, bbox=box)["parcel_id"]) == set(expected["parcel_id"])


def test_geoparquet_row_groups_for_parallel_readers(tmp_path):
    """300k parcels: several balanced row groups (pyarrow, DuckDB and dask split their work by
    row group), the bbox covering kept, and the round trip equal."""
    import pyarrow.parquet as pq

    n = 300_000
    rng = np.random.default_rng(3)
    x = 119.8 + rng.random(n) * 0.6
    y = 35.7 + rng.random(n) * 0.5
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": np.char.add("P", np.arange(n).astype(str)).astype(object),
            "category": rng.choice(np.array(lu.CATEGORIES, dtype=object), n),
        },
        geometry=shapely.box(x, y, x + 0.0008, y + 0.0008),
        crs=4490,
    )
    path = lu.write_parcels(parcels, tmp_path / "p.parquet")
    meta = pq.read_metadata(path)
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert meta.num_row_groups > 1 and sum(sizes) == n
    assert max(sizes) <= 131_072 and max(sizes) - min(sizes) <= 1
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    back = lu.read_parcels(path)
    assert back.hilbert_distance().is_monotonic_increasing
    assert back.crs == parcels.crs and "bbox" not in back.columns
    expected = parcels.set_index("parcel_id").loc[back["parcel_id"]]
    assert (back["category"].to_numpy() == expected["category"].to_numpy()).all()
    assert shapely.equals_exact(back.geometry.array, expected.geometry.array, tolerance=0).all()


def test_geoparquet_row_group_sizes():
    from landuse.io import _row_group_size

    assert _row_group_size(10) == 10
    assert _row_group_size(1_000_000) == 125_000
    assert -(-100_000 // _row_group_size(100_000)) == 4
    assert -(-10_000_000 // _row_group_size(10_000_000)) == 77


@pytest.mark.parametrize("columns", [None, ["b", "geometry"], ["geometry", "a"]])
@pytest.mark.parametrize("index", [False, True])
def test_geoparquet_read_equals_geopandas(tmp_path, columns, index):
    """The parallel reader gives what geopandas.read_parquet gives: columns in order, a stored
    index, the CRS."""
    from landuse.io import _read_geoparquet

    frame = gpd.GeoDataFrame(
        {"a": [1, 2, 3], "b": ["x", "y", None]},
        geometry=shapely.points([120.0, 120.1, 120.2], [36.0, 36.1, 36.2]),
        crs=4490,
        index=pd.Index([10, 11, 12], name="idx"),
    )[["a", "geometry", "b"]]
    path = tmp_path / "f.parquet"
    (frame if index else frame.reset_index(drop=True)).to_parquet(path)
    expected = gpd.read_parquet(path, columns=columns)
    pd.testing.assert_frame_equal(_read_geoparquet(path, columns=columns, bbox=None)[0], expected)


# --- the GeoParquet reader's fast path: coordinates from WKB, projected while reading --------


def _lonlat_parcels(n: int, west: float, seed: int = 5) -> gpd.GeoDataFrame:
    """n jittered quadrilaterals (a few ten metres) in CGCS2000 longitude/latitude."""
    rng = np.random.default_rng(seed)
    x = west + rng.random(n) * 0.4
    y = 36.0 + rng.random(n) * 0.3
    size = 3e-4 + rng.random((n, 4, 2)) * 1e-4
    corners = np.stack(
        [
            np.c_[x - size[:, 0, 0], y - size[:, 0, 1]],
            np.c_[x + size[:, 1, 0], y - size[:, 1, 1]],
            np.c_[x + size[:, 2, 0], y + size[:, 2, 1]],
            np.c_[x - size[:, 3, 0], y + size[:, 3, 1]],
        ],
        axis=1,
    )
    return gpd.GeoDataFrame(
        {"parcel_id": [f"P{i:06d}" for i in range(n)], "category": "supplied_unused"},
        geometry=shapely.polygons(corners),
        crs=4490,
    )


def _measured_by_geopandas(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Each parcel's area in its own GK zone (EPSG:4534 + zone − 25), the plain way."""
    zone = np.floor((frame.geometry.centroid.x.to_numpy() + 1.5) / 3).astype(int)
    area = np.empty(len(frame))
    for z in np.unique(zone):
        rows = zone == z
        area[rows] = frame[rows].to_crs(4534 + z - 25).area.to_numpy()
    return area


def test_parquet_read_projects_while_reading_and_areas_equal_geopandas(tmp_path):
    from landuse._validate import validated

    frame = _lonlat_parcels(40_000, 120.1)  # one GK zone (40)
    path = tmp_path / "p.parquet"
    lu.write_parcels(frame, path)
    parcels = lu.read_parcels(path)
    mark = validated(parcels)
    assert mark is not None and len(mark.projections) == 1  # projected by the reader
    (projection,) = mark.projections.values()
    assert projection.crs.to_epsg() == 4549
    measured = lu.add_areas(parcels)
    expected = gpd.read_parquet(path).to_crs(4549).area.to_numpy()
    # bit for bit: the same PROJ call per coordinate and GEOS's own area formula
    np.testing.assert_array_equal(measured["area_m2"].to_numpy(), expected)
    # the reader's geometries are the file's
    assert shapely.equals_exact(
        parcels.geometry.array, gpd.read_parquet(path).geometry.array, tolerance=0
    ).all()


def test_parquet_read_across_two_zones_measures_each_parcel_in_its_own(tmp_path):
    from landuse._validate import validated

    frame = pd.concat([_lonlat_parcels(20_000, 118.0), _lonlat_parcels(20_000, 120.1, seed=6)])
    frame["parcel_id"] = [f"Q{i:06d}" for i in range(len(frame))]
    path = tmp_path / "p.parquet"
    lu.write_parcels(frame, path)
    parcels = lu.read_parcels(path)
    assert validated(parcels).projections == {}  # not one zone: add_areas decides
    measured = lu.add_areas(parcels).sort_values("parcel_id")
    expected = _measured_by_geopandas(gpd.read_parquet(path).sort_values("parcel_id"))
    np.testing.assert_allclose(measured["area_m2"].to_numpy(), expected, rtol=1e-12)


def test_parquet_read_of_mixed_geometries_and_repairs_still_measures_right(tmp_path):
    from landuse._validate import validated

    frame = _lonlat_parcels(30_000, 120.1)
    x, y = 120.2, 36.1
    frame.loc[5, "geometry"] = shapely.MultiPolygon(
        [shapely.box(x, y, x + 1e-4, y + 1e-4), shapely.box(x + 2e-4, y, x + 3e-4, y + 1e-4)]
    )
    bow_tie = shapely.Polygon([(x, y), (x + 1e-4, y + 1e-4), (x + 1e-4, y), (x, y + 1e-4)])
    frame.loc[7, "geometry"] = bow_tie  # invalid: repaired on reading
    path = tmp_path / "p.parquet"
    lu.write_parcels(frame, path)
    with pytest.warns(UserWarning, match="repaired 1 invalid"):
        parcels = lu.read_parcels(path)
    assert validated(parcels).projections == {}  # repaired geometries are projected anew
    measured = lu.add_areas(parcels).set_index("parcel_id")["area_m2"]
    expected = gpd.read_parquet(path).set_index("parcel_id")
    expected.geometry = shapely.make_valid(expected.geometry.array)
    np.testing.assert_allclose(
        measured.loc[expected.index].to_numpy(), expected.to_crs(4549).area.to_numpy(), rtol=1e-12
    )


def test_parquet_read_with_another_crs_does_not_use_the_files_projection(tmp_path):
    from landuse._validate import validated

    frame = _lonlat_parcels(30_000, 120.1)
    path = tmp_path / "p.parquet"
    lu.write_parcels(frame, path)
    with pytest.warns(UserWarning, match="using crs=EPSG:4326"):
        parcels = lu.read_parcels(path, crs=4326)  # the user says: WGS 84
    assert validated(parcels).projections == {}
    measured = lu.add_areas(parcels)["area_m2"].to_numpy()
    expected = gpd.read_parquet(path).set_crs(4326, allow_override=True).to_crs(4549).area
    np.testing.assert_allclose(measured, expected.to_numpy(), rtol=1e-12)
