"""Graded enterprises seen from their parcels (for the rules and the maps).

A :func:`landuse.per_mu` table holds one row per enterprise; its ``land_by_parcel`` column maps
each parcel the enterprise uses to the land (亩) it holds there. A hand-made table with one
``parcel_id`` per enterprise (and optionally ``land_mu``) works too. Pure pandas: no other
module of the package is imported here, so the lowest layers may use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from landuse._errors import MissingColumnError

__all__ = ["DEFAULT_GRADES", "grade_shares", "land_table", "parcel_grade"]

#: Grades best first.
DEFAULT_GRADES: tuple[str, ...] = ("A", "B", "C", "D")


def land_table(graded: pd.DataFrame) -> pd.DataFrame:
    """One row per (enterprise, parcel): ``enterprise_id``, ``parcel_id``, ``land_mu``, ``grade``.

    ``land_mu`` is the enterprise's land on that parcel (missing when unknown).
    """
    if not isinstance(graded, pd.DataFrame):
        raise TypeError(f"expected a per_mu table (DataFrame), got {type(graded).__name__}")
    for column in ("enterprise_id", "grade"):
        if column not in graded.columns:
            raise MissingColumnError(
                f"the graded table has no {column!r} column; make it with lu.per_mu"
            )
    if "land_by_parcel" in graded.columns:
        ids: list[object] = []
        parcels: list[object] = []
        land: list[float] = []
        grade: list[object] = []
        for eid, mapping, g in zip(
            graded["enterprise_id"], graded["land_by_parcel"], graded["grade"], strict=True
        ):
            if not isinstance(mapping, dict):
                continue
            for pid, mu in mapping.items():
                ids.append(eid)
                parcels.append(pid)
                land.append(float(mu) if mu is not None and not pd.isna(mu) else np.nan)
                grade.append(g)
        return pd.DataFrame(
            {"enterprise_id": ids, "parcel_id": parcels, "land_mu": land, "grade": grade}
        )
    if "parcel_id" not in graded.columns:
        raise MissingColumnError(
            "the graded table needs land_by_parcel (as lu.per_mu makes it) or a parcel_id column"
        )
    rows = graded[graded["parcel_id"].notna()]
    land_mu = (
        pd.to_numeric(rows["land_mu"], errors="coerce")
        if "land_mu" in rows.columns
        else pd.Series(np.nan, index=rows.index)
    )
    return pd.DataFrame(
        {
            "enterprise_id": rows["enterprise_id"].to_numpy(),
            "parcel_id": rows["parcel_id"].astype(str).to_numpy(),
            "land_mu": land_mu.to_numpy(dtype=float),
            "grade": rows["grade"].to_numpy(),
        }
    )


def grade_shares(graded: pd.DataFrame, parcel_ids: pd.Series) -> pd.DataFrame:
    """Per parcel (aligned to ``parcel_ids``), the share of its enterprises' land per grade.

    Land-weighted; where the land of some enterprise on a parcel is unknown or zero, the
    enterprises on that parcel count equally. Parcels without enterprises get all zeros.
    """
    table = land_table(graded)
    table = table[table["grade"].notna()]
    grades = list(dict.fromkeys([*DEFAULT_GRADES, *map(str, table["grade"].unique())]))
    if table.empty:
        return pd.DataFrame(0.0, index=parcel_ids.index, columns=grades)
    known = table.groupby("parcel_id")["land_mu"].transform(
        lambda v: bool(v.notna().all() and (v > 0).all())
    )
    weight = table["land_mu"].where(known.astype(bool), 1.0).fillna(1.0)
    sums = (
        table.assign(weight=weight, grade=table["grade"].astype(str))
        .pivot_table(index="parcel_id", columns="grade", values="weight", aggfunc="sum")
        .reindex(columns=grades)
        .fillna(0.0)
    )
    shares = sums.div(sums.sum(axis=1), axis=0)
    out = shares.reindex(parcel_ids.astype(str).to_numpy()).fillna(0.0)
    out.index = parcel_ids.index
    return out


def parcel_grade(
    graded: pd.DataFrame, parcel_ids: pd.Series, order: Sequence[str] = DEFAULT_GRADES
) -> pd.DataFrame:
    """Per parcel: ``grade`` held by most of its enterprises' land (ties: the worse grade),
    ``enterprises`` on it, and ``d_share`` (land share of the worst grade in ``order``)."""
    shares = grade_shares(graded, parcel_ids)
    table = land_table(graded)
    counts = table.groupby("parcel_id")["enterprise_id"].nunique()
    columns = [g for g in shares.columns if g in order] + [
        g for g in shares.columns if g not in order
    ]
    ordered = shares[columns]
    values = ordered.to_numpy()
    has = values.sum(axis=1) > 0
    # the worse grade wins a tie: look from the worst end
    worst_first = values[:, ::-1]
    best = len(columns) - 1 - np.argmax(worst_first >= worst_first.max(axis=1, keepdims=True), 1)
    grade = pd.Series(np.asarray(columns, dtype=object)[best], index=parcel_ids.index)
    worst = order[-1]
    return pd.DataFrame(
        {
            "grade": grade.where(has, None),
            "enterprises": counts.reindex(parcel_ids.astype(str).to_numpy())
            .fillna(0)
            .astype(int)
            .to_numpy(),
            "d_share": (ordered[worst] if worst in ordered.columns else 0.0),
        },
        index=parcel_ids.index,
    )
