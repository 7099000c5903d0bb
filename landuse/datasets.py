"""Bundled sample data."""

from __future__ import annotations

from pathlib import Path

__all__ = ["available", "get_path"]

_FILES = {"west_coast": "west_coast.gpkg"}

# Installed wheels carry the data inside the package; a source checkout keeps it in data/geo.
_SEARCH = (
    Path(__file__).parent / "_data" / "geo",
    Path(__file__).resolve().parent.parent / "data" / "geo",
)


def available() -> list[str]:
    """Names of the bundled data sets.

    Examples
    --------
    >>> available()
    ['west_coast']
    """
    return sorted(_FILES)


def get_path(name: str) -> Path:
    """Path of a bundled data set.

    ``"west_coast"`` is a **synthetic** parcel inventory placed on the real Qingdao West Coast
    New Area (黄岛区): a GeoPackage in CGCS2000 (EPSG:4490) with layers ``parcels``
    (the 2021-12-31 task list with its ledger through 2022), ``zones`` (streets and parks of
    the two functional zones) and ``renewal_zones`` (城市更新片区 and the pilot area 风河南片区).

    Examples
    --------
    >>> get_path("west_coast").name
    'west_coast.gpkg'
    """
    try:
        filename = _FILES[name]
    except KeyError:
        raise ValueError(
            f"unknown data set {name!r}; available: {', '.join(available())}"
        ) from None
    for folder in _SEARCH:
        path = folder / filename
        if path.exists():
            return path
    raise FileNotFoundError(f"{filename} is missing from the installation (looked in {_SEARCH})")
