"""Progress bars for the slow steps (``verbose=True``): tqdm's, notebook-aware."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["stages"]


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
