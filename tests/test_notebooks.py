"""The notebooks are committed without outputs (CI runs them with nbmake)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_the_notebooks_exist():
    assert {
        "01_quickstart.ipynb",
        "02_marine_hightech_pilot.ipynb",
        "03_bring_your_own_ledger.ipynb",
        "04_parks_and_per_mu.ipynb",
        "05_field_survey_and_renewal.ipynb",
    } <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_outputs_are_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    if path.name.startswith("01"):
        assert len(notebook.cells) <= 10


_WORDS = [
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


def test_cell_counts_in_the_text_are_true():
    import re

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        for claim in re.findall(r"in (\w+) cells", text):
            assert claim in (_WORDS[len(notebook.cells)], str(len(notebook.cells))), path.name
        for claim in re.findall(rf"{path.name}`?[^`]*?in (\w+) cells", readme):
            assert claim in (_WORDS[len(notebook.cells)], str(len(notebook.cells))), path.name


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_warnings_and_formatted_numbers_in_executed_cells(path):
    """What a reader sees: no TqdmWarning (ipywidgets is in the notebook extra), no stderr,
    and rates tables without 6-decimal floats such as 1418.700000."""
    import re

    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute(cwd=str(path.parent))
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == "stream":
                assert output.name != "stderr", (path.name, cell.source[:60], output.text[:300])
            html = output.get("data", {}).get("text/html", "")
            if "处置率" in html or "Rate" in html:
                assert not re.search(r">\s*-?[\d,]+\.\d{4,}\s*<", html), (path.name, cell.source)
