"""What every backend shares: refusing options that do not apply to it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from landuse._errors import InputError

__all__ = ["only"]


def only(options: Mapping[str, Any], allowed: Iterable[str], *, step: str, where: str) -> None:
    """Refuse options a backend cannot honour instead of silently ignoring them.

    ``options`` holds only what the caller gave (the public functions drop unset options).
    """
    extra = sorted(set(options) - set(allowed))
    if extra:
        named = ", ".join(f"{name}=" for name in extra)
        raise InputError(f"{step}: {named} does not apply to {where}")
