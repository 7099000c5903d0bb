"""Progress bars for the slow steps (``verbose=True``): tqdm's, notebook-aware."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["Steps", "stages"]


class _Stages:
    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def __call__(self, name: str) -> None:
        """Mark the start of the next stage."""
        self.bar.set_postfix_str(name, refresh=False)
        self.bar.update(1)


@contextmanager
def stages(description: str, total: int, *, verbose: bool) -> Iterator[_Stages]:
    """A bar of ``total`` named stages; silent unless ``verbose``."""
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=description, disable=not verbose, leave=False, unit="step")
    try:
        yield _Stages(bar)
    finally:
        bar.close()


class Steps:
    """A bar over the named steps of a command-line job, on stderr (stdout stays a clean table)."""

    def __init__(self, names: Sequence[str], *, quiet: bool) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(
            total=len(names),
            disable=quiet,
            file=sys.stderr,
            unit="step",
            bar_format="{desc:<28}{bar:20} {n_fmt}/{total_fmt} [{elapsed}]",
        )

    def run(self, name: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self.bar.set_description(name)
        result = func(*args, **kwargs)
        self.bar.update()
        return result

    def close(self) -> None:
        self.bar.close()
