"""A small AST mutation-testing driver for landuse (used by scripts/mutation.sh).

For each module named on the command line (``rules``, ``stats``, ...):

1. copies the package and the tests into a scratch folder and runs the module's own tests
   once under coverage, one coverage context per test, to learn which tests reach which line;
2. parses ``landuse/<module>.py`` and enumerates mutants at run time (no line numbers are
   stored anywhere): comparisons flipped, numeric and boolean constants shifted, ``and``/``or``
   and ``&``/``|`` swapped, ``is None``/``in`` negated, pandas/numpy calls swapped
   (``where``/``mask``, ``nunique``/``count``, ``any``/``all``, ``min``/``max``, ...), date
   offsets shifted by a day, statements (calls, assignments, returns, raises) replaced by
   ``pass``;
3. runs, for every mutant on a line some test reaches, only the tests reaching that line
   (``pytest -x -q -p no:cacheprovider``, slow families deselected) in a fresh process with
   a timeout, two at a time, each in its own copy of the package: the worktree is never
   touched;
4. prints per module: mutants, reached, killed, score = killed / (reached − listed
   equivalents), and the survivors (file:line, mutation).

Equivalent mutants (those that cannot change behaviour) are read from
``scripts/mutation_equivalent.txt``, one per line: ``landuse/stats.py:123:mutation — reason``.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "landuse"
EQUIVALENT_FILE = ROOT / "scripts" / "mutation_equivalent.txt"

# Extra test files per module, besides tests/test_<module>.py.
EXTRA_TESTS: dict[str, list[str]] = {
    "rules": ["tests/test_backends.py"],
    "stats": ["tests/test_backends.py"],
    "zones": ["tests/test_backends.py", "tests/test_parallel.py"],
    "areas": ["tests/test_backends.py", "tests/test_parallel.py"],
}

PYTEST_OPTS = ["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-m", "not slow"]
PYTEST_OPTS += ["--no-header", "-W", "ignore::pytest.PytestUnraisableExceptionWarning"]

COMPARE_SWAPS: dict[type, list[type]] = {
    ast.Lt: [ast.LtE],
    ast.LtE: [ast.Lt],
    ast.Gt: [ast.GtE],
    ast.GtE: [ast.Gt],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
}
OP_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.And: "and",
    ast.Or: "or",
}
# method / function names swapped for a sibling with the opposite meaning
CALL_SWAPS = {
    "where": "mask",
    "mask": "where",
    "nunique": "count",
    "any": "all",
    "all": "any",
    "min": "max",
    "max": "min",
    "argmax": "argmin",
    "argmin": "argmax",
    "notna": "isna",
    "isna": "notna",
    "intersection": "difference",
    "difference": "intersection",
    "floor": "ceil",
    "ceil": "floor",
    "union_all": "intersection_all",
}
DATE_OFFSETS = {"DateOffset", "Timedelta"}
SKIP_KEYWORDS = {"stacklevel"}  # where a warning points: not behaviour


@dataclass
class Mutant:
    module: str
    index: int  # position of the node in ast.walk order
    kind: str
    line: int
    end_line: int
    description: str
    arg: object = None

    @property
    def key(self) -> str:
        return f"{PACKAGE}/{self.module}.py:{self.line}:{self.description}"


# --- enumerating and applying mutations ------------------------------------------------------


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _skipped_ids(tree: ast.AST) -> set[int]:
    """Nodes never mutated: annotations, docstrings, imports, __all__, stacklevel=..."""
    skip: set[int] = set()

    def drop(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign):
            drop(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            drop(node.returns)
        if isinstance(node, ast.Import | ast.ImportFrom):
            drop(node)
        if isinstance(node, ast.keyword) and node.arg in SKIP_KEYWORDS:
            drop(node)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            drop(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            drop(node)
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            drop(body[0])
    return skip


def _names(target: ast.AST) -> set[str] | None:
    """Names a plain (tuple of) name target binds; None for subscripts and attributes."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        out: set[str] = set()
        for element in target.elts:
            names = _names(element.value if isinstance(element, ast.Starred) else element)
            if names is None:
                return None
            out |= names
        return out
    return None


def _deletable(tree: ast.AST) -> set[int]:
    """ids of statements inside a function body worth replacing by ``pass``.

    Module-level statements are not deleted, nor an assignment that is the only binding of
    its names in the function (deleting it can only raise NameError: no information).
    """
    inside: set[int] = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        bindings: dict[str, int] = {}
        for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs):
            bindings[a.arg] = bindings.get(a.arg, 0) + 1
        for node in ast.walk(func):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.NamedExpr):
                targets = [node.target]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                targets = [node.optional_vars]
            for target in targets:
                for name in _names(target) or ():
                    bindings[name] = bindings.get(name, 0) + 1
        for stmt in func.body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Assign):
                    names: set[str] = set()
                    plain = True
                    for target in node.targets:
                        found = _names(target)
                        if found is None:
                            plain = False
                        else:
                            names |= found
                    if plain and all(bindings.get(n, 0) <= 1 for n in names):
                        continue
                inside.add(id(node))
    return inside


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def enumerate_mutants(module: str, source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _skipped_ids(tree)
    in_function = _deletable(tree)
    parents = _parents(tree)
    out: list[Mutant] = []

    def add(index: int, node: ast.AST, kind: str, description: str, arg: object = None) -> None:
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        out.append(Mutant(module, index, kind, line, end, description, arg))

    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                for new in COMPARE_SWAPS.get(type(op), []):
                    desc = f"`{OP_SYMBOL[type(op)]}` -> `{OP_SYMBOL[new]}`"
                    add(index, node, "compare", desc, (k, new))
        elif isinstance(node, ast.BoolOp):
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            add(index, node, "boolop", f"`{OP_SYMBOL[type(node.op)]}` -> `{OP_SYMBOL[new]}`")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            new = ast.BitOr if isinstance(node.op, ast.BitAnd) else ast.BitAnd
            add(index, node, "bitop", f"`{OP_SYMBOL[type(node.op)]}` -> `{OP_SYMBOL[new]}`")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            add(index, node, "unary", f"`{symbol}` removed")
        elif isinstance(node, ast.Constant) and not isinstance(node.value, str | bytes):
            value = node.value
            parent = parents.get(id(node))
            if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub):
                continue  # -1 etc.: the literal is shifted through its UnaryOp below
            if isinstance(value, bool):
                add(index, node, "const", f"`{value}` -> `{not value}`", not value)
            elif isinstance(value, int):
                for new in (value + 1, value - 1) if value else (1,):
                    add(index, node, "const", f"`{value}` -> `{new}`", new)
            elif isinstance(value, float):
                new = value * 10 if value != 0 else 1.0
                add(index, node, "const", f"`{value!r}` -> `{new!r}`", new)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in CALL_SWAPS and (
                isinstance(node.func, ast.Attribute) or name in {"any", "all", "min", "max"}
            ):
                add(index, node, "call", f"`{name}` -> `{CALL_SWAPS[name]}`", CALL_SWAPS[name])
            if name in DATE_OFFSETS:
                for days in (1, -1):
                    add(index, node, "offset", f"`{name}(...)` shifted {days:+d} day", days)
        if isinstance(node, ast.Expr | ast.Assign | ast.AugAssign | ast.Return | ast.Raise) and (
            id(node) in in_function
        ):
            label = type(node).__name__.lower()
            if isinstance(node, ast.Expr):
                if not isinstance(node.value, ast.Call):
                    continue
                label = "call"
            add(index, node, "delete", f"{label} statement -> `pass`")
    return out


def apply(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    node = nodes[mutant.index]
    if mutant.kind == "compare":
        k, new = mutant.arg  # type: ignore[misc]
        node.ops[k] = new()  # type: ignore[attr-defined]
    elif mutant.kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()  # type: ignore[attr-defined]
    elif mutant.kind == "bitop":
        node.op = ast.BitOr() if isinstance(node.op, ast.BitAnd) else ast.BitAnd()  # type: ignore[attr-defined]
    elif mutant.kind == "unary":
        parent = _parents(tree)[id(node)]
        _replace_child(parent, node, node.operand)  # type: ignore[attr-defined]
    elif mutant.kind == "const":
        node.value = mutant.arg  # type: ignore[attr-defined]
    elif mutant.kind == "call":
        if isinstance(node.func, ast.Attribute):  # type: ignore[attr-defined]
            node.func.attr = mutant.arg  # type: ignore[attr-defined]
        else:
            node.func.id = mutant.arg  # type: ignore[attr-defined]
    elif mutant.kind == "offset":
        node.keywords.append(  # type: ignore[attr-defined]
            ast.keyword(arg="days", value=ast.Constant(mutant.arg))
        )
    elif mutant.kind == "delete":
        parent = _parents(tree)[id(node)]
        _replace_child(parent, node, ast.Pass())
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace_child(parent: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return
    raise RuntimeError("node not found under its parent")


# --- scratch copies, coverage and test runs --------------------------------------------------


def make_scratch(base: Path, tests: Path) -> Path:
    """A copy of the package and the tests, with the sample data linked."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / PACKAGE, base / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(tests, base / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", base / "pyproject.toml")
    (base / "data").symlink_to(ROOT / "data")
    (base / "scripts").mkdir()
    for helper in ("_mutation_cov.py", "_mutation_worker.py"):
        shutil.copy(ROOT / "scripts" / helper, base / "scripts" / helper)
    return base


class Worker:
    """A scratch copy of the package with its fork server (scripts/_mutation_worker.py)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.server: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "scripts/_mutation_worker.py"],
            cwd=self.base,
            env=env_for(self.base),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str], timeout: float) -> object:
        if self.server is None or self.server.poll() is not None:
            self.start()
        assert self.server is not None and self.server.stdin and self.server.stdout
        self.server.stdin.write(json.dumps({"args": args, "timeout": timeout}) + "\n")
        self.server.stdin.flush()
        return json.loads(self.server.stdout.readline())

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            assert self.server.stdin
            self.server.stdin.close()
            self.server.wait(timeout=30)


def env_for(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(base)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("CI", None)  # local run: service-backed tests skip instead of failing
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def test_files(module: str, base: Path) -> list[str]:
    files = [f"tests/test_{module}.py", *EXTRA_TESTS.get(module, [])]
    return [f for f in files if (base / f).exists()]


def measure_reach(
    module: str, base: Path
) -> tuple[dict[int, list[str]], dict[str, float], float, bool]:
    """{line: node ids reaching it}, {node id: seconds}, the clean run's time, and whether
    the clean run passed."""
    data = base / f".reach_{module}.json"
    env = env_for(base)
    env["LANDUSE_MUTATION_COV"] = json.dumps(
        {"source": str(base / PACKAGE / f"{module}.py"), "out": str(data)}
    )
    cmd = [sys.executable, "-m", "pytest", *PYTEST_OPTS, "-p", "scripts._mutation_cov"]
    cmd.remove("-x")
    started = time.monotonic()
    done = subprocess.run(
        [*cmd, *test_files(module, base)], cwd=base, env=env, capture_output=True, text=True
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    measured = json.loads(data.read_text())
    reach = {int(k): v for k, v in measured["reach"].items()}
    return reach, measured["durations"], elapsed, done.returncode == 0


def run_mutant(worker: Worker, module: str, code: str, tests: list[str], timeout: float) -> str:
    target = worker.base / PACKAGE / f"{module}.py"
    original = target.read_text(encoding="utf-8")
    target.write_text(code, encoding="utf-8")
    try:
        answer = worker.run([*PYTEST_OPTS, *tests], timeout)
    finally:
        target.write_text(original, encoding="utf-8")
    if answer == "timeout":
        return "timeout"
    if answer in (0, 5):  # passed, or no test selected: nothing caught it
        return "survived"
    return "killed"


def read_equivalent() -> dict[str, str]:
    out: dict[str, str] = {}
    if not EQUIVALENT_FILE.exists():
        return out
    for raw in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, reason = line.partition(" — ")
        if not sep:
            key, sep, reason = line.partition(" -- ")
        if sep and reason.strip():  # excluded only when a reason is given
            out[key.strip()] = reason.strip()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", help="module names under landuse/, e.g. stats")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run in parallel")
    parser.add_argument("--limit", type=int, default=None, help="at most N mutants per module")
    parser.add_argument(
        "--every", type=int, default=1, help="a sample: every k-th mutant (estimates the score)"
    )
    parser.add_argument(
        "--tests",
        default=str(ROOT / "tests"),
        help="the tests folder to run (e.g. an older version, for a before score)",
    )
    parser.add_argument("--lines", default=None, help="only mutants on lines A-B (or A)")
    parser.add_argument("--kinds", default=None, help="comma list: compare,const,call,delete…")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per mutant")
    parser.add_argument("--json", default=None, help="write the results to this file")
    parser.add_argument("--list", action="store_true", help="list mutants and exit")
    parser.add_argument(
        "--rerun",
        default=None,
        help="a --json file of an earlier run: run only its survivors (and the mutants it did "
        "not reach), count the rest killed",
    )
    parser.add_argument(
        "--rerun-tests", default=None, help="the tests folder the --rerun run used (if not saved)"
    )
    args = parser.parse_args(argv)

    equivalent = read_equivalent()
    started_all = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="landuse-mutation-"))
    workers: list[Worker] = []
    rerun: set[str] | None = None
    rerun_reached: set[str] | None = None
    earlier_tests = ""
    if args.rerun:  # mutants killed then stay killed: tests are only ever added
        earlier_run = json.loads(Path(args.rerun).read_text(encoding="utf-8"))
        earlier = earlier_run["modules"]
        rerun = {k for r in earlier.values() for k in (*r["survivors"], *r["equivalent"])}
        if all("reached_keys" in r for r in earlier.values()):
            rerun_reached = {k for r in earlier.values() for k in r["reached_keys"]}
        earlier_tests = args.rerun_tests or earlier_run.get("tests") or str(ROOT / "tests")
    results: dict[str, dict[str, object]] = {}
    try:
        workers = [
            Worker(make_scratch(scratch / f"w{i}", Path(args.tests)))
            for i in range(max(1, args.jobs))
        ]
        for module in args.modules:
            source = (ROOT / PACKAGE / f"{module}.py").read_text(encoding="utf-8")
            mutants = enumerate_mutants(module, source)
            if args.lines:
                a, _, b = args.lines.partition("-")
                lo, hi = int(a), int(b or a)
                mutants = [m for m in mutants if m.end_line >= lo and m.line <= hi]
            if args.kinds:
                kinds = set(args.kinds.split(","))
                mutants = [m for m in mutants if m.kind in kinds]
            mutants.sort(key=lambda m: (m.line, m.index, m.description))
            if args.every > 1:  # a systematic sample: every k-th mutant in line order
                mutants = mutants[:: args.every]
            if args.limit is not None:
                mutants = mutants[: args.limit]
            if args.list:
                for m in mutants:
                    print(f"{m.key}  [{m.kind}]")
                continue
            t0 = time.monotonic()
            reach, durations, clean_time, clean_ok = measure_reach(module, workers[0].base)
            if not clean_ok:
                print(f"{module}: the clean test run fails; fix that first", file=sys.stderr)
                return 2
            timeout = args.timeout or max(60.0, 4 * clean_time)
            reached: list[tuple[Mutant, list[str]]] = []
            # every test of the clean run (a test may use the module without running a line
            # of it, e.g. a frozen dataclass): import-time lines are reached by all of them
            every_test = sorted(set(durations) | {t for tests in reach.values() for t in tests})
            for m in mutants:
                tests: set[str] = set()
                hit = False
                for line in range(m.line, m.end_line + 1):
                    if line in reach:
                        hit = True
                        tests.update(reach[line] or every_test)
                if hit:
                    # import-time-only lines are reached by every test
                    # the quickest tests first: with -x a kill usually comes early
                    chosen = sorted(tests or every_test, key=lambda t: (durations.get(t, 0), t))
                    reached.append((m, chosen))
            if rerun is not None:  # only the survivors of an earlier run are run again
                # ... and the mutants that run did not reach (newly reached by added tests)
                if rerun_reached is not None:
                    fresh = {m.key for m, _ in reached} - rerun_reached
                else:  # an earlier run without its keys: measure what its tests reached
                    old_base = workers[-1].base
                    shutil.rmtree(old_base / "tests")
                    shutil.copytree(Path(earlier_tests), old_base / "tests")
                    old_reach, _, _, _ = measure_reach(module, old_base)
                    shutil.rmtree(old_base / "tests")
                    shutil.copytree(Path(args.tests), old_base / "tests")
                    fresh = {
                        m.key
                        for m, _ in reached
                        if not any(n in old_reach for n in range(m.line, m.end_line + 1))
                    }
                rerun_set = rerun | fresh
                print(f"  {module}: {len(fresh)} mutant(s) newly reached by the added tests")
                before_killed = [(m, "killed") for m, _ in reached if m.key not in rerun_set]
                # survivors listed as equivalent are not run again: they still survive
                before_killed += [
                    (m, "survived") for m, _ in reached if m.key in rerun and m.key in equivalent
                ]
                reached_all = reached
                reached = [
                    (m, t) for m, t in reached if m.key in rerun_set and m.key not in equivalent
                ]
            pool: queue.Queue[Worker] = queue.Queue()
            for w in workers:
                pool.put(w)

            def job(
                item: tuple[Mutant, list[str]],
                source: str = source,
                pool: queue.Queue[Worker] = pool,
                timeout: float = timeout,
            ) -> tuple[Mutant, str]:
                m, tests = item
                code = apply(source, m)
                worker = pool.get()
                try:
                    return m, run_mutant(worker, m.module, code, tests, timeout)
                finally:
                    pool.put(worker)

            outcomes: list[tuple[Mutant, str]] = []
            with concurrent.futures.ThreadPoolExecutor(len(workers)) as ex:
                for i, (m, outcome) in enumerate(ex.map(job, reached), 1):
                    outcomes.append((m, outcome))
                    if outcome == "survived":
                        print(f"  [{module} {i}/{len(reached)}] survived {m.key}", flush=True)
            if rerun is not None:
                outcomes = before_killed + outcomes
                reached = reached_all
            killed = sum(o != "survived" for _, o in outcomes)
            survivors = [m for m, o in outcomes if o == "survived"]
            eq = [m for m in survivors if m.key in equivalent]
            live = [m for m in survivors if m.key not in equivalent]
            denominator = len(reached) - len(eq)
            score = killed / denominator if denominator else float("nan")
            lines = source.splitlines()
            print(
                f"\n== {module}: {len(mutants)} mutants, {len(reached)} reached, "
                f"{killed} killed, {len(eq)} equivalent, score {score:.1%} "
                f"(clean run {clean_time:.0f}s, module {time.monotonic() - t0:.0f}s)"
            )
            for m in live:
                print(f"  SURVIVED {m.key}    | {lines[m.line - 1].strip()[:90]}")
            for m in eq:
                print(f"  equivalent {m.key} — {equivalent[m.key]}")
            results[module] = {
                "mutants": len(mutants),
                "reached": len(reached),
                "killed": killed,
                "equivalent": [m.key for m in eq],
                "score": score,
                "survivors": [m.key for m in live],
                "timeouts": sum(o == "timeout" for _, o in outcomes),
                "seconds": time.monotonic() - t0,
                "reached_keys": sorted({m.key for m, _ in reached}),
            }
            if args.json:  # after every module, so a long sweep leaves partial results
                Path(args.json).write_text(
                    json.dumps(
                        {
                            "seconds": time.monotonic() - started_all,
                            "tests": args.tests,
                            "modules": results,
                        }
                    )
                )
    finally:
        for worker in workers:
            worker.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    if args.list:
        return 0
    total = time.monotonic() - started_all
    print(f"\nmodule  mutants reached killed equivalent score   (total {total / 60:.1f} min)")
    for module, r in results.items():
        print(
            f"{module:<7} {r['mutants']:>7} {r['reached']:>7} {r['killed']:>6} "
            f"{len(r['equivalent']):>10} {r['score']:.1%}"
        )  # type: ignore[arg-type]
    if args.json:
        Path(args.json).write_text(
            json.dumps({"seconds": total, "tests": args.tests, "modules": results}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
