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
        "New Area → task list → disposal rates → map, in {cells} cells.",
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
        "# mid-cell, a table shows only through display(); the cell's last value shows by itself\n"
        'display(lu.display_rates(rates, lang="en").head(4))  # English labels, rounded\n'
        "rates  # labels, 亩 to 0.1, rates in %, the 达标 column marked",
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
        'lu.display_rates(pilot_rates.loc[["风河南片区"]])',
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

FIELD = [
    (
        "md",
        "# 现状调查与城市更新 · Field survey and renewal zones\n\nThe pilot sent 60+ staff in ~30 "
        "paired groups to survey the land of **风河南片区** one parcel at a time. Plan 30 balanced, "
        "compact work packages, print a map and a checklist per team, read the filled checklists "
        "back, and follow every renewal zone's stage. (Synthetic sample data.)",
    ),
    (
        "code",
        "import tempfile\nfrom pathlib import Path\n\nimport landuse as lu\n\n"
        'path = lu.datasets.get_path("west_coast")\n'
        'tasks = lu.classify(lu.read_parcels(path), as_of="2021-12-31")\n'
        'renewal = lu.read_zones(path, layer="renewal_zones")\n'
        'pilot = renewal[renewal["name"] == "风河南片区"]\n'
        'inside = lu.assign_zones(tasks, pilot, how="largest")\n'
        'candidates = inside[inside["zone"].notna()].drop(columns="zone")\n'
        "len(candidates)",
    ),
    ("md", "## 1 · Thirty work packages"),
    (
        "code",
        "plan = lu.work_packages(candidates, 30, seed=0)\n"
        'plan["package"].value_counts().describe()',
    ),
    (
        "md",
        "Balance and compactness next to plain k-means (compact, unbalanced) and a cut of the "
        "Hilbert curve into equal runs (balanced, interleaved):",
    ),
    (
        "code",
        "import numpy as np\nimport pandas as pd\nfrom sklearn.cluster import KMeans\n\n"
        "from landuse.survey import _projected_points, package_quality\n\n"
        "xy = _projected_points(candidates)\n"
        "kmeans = candidates.assign(package=KMeans(30, n_init=1, random_state=0).fit(xy).labels_)\n"
        'rank = np.argsort(np.argsort(candidates.hilbert_distance().to_numpy(), kind="stable"))\n'
        "hilbert = candidates.assign(package=rank * 30 // len(candidates))\n"
        "pd.DataFrame({name: package_quality(frame) for name, frame in "
        '[("work_packages", plan), ("k-means", kmeans), ("Hilbert cut", hilbert)]}).T.round(3)',
    ),
    (
        "code",
        'lu.parcel_map(plan, renewal=renewal, packages=True, as_of="2022-06-30", tiles=None, '
        "offline=True)",
    ),
    ("md", "## 2 · A map and a checklist per team (two packages here)"),
    (
        "code",
        "folder = Path(tempfile.mkdtemp())\n"
        "files = lu.survey_sheets(plan, folder, context=tasks, packages=[1, 2])\n"
        "[f.name for f in files]",
    ),
    (
        "md",
        "A team fills in package 1: one parcel measured at FAR 0.45 and not in production, "
        "one in use as industry.",
    ),
    (
        "code",
        "import openpyxl\n\n"
        'book = openpyxl.load_workbook(folder / "package_01.xlsx")\nsheet = book.active\n'
        "header = [cell.value for cell in sheet[1]]\n"
        "def put(row, column, value):\n"
        "    sheet.cell(row, header.index(column) + 1).value = value\n\n"
        'put(2, "实测容积率", 0.45); put(2, "是否在产", "否"); put(2, "调查人", "张三")\n'
        'put(3, "现状用途", "工业"); put(3, "是否在产", "是"); put(3, "建筑面积", 18000)\n'
        'book.save(folder / "package_01.xlsx")',
    ),
    ("md", "## 3 · Results back"),
    (
        "code",
        'survey = lu.read_survey(folder)\nsurvey[survey["surveyed"]]',
    ),
    ("code", "lu.survey_progress(plan, survey).head()"),
    (
        "code",
        "updated = lu.apply_survey(plan, survey)\n"
        'again = lu.classify(updated, as_of="2021-12-31")\n'
        'again.loc[updated["surveyed"], ["parcel_id", "far", "category", "reason"]]',
    ),
    ("md", "## 4 · Renewal zones by stage"),
    (
        "code",
        'stages = lu.renewal_progress(renewal, tasks, as_of="2022-06-30")\n'
        'stages.round({c: 2 for c in stages.select_dtypes("float").columns})',
    ),
    ("code", 'lu.plot_renewal(renewal, as_of="2022-06-30");'),
]


_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def write(name: str, cells: list[tuple[str, str]]) -> None:
    # "in {cells} cells": the count the text claims is the count the notebook has
    count = _NUMBERS[len(cells)] if len(cells) < len(_NUMBERS) else str(len(cells))
    cells = [(kind, text.replace("{cells}", count)) for kind, text in cells]
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
    write("05_field_survey_and_renewal.ipynb", FIELD)
    print(f"wrote {len(list(OUT.glob('*.ipynb')))} notebooks to {OUT}")


if __name__ == "__main__":
    main()
