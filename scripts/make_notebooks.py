"""Write notebooks/*.ipynb from the cells below (outputs empty: CI executes them with nbmake).

Run:  python scripts/make_notebooks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _notebook_per_mu import PARKS_AND_PER_MU  # issue 13

OUT = Path(__file__).resolve().parent.parent / "notebooks"

QUICKSTART = [
    (
        "md",
        "# landuse 快速上手 · Quickstart\n\nBundled **synthetic** ledger for the Qingdao West Coast "
        "New Area → task list → disposal rates → map, in ten cells.",
    ),
    (
        "code",
        'import landuse as lu\n\npath = lu.datasets.get_path("west_coast")\n'
        "ledger = lu.read_parcels(path)\nzones = lu.read_zones(path)\nledger.head(3)",
    ),
    (
        "md",
        "The task list (任务清单) is fixed on a baseline date: `classify` applies the legal rules and "
        "says why in `reason`.",
    ),
    ("code", 'tasks = lu.classify(ledger, as_of="2021-12-31")\ntasks["category"].value_counts()'),
    (
        "code",
        'tasks.loc[tasks["category"].notna(), ["parcel_id", "name", "category", "reason"]].head()',
    ),
    (
        "code",
        "# 待核查: a rule applies but values it needs are missing (never called compliant).\n"
        "# Idle land brings a fee, recovery, or agreement where the government caused it.\n"
        'actions = lu.idle_actions(tasks, as_of="2022-06-30")\n'
        'checks = int(tasks["undetermined"].sum())\n'
        'print(checks, "parcels to check;", actions["action"].value_counts().to_dict())\n'
        "actions.head()",
    ),
    (
        "code",
        'pieces = lu.assign_zones(tasks, zones, columns=["functional_zone"])\n'
        'rates = lu.disposal_rates(pieces, by=["functional_zone", "zone"], as_of="2022-06-30", target=0.6)\n'
        "rates",
    ),
    (
        "code",
        'zone_rates = lu.disposal_rates(pieces, as_of="2022-06-30", target=0.6)\n'
        'lu.parcel_map(tasks, zones=zones, rates=zone_rates, as_of="2022-06-30", tiles=None, offline=True)',
    ),
    ("code", 'lu.plot_rates(zone_rates, title="各街道处置率（截至 2022-06-30）");'),
    ("code", "lu.check(ledger, zones=zones)"),
]

PILOT = [
    (
        "md",
        "# 海洋高新区试点 · The Marine High-tech Zone pilot\n\nThe seed article reports that in the pilot "
        "area **风河南片区** every category's disposal-task completion rate is above 60 %. The bundled "
        "data are synthetic but reproduce that story.",
    ),
    (
        "code",
        'import landuse as lu\n\npath = lu.datasets.get_path("west_coast")\n'
        'tasks = lu.classify(lu.read_parcels(path), as_of="2021-12-31")\n'
        'zones = lu.read_zones(path)\nrenewal = lu.read_zones(path, layer="renewal_zones")\nrenewal',
    ),
    ("md", "## The pilot area against the target"),
    (
        "code",
        'pilot = renewal[renewal["name"] == "风河南片区"]\n'
        'pilot_rates = lu.disposal_rates(lu.assign_zones(tasks, pilot), as_of="2022-06-30", target=0.6)\n'
        'pilot_rates.loc[["风河南片区"]]',
    ),
    ("code", 'assert (pilot_rates.loc["风河南片区", "rate"] > 0.6).all()'),
    ("md", "## Every renewal zone, and the two functional zones"),
    (
        "code",
        'by_renewal = lu.disposal_rates(lu.assign_zones(tasks, renewal), as_of="2022-06-30", target=0.6)\n'
        'lu.plot_rates(by_renewal.dropna(subset=["rate"]), title="城市更新片区处置率");',
    ),
    (
        "code",
        'marine = zones[zones["functional_zone"] == "青岛海洋高新区"]\n'
        'lu.parcel_map(tasks, zones=marine, renewal=renewal, as_of="2022-06-30", tiles=None, offline=True)',
    ),
    ("md", "## Progress through 2022"),
    (
        "code",
        "pieces = lu.assign_zones(tasks, renewal)\n"
        'table = lu.progress(pieces[pieces["zone"] == "风河南片区"])\n'
        'lu.plot_progress(table, target=0.6, target_date="2022-06-30", title="风河南片区累计处置进度");',
    ),
    (
        "code",
        "lu.plot_progress(\n"
        '    lu.progress(lu.assign_zones(tasks, zones, columns=["functional_zone"]), by="functional_zone"),\n'
        "    target=0.6,\n"
        '    target_date="2022-12-31",\n'
        ");",
    ),
]

LEDGER = [
    (
        "md",
        "# 导入自己的台账 · Bring your own ledger\n\nA bureau shapefile (GBK, no `.cpg`, no `.prj`, pinyin "
        "fields) and an Excel ledger with Chinese headers, made by `lu.datasets.make_messy_example`.",
    ),
    (
        "code",
        "import tempfile\nimport warnings\n\nimport landuse as lu\n\n"
        "shapefile, workbook = lu.datasets.make_messy_example(tempfile.mkdtemp())\n"
        "with warnings.catch_warnings(record=True) as said:\n"
        '    warnings.simplefilter("always")\n'
        '    shapes = lu.read_parcels(shapefile, fields="cn-ledger")\n'
        "for warning in said:\n    print(warning.message)\nshapes.crs",
    ),
    ("code", "ledger = lu.read_ledger(workbook)\nledger.head(3)"),
    (
        "code",
        'inventory, unmatched = lu.join_ledger(shapes[["parcel_id", "geometry"]], ledger)\nunmatched',
    ),
    ("md", "One ledger row is repeated: keep the first, join again, and check the result."),
    (
        "code",
        'ledger = ledger.drop_duplicates("parcel_id")\n'
        'inventory, unmatched = lu.join_ledger(shapes[["parcel_id", "geometry"]], ledger)\n'
        'print(len(inventory), "parcels joined;", len(unmatched), "ids without a partner")\n'
        "lu.check(inventory)",
    ),
    (
        "code",
        'tasks = lu.classify(inventory, as_of="2021-12-31")\n'
        'zones = lu.read_zones(lu.datasets.get_path("west_coast"))\n'
        'lu.disposal_rates(lu.assign_zones(tasks, zones), as_of="2022-06-30", target=0.6)',
    ),
]


def write(name: str, cells: list[tuple[str, str]]) -> None:
    notebook = new_notebook(
        cells=[new_markdown_cell(c) if kind == "md" else new_code_cell(c) for kind, c in cells]
    )
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, OUT / name)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write("01_quickstart.ipynb", QUICKSTART)
    write("02_marine_hightech_pilot.ipynb", PILOT)
    write("03_bring_your_own_ledger.ipynb", LEDGER)
    write("04_parks_and_per_mu.ipynb", PARKS_AND_PER_MU)
    print(f"wrote 4 notebooks to {OUT}")


if __name__ == "__main__":
    main()
