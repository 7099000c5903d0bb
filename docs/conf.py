"""Sphinx configuration of the landuse documentation (built by scripts/build_docs.sh)."""

from __future__ import annotations

import inspect
import shutil
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import landuse  # noqa: E402

project = "landuse"
author = "landuse developers"
copyright = "landuse developers, MIT licence"
release = version = landuse.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
    "sphinx_copybutton",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# The notebooks are run at build time, on the bundled sample, with their outputs shown.
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_merge_streams = True

autosummary_generate = True
autodoc_typehints = "none"  # numpydoc shows the types from the docstrings
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = "landuse"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "github_url": None,
}
html_static_path: list[str] = []


def _copy_notebooks() -> None:
    """The notebooks live in ../notebooks (run by CI there); the site renders copies."""
    target = HERE / "notebooks"
    target.mkdir(exist_ok=True)
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copyfile(notebook, target / notebook.name)


def _write_api_page() -> None:
    """One section per module, from ``landuse.__all__``: new public names appear by themselves."""
    sections: dict[str, list[str]] = defaultdict(list)
    modules: list[str] = []
    for name in landuse.__all__:
        obj = getattr(landuse, name)
        if inspect.ismodule(obj):
            modules.append(name)
        elif inspect.isfunction(obj) or inspect.isclass(obj):
            section = obj.__module__.removeprefix("landuse.").lstrip("_")
            sections[section].append(name)
    lines = [
        "API reference",
        "=============",
        "",
        "Everything below is available from the package root: ``import landuse as lu``.",
        "",
    ]
    for section in sorted(sections):
        lines += [
            f"``{section}``",
            "-" * (len(section) + 4),
            "",
            ".. currentmodule:: landuse",
            "",
            ".. autosummary::",
            "   :toctree: generated",
            "",
        ]
        lines += [f"   {name}" for name in sorted(sections[section])]
        lines.append("")
    for module in sorted(modules):
        lines += [
            f"``lu.{module}``",
            "-" * (len(module) + 7),
            "",
            f".. automodule:: landuse.{module}",
            "   :members:",
            "",
        ]
    (HERE / "api.rst").write_text("\n".join(lines), encoding="utf-8")


_copy_notebooks()
_write_api_page()
