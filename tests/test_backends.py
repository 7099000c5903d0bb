"""One dispatch for every backend, a DAG of imports, and frames validated once."""

from __future__ import annotations

import ast
import pickle
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import landuse as lu
from landuse import backends
from landuse._validate import MARK, Validated, validated

PACKAGE = Path(lu.__file__).parent


# --- dispatch ----------------------------------------------------------------------------------


def test_each_kind_of_data_goes_to_its_backend(ledger):
    assert backends.backend_for(ledger).NAME == "memory"
    assert backends.backend_for("postgresql://u@h/db").NAME == "postgis"
    assert backends.backend_for("parcels/", {"backend": "dask"}).NAME == "dask"
    assert [b.NAME for b in backends.BACKENDS][-1] == "memory"  # the default comes last
    with pytest.raises(lu.InputError, match="'spark'"):
        backends.backend_for("p.parquet", {"backend": "spark"})


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda p: lu.read_parcels(p, table="parcels"), "table="),
        (lambda p: lu.read_parcels(p, where={"zone": "x"}), "where="),
        (lambda p: lu.read_zones(p, schema="gis"), "schema="),
        (lambda p: lu.read_parcels("postgresql://u@h/db", table="t", layer="x"), "layer="),
        (lambda p: lu.read_parcels("postgresql://u@h/db", table="t", bbox=(0, 0, 1, 1)), "bbox="),
        (lambda p: lu.read_parcels("postgresql://u@h/db", table="t", crs=4490), "crs="),
        (lambda p: lu.read_parcels(p, backend="dask", fields="cn-ledger"), "fields="),
        (lambda p: lu.read_parcels(p, backend="dask", bbox=(0, 0, 1, 1)), "bbox="),
    ],
)
def test_readers_refuse_arguments_that_do_not_apply(west_coast_path, call, named):
    with pytest.raises(lu.InputError, match=named):
        call(west_coast_path)


def test_rates_refuse_database_options_for_a_frame(ledger):
    with pytest.raises(lu.InputError, match="table="):
        lu.disposal_rates(ledger, by="zone_name", table="parcels")


def test_public_functions_keep_their_documentation_and_signature():
    import inspect

    for function in (lu.read_parcels, lu.add_areas, lu.assign_zones, lu.disposal_rates):
        assert "Examples" in (function.__doc__ or "")
    assert "table" in inspect.signature(lu.read_parcels).parameters
    assert inspect.signature(lu.add_areas).parameters["crs"].kind is inspect.Parameter.KEYWORD_ONLY


def _imports(path: Path, module: str) -> set[str]:
    """Every landuse module ``module`` imports, at load or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("landuse")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative
                base = ".".join([*module.split(".")[: -node.level], node.module])
            if base.startswith("landuse"):
                found.add(base)
                # `from landuse import io` imports the module landuse.io
                found |= {f"{base}.{a.name}" for a in node.names}
    return found


def test_the_import_graph_is_a_dag():
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {
        name: {m for m in _imports(path, name) if m in modules and m != name and m != "landuse"}
        for name, path in modules.items()
        if name != "landuse"  # the package root re-exports; it sits on top
    }
    # a package's modules import its __init__ implicitly: that edge is fine unless the
    # __init__ imports them back, which the graph then shows as a cycle
    visiting, done, cycles = set(), set(), []

    def visit(node, trail):
        visiting.add(node)
        for nxt in graph.get(node, ()):
            if nxt in visiting:
                cycles.append([*trail, node, nxt])
            elif nxt not in done:
                visit(nxt, [*trail, node])
        visiting.discard(node)
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [])
    assert cycles == []
    core = ("landuse.io", "landuse.rules", "landuse.areas", "landuse.zones", "landuse.stats")
    for name in core:  # the core never reaches up to backends, maps or the CLI
        assert not graph[name] & {"landuse.backends", "landuse.maps", "landuse.cli"}, name


def test_the_core_imports_no_folium_matplotlib_or_dask():
    code = (
        "import sys, landuse\n"
        "print(sorted(m for m in ('folium', 'matplotlib', 'dask', 'sqlalchemy') if m in sys.modules))"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- validated once ----------------------------------------------------------------------------


def test_a_read_frame_is_marked_and_copies_keep_the_mark(ledger):
    mark = validated(ledger)
    assert isinstance(mark, Validated) and mark.kind == "polygons"
    assert validated(ledger.copy()) is mark
    assert validated(ledger.assign(extra=1)) is mark
    assert validated(ledger.iloc[:10]) is None  # other rows: checked again


def test_a_replaced_geometry_is_checked_again(ledger):
    edited = ledger.copy()
    bowtie = shapely.Polygon([(120.0, 36.0), (120.001, 36.001), (120.001, 36.0), (120.0, 36.001)])
    edited.loc[edited.index[0], "geometry"] = bowtie
    assert validated(edited) is None
    with pytest.warns(UserWarning, match="repaired 1 invalid geometry"):
        measured = lu.add_areas(edited)
    assert measured["area_m2"].iloc[0] > 0
    assert bool(shapely.is_valid(measured.geometry.array).all())


def test_steps_never_touch_the_callers_attrs(ledger, zones):
    frame = gpd.GeoDataFrame(ledger.drop(columns=[]), crs=ledger.crs)
    frame.attrs = {"mine": "kept"}
    out = lu.add_areas(frame)
    assert frame.attrs == {"mine": "kept"}
    assert out.attrs["mine"] == "kept" and isinstance(out.attrs[MARK], Validated)


def test_a_marked_frame_writes_and_pickles_as_plain_data(ledger, tmp_path):
    target = tmp_path / "p.parquet"
    ledger.to_parquet(target)  # attrs go into the file as JSON: the mark is text there
    back = gpd.read_parquet(target)
    assert back.attrs.get(MARK) == "validated polygons"
    assert validated(back) is None
    clone = pickle.loads(pickle.dumps(ledger))
    assert validated(clone) is None and type(clone.attrs[MARK]) is str
    assert len(lu.add_areas(clone)) == len(ledger)  # checked again, quietly


def test_projections_live_with_the_frame_not_in_a_module(ledger, zones):
    measured = lu.add_areas(ledger)
    assert validated(measured).projections  # add_areas projected once, kept on the frame
    pieces = lu.assign_zones(measured, zones)
    np.testing.assert_allclose(pieces["area_m2"].sum(), measured["area_m2"].sum(), rtol=1e-12)
    assert "landuse._cache" not in sys.modules
    module_state = [
        (name, attr)
        for name, module in sys.modules.items()
        if name.startswith("landuse")
        for attr, value in vars(module).items()
        if isinstance(value, dict) and any(isinstance(v, np.ndarray) for v in value.values())
    ]
    assert module_state == []


def test_pieces_go_back_through_classify(ledger, zones):
    pieces = lu.assign_zones(ledger, zones)
    assert pieces["parcel_id"].duplicated().any()  # some parcels cross zone borders
    assert validated(pieces, kinds=("pieces",)) is not None
    again = lu.classify(pieces, as_of="2021-12-31")
    assert len(again) == len(pieces)
    split = pieces["parcel_id"].duplicated(keep=False)
    cats = again.loc[split].groupby("parcel_id")["category"].nunique(dropna=False)
    assert (cats == 1).all()  # a parcel's pieces share its category
    twice = pd.concat([pieces, pieces])
    with pytest.raises(lu.DuplicateIdError, match="parcel_id must be unique"):
        lu.classify(twice, as_of="2021-12-31")


def test_warnings_point_at_the_callers_line(parcels_from):
    rows = [{"approval_date": "2019-01-01"}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lu.classify(parcels_from(rows), as_of="2021-12-31")
    assert caught and {Path(w.filename) for w in caught} == {Path(__file__)}


# --- one meaning per keyword -------------------------------------------------------------------


def test_former_keyword_names_still_work_with_a_deprecation_warning(ledger, zones):
    classified = lu.add_areas(ledger)
    with pytest.warns(
        DeprecationWarning, match=r"progress\(end=...\) is now progress\(as_of=...\)"
    ):
        old = lu.progress(classified, end="2022-06-30")
    pd.testing.assert_frame_equal(old, lu.progress(classified, as_of="2022-06-30"))
    with pytest.warns(DeprecationWarning, match="min_piece_m2"):
        old_pieces = lu.assign_zones(ledger, zones, sliver_m2=1.0)
    new_pieces = lu.assign_zones(ledger, zones, min_piece_m2=1.0)
    assert len(old_pieces) == len(new_pieces)
    with pytest.raises(lu.InputError, match="give min_piece_m2= only"):
        lu.assign_zones(ledger, zones, sliver_m2=1.0, min_piece_m2=2.0)


def test_verbose_shows_stages_on_every_long_step(ledger, zones, capsys):
    measured = lu.add_areas(ledger, verbose=True)
    task_list = lu.classify(measured, as_of="2021-12-31", verbose=True)
    pieces = lu.assign_zones(task_list, zones, verbose=True)
    lu.disposal_rates(pieces, as_of="2022-06-30", verbose=True)
    shown = capsys.readouterr().err
    for step in ("add_areas", "classify", "assign_zones", "disposal_rates"):
        assert step in shown
