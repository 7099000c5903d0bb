"""pytest plugin for scripts/mutate.py: which tests reach which line of one module.

Loaded with ``-p scripts._mutation_cov`` and configured by the environment variable
``LANDUSE_MUTATION_COV`` (JSON: ``source`` file to measure, ``out`` file to write). Coverage
starts when the plugin is imported (before conftest imports the package), and each test runs
in its own coverage context named by its node id; lines run only at import time have the
empty context. Writes ``{"reach": {line: [node ids]}, "durations": {node id: s}}``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import coverage
import pytest

_CONFIG = json.loads(os.environ["LANDUSE_MUTATION_COV"])
_COV = coverage.Coverage(data_file=None, include=[_CONFIG["source"]], branch=False)
_COV.start()


_DURATIONS: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):  # type: ignore[no-untyped-def]
    _COV.switch_context(item.nodeid)
    started = time.perf_counter()
    yield
    _DURATIONS[item.nodeid] = time.perf_counter() - started
    _COV.switch_context("")


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    _COV.stop()
    data = _COV.get_data()
    reach: dict[int, list[str]] = {}
    for name in data.measured_files():
        if Path(name).resolve() == Path(_CONFIG["source"]).resolve():
            for line, contexts in data.contexts_by_lineno(name).items():
                reach[line] = sorted(c for c in contexts if c)
    out = {"reach": reach, "durations": _DURATIONS}
    Path(_CONFIG["out"]).write_text(json.dumps(out), encoding="utf-8")
