"""Exceptions raised for bad input.

Every error is a :class:`ValueError` subclass whose message names the problem and,
where rows are at fault, up to a few of their ``parcel_id`` values.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "DateOrderError",
    "DisposalMethodError",
    "DuplicateIdError",
    "GeometryError",
    "InputError",
    "MissingCRSError",
    "MissingColumnError",
    "SourceError",
    "UnknownCategoryError",
    "ZoneError",
    "renamed",
    "warn",
]

MAX_IDS_SHOWN = 5
_PACKAGE = str(Path(__file__).resolve().parent)


def warn(message: str, category: type[Warning]) -> None:
    """Warn, attributed to the first caller outside ``landuse``: the user's line.

    However deep the call (a public function, its backend, a rule), the warning points at the
    notebook cell or script that made the call, and Python's default filter shows it once there.
    """
    level, frame = 2, sys._getframe(1)
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    warnings.warn(message, category, stacklevel=level)


def format_ids(ids: Iterable[object], limit: int = MAX_IDS_SHOWN) -> str:
    """Return ``'A, B, C and 7 more'`` for an error message."""
    shown = [str(i) for i in ids]
    extra = len(shown) - limit
    head = ", ".join(shown[:limit])
    return f"{head} and {extra} more" if extra > 0 else head


class InputError(ValueError):
    """Base class for every bad-input error of :mod:`landuse`.

    Attributes
    ----------
    rows : list
        The ``parcel_id`` values (or zone names) at fault; empty when the problem is not per row.
    """

    def __init__(self, problem: str, rows: Iterable[object] = ()) -> None:
        self.rows = list(rows)
        message = problem if not self.rows else f"{problem}: {format_ids(self.rows)}"
        super().__init__(message)


class MissingCRSError(InputError):
    """The GeoDataFrame has no coordinate reference system."""


class MissingColumnError(InputError):
    """A column the function needs is absent."""


class GeometryError(InputError):
    """Geometries are missing, empty or not polygonal."""


class DuplicateIdError(InputError):
    """The same ``parcel_id`` occurs on more than one row."""


class UnknownCategoryError(InputError):
    """A ``category`` value is not one of the three canonical categories."""


class DisposalMethodError(InputError):
    """A disposal method is unknown for its category, or has no date."""


class DateOrderError(InputError):
    """Ledger dates contradict each other (e.g. a disposal before the approval)."""


class ZoneError(InputError):
    """Zones are unusable: no names, duplicate names, or overlapping polygons."""


class SourceError(InputError):
    """A file or folder cannot be read: empty, truncated, not the format its name says, a
    shapefile without its ``.dbf``, or a layer the file does not have."""


def renamed(
    function: str,
    old: str,
    old_value: Any,
    new: str,
    new_value: Any,
    new_default: Any = None,
) -> Any:
    """The value of keyword ``new``, taking it from its former name ``old`` with a warning.

    ``old_value`` is ``None`` when the caller did not use the old name. Old names keep working
    for one release with a :class:`DeprecationWarning`; giving both is an error.
    """
    if old_value is None:
        return new_value
    if new_value is not new_default and new_value != new_default:
        raise InputError(f"{function}: give {new}= only ({old}= is its former name)")
    warn(
        f"{function}({old}=...) is now {function}({new}=...); {old}= goes in the next release",
        DeprecationWarning,
    )
    return old_value
