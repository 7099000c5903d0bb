"""Fork server for scripts/mutate.py: heavy imports once, one forked pytest per mutant.

Reads JSON requests (``{"args": [...], "timeout": s}``) on stdin, one per line; answers each
with the pytest exit code, or ``"timeout"``, on stdout. Runs with its scratch copy as the
working directory and on PYTHONPATH; the package under test is imported only in the child,
so every mutant is imported fresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time

import geopandas  # noqa: F401  (pre-imported: the point of the server)
import numpy  # noqa: F401
import pandas  # noqa: F401
import pyproj  # noqa: F401
import pytest
import shapely  # noqa: F401

with contextlib.suppress(ImportError):
    import hypothesis  # noqa: F401


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: run the tests, never return into the loop
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(null, 2)
                code = int(pytest.main(request["args"]))
            except BaseException:
                code = 99
            os._exit(code)
        deadline = time.monotonic() + float(request["timeout"])
        answer: object = None
        while answer is None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                answer = os.waitstatus_to_exitcode(status)
            elif time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                answer = "timeout"
            else:
                time.sleep(0.02)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
