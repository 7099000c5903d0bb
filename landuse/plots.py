"""Static maps for reports and print (matplotlib, imported only when called)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._errors import InputError, MissingColumnError, warn
from landuse._style import CATEGORY_COLORS, RATE_BINS, RENEWAL_COLOR, rate_fill
from landuse._validate import require_crs, require_finite
from landuse.areas import area_crs
from landuse.stats import disposed_by
from landuse.vocab import CATEGORIES, CHART_WORDS, Lang, category_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["cjk_font", "plot_parcels", "plot_progress", "plot_rates", "plot_renewal"]

#: Fonts with Chinese glyphs, in order of preference (Linux, Windows, macOS).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)


def cjk_font() -> str | None:
    """Name of an installed font that renders Chinese, or ``None``."""
    try:
        from matplotlib import font_manager
    except ImportError:
        raise ImportError(
            "charts and static maps need matplotlib: pip install 'landuse[plot]'"
        ) from None

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _language(lang: Lang) -> tuple[Lang, str | None]:
    if lang not in CHART_WORDS:
        raise InputError(f"lang must be 'zh' or 'en', not {lang!r}")
    font = cjk_font()
    if lang == "zh" and font is None:
        warn(
            "no font with Chinese glyphs is installed (e.g. Debian's fonts-noto-cjk): "
            "labels fall back to English",
            UserWarning,
        )
        return "en", None
    return lang, font


@contextmanager
def _figure(ax: Axes | None, figsize: tuple[float, float], font: str | None) -> Iterator[Any]:
    """A figure (or the given axes) drawn with the CJK font, when there is one."""
    import matplotlib.pyplot as plt
    from matplotlib import rc_context

    families = [font, "sans-serif"] if font else ["sans-serif"]
    # text.parse_math off: a zone named "$\\x$" is a name, not mathtext to parse
    with rc_context(
        {"font.family": families, "axes.unicode_minus": False, "text.parse_math": False}
    ):
        if ax is None:
            fig, ax = plt.subplots(figsize=figsize)
        else:
            fig = cast("Figure", ax.get_figure())
        yield fig, ax


def _nice_length(width_m: float) -> float:
    """A round scale-bar length near a fifth of the map width: 1, 2 or 5 × 10^k metres."""
    target = width_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(step * power for step in (1, 2, 5) if step * power <= target))


def _scale_bar(ax: Axes) -> None:
    from matplotlib import patheffects

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom = x1 - (x1 - x0) * 0.05 - length, y0 + (y1 - y0) * 0.05
    ax.plot(
        [left, left + length],
        [bottom, bottom],
        color="black",
        linewidth=3,
        solid_capstyle="butt",
        zorder=10,
    )
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(
        left + length / 2,
        bottom + (y1 - y0) * 0.012,
        label,
        ha="center",
        va="bottom",
        fontsize=9,
        zorder=10,
        path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
    )


def _north_arrow(ax: Axes, word: str) -> None:
    ax.annotate(
        word,
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5},
    )


def plot_parcels(
    parcels: gpd.GeoDataFrame,
    *,
    zones: gpd.GeoDataFrame | None = None,
    renewal: gpd.GeoDataFrame | None = None,
    rates: pd.DataFrame | None = None,
    as_of: Any = None,
    context: bool = True,
    rate_category: str = "all",
    rate_bins: Sequence[float] = RATE_BINS,
    title: str | None = None,
    ax: Axes | None = None,
    figsize: tuple[float, float] = (12, 8),
    lang: Lang = "zh",
) -> Figure:
    """A static map of the same content as :func:`landuse.parcel_map`, for reports and print.

    Parcels by category (disposed ones hatched), zones as a disposal-rate choropleth, renewal
    zones outlined and labelled, a legend, a scale bar and a north arrow; drawn in the
    Gauss-Krüger CRS of :func:`landuse.area_crs` so distances read true.

    Chinese labels need a CJK font (Debian: ``fonts-noto-cjk``); without one the labels fall
    back to English with a warning.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> fig = lu.plot_parcels(lu.read_parcels(path), zones=lu.read_zones(path), lang="en")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:3]
    ['Approved, unsupplied', 'Supplied, unused (idle)', 'Low-efficiency']
    """
    from matplotlib import patheffects
    from matplotlib.patches import Patch

    require_crs(parcels)
    require_finite(parcels)
    if len(parcels) == 0:
        raise InputError("parcels is empty: nothing to plot")
    if "category" not in parcels.columns:
        raise MissingColumnError("parcels need a category column; derive it with lu.classify")
    lang, font = _language(lang)
    words = CHART_WORDS[lang]
    crs = area_crs(parcels)
    projected = parcels.to_crs(crs)
    disposed = disposed_by(projected, as_of)

    with _figure(ax, figsize, font) as (fig, ax):
        handles: list[Any] = []
        if zones is not None:
            handles += _plot_zones(ax, zones.to_crs(crs), rates, rate_category, rate_bins, lang)
        if context and projected["category"].isna().any():
            projected[projected["category"].isna()].plot(
                ax=ax, color="#e3e3e3", edgecolor="#bdbdbd", linewidth=0.2
            )
            handles.insert(
                0, Patch(facecolor="#e3e3e3", edgecolor="#bdbdbd", label=words["context"])
            )
        for category in reversed(CATEGORIES):
            color = CATEGORY_COLORS[category]
            rows = projected["category"] == category
            if not rows.any():
                continue
            pending, done = projected[rows & ~disposed], projected[rows & disposed]
            if len(pending):
                pending.plot(ax=ax, color=color, edgecolor="#333333", linewidth=0.2)
            if len(done):
                done.plot(ax=ax, facecolor="white", edgecolor=color, hatch="////", linewidth=0.4)
            handles.insert(
                0, Patch(facecolor=color, edgecolor="#333333", label=category_label(category, lang))
            )
        if disposed.any():
            order = sum(
                isinstance(h, Patch)
                and h.get_label() in {category_label(c, lang) for c in CATEGORIES}
                for h in handles
            )
            handles.insert(
                order,
                Patch(
                    facecolor="white", edgecolor="#555555", hatch="////", label=words["disposed"]
                ),
            )
        if renewal is not None:
            outlines = renewal.to_crs(crs)
            outlines.boundary.plot(ax=ax, color=RENEWAL_COLOR, linewidth=1.6, linestyle="--")
            for name, point in zip(outlines["name"], outlines.representative_point(), strict=True):
                ax.text(
                    point.x,
                    point.y,
                    str(name),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="#4a2475",
                    fontweight="bold",
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
                )
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=RENEWAL_COLOR,
                    linestyle="--",
                    label=words["renewal"],
                )
            )
        minx, miny, maxx, maxy = projected.total_bounds
        pad = max(maxx - minx, maxy - miny) * 0.04
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)
        if zones is not None and "name" in zones.columns and len(zones):
            _label_zones(ax, zones.to_crs(crs), (minx - pad, miny - pad, maxx + pad, maxy + pad))
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False
        )
        _scale_bar(ax)
        _north_arrow(ax, words["north"])
        if title:
            ax.set_title(title, fontsize=14)
        fig.tight_layout()
    return cast("Figure", fig)


def _label_zones(ax: Axes, zones: gpd.GeoDataFrame, view: tuple[float, ...]) -> None:
    """Each zone's name inside the part of it that is in view (the map is cut to the parcels)."""
    import shapely
    from matplotlib import patheffects

    box = shapely.box(*view)
    for name, shape in zip(zones["name"], zones.geometry, strict=True):
        if shape is None or name is None or (isinstance(name, float) and name != name):
            continue
        seen = shapely.intersection(shape, box)
        if seen.is_empty or seen.area < box.area * 0.004:
            continue
        point = seen.representative_point()
        ax.text(
            point.x,
            point.y,
            str(name),
            ha="center",
            va="center",
            fontsize=10,
            color="#2c3e50",
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
        )


def _plot_zones(
    ax: Axes,
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame | None,
    rate_category: str,
    rate_bins: Sequence[float],
    lang: Lang,
) -> list[Any]:
    from matplotlib.patches import Patch

    words = CHART_WORDS[lang]
    if rates is None:
        zones.boundary.plot(ax=ax, color="#333333", linewidth=1.2)
        return []
    if "category" not in rates.index.names or rates.index.nlevels != 2:
        raise InputError("rates must be a disposal_rates(..., by='zone') table (one area level)")
    rate = (
        pd.DataFrame(rates.xs(rate_category, level="category"))["rate"]
        .reindex(zones["name"].to_numpy())
        .to_numpy(dtype=float)
    )
    bins = list(rate_bins)
    classed, colors = rate_fill(rate, bins)
    fill = [color or "#ffffff" for color in classed]
    zones.plot(ax=ax, color=fill, alpha=0.6, edgecolor="none")
    zones.boundary.plot(ax=ax, color="#333333", linewidth=1.2)
    lower = [0.0, *bins[:-1]]
    label = (
        f"{words['rate']}（{category_label(rate_category, lang)}）"
        if lang == "zh"
        else (f"{words['rate']} ({category_label(rate_category, lang)})")
    )
    handles = [Patch(facecolor="none", edgecolor="none", label=label)]
    handles += [
        Patch(facecolor=c, alpha=0.6, edgecolor="#333333", label=f"{lo:.0%} – {hi:.0%}")
        for lo, hi, c in zip(lower, bins, colors, strict=True)
    ]
    return handles


def _area_labels(index: pd.Index, lang: Lang) -> list[str]:
    outside = "（区外）" if lang == "zh" else "(outside)"
    return [
        " / ".join(
            outside if v is None or v != v else str(v)
            for v in (key if isinstance(key, tuple) else (key,))
        )
        for key in index
    ]


def plot_rates(
    rates: pd.DataFrame,
    *,
    target: float | None = None,
    categories: Sequence[str] = CATEGORIES,
    ax: Axes | None = None,
    figsize: tuple[float, float] = (11, 5),
    title: str | None = None,
    lang: Lang = "zh",
) -> Figure:
    """Disposal rates per area and category as grouped bars, with the target as a line.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> pieces = lu.assign_zones(lu.read_parcels(path), lu.read_zones(path))
    >>> fig = lu.plot_rates(lu.disposal_rates(pieces, as_of="2022-06-30"), target=0.6, lang="en")
    >>> len(fig.axes[0].patches)  # 8 streets x 3 categories
    24
    """
    from matplotlib.ticker import PercentFormatter

    if "category" not in rates.index.names:
        raise InputError("rates must be a disposal_rates(...) table")
    lang, font = _language(lang)
    if target is None and "target" in rates.columns:
        target = float(rates["target"].iloc[0])
    wide = rates["rate"].unstack("category")
    areas = wide.index
    with _figure(ax, figsize, font) as (fig, ax):
        width = 0.8 / max(len(categories), 1)
        x = np.arange(len(areas))
        for i, category in enumerate(categories):
            values = (
                wide[category].to_numpy(dtype=float)
                if category in wide
                else np.full(len(x), np.nan)
            )
            ax.bar(
                x + (i - (len(categories) - 1) / 2) * width,
                np.nan_to_num(values),
                width,
                color=CATEGORY_COLORS.get(category, "#777777"),
                label=category_label(category, lang),
            )
        if target is not None:
            words = "目标" if lang == "zh" else "target"
            ax.axhline(
                target,
                color="#c0392b",
                linestyle="--",
                linewidth=1.5,
                label=f"{words} {target:.0%}",
            )
        ax.set_xticks(
            x,
            _area_labels(areas, lang),
            rotation=30 if len(x) > 6 else 0,
            ha="right" if len(x) > 6 else "center",
        )
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("处置率（按面积）" if lang == "zh" else "Disposal rate (by area)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return cast("Figure", fig)


def plot_progress(
    table: pd.DataFrame,
    *,
    target: float | None = None,
    target_date: Any = None,
    category: str = "all",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (10, 5),
    title: str | None = None,
    lang: Lang = "zh",
) -> Figure:
    """Cumulative disposed share by period (from :func:`landuse.progress`) against the target path.

    The target path rises in a straight line from zero at the first period to ``target`` at
    ``target_date`` (default: the last period). One line per area when the table has areas.

    Examples
    --------
    >>> import landuse as lu
    >>> ledger = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> fig = lu.plot_progress(lu.progress(ledger), target=0.6, lang="en")
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['All', 'target path']
    """
    from matplotlib.ticker import PercentFormatter

    if "period" not in table.index.names or "category" not in table.index.names:
        raise InputError("table must come from lu.progress(...)")
    lang, font = _language(lang)
    subset = table.xs(category, level="category")["rate"]
    areas = [n for n in subset.index.names if n != "period"]
    with _figure(ax, figsize, font) as (fig, ax):
        if areas:
            for key, series in subset.groupby(level=areas, sort=False):
                label = _area_labels(pd.Index([key]), lang)[0]
                periods = pd.PeriodIndex(series.index.get_level_values("period"))
                ax.plot(
                    periods.to_timestamp(), series.to_numpy(), marker="o", markersize=3, label=label
                )
        else:
            ax.plot(
                pd.PeriodIndex(subset.index).to_timestamp(),
                subset.to_numpy(),
                marker="o",
                markersize=4,
                color="#0072B2",
                label=category_label(category, lang),
            )
        periods = pd.PeriodIndex(subset.index.get_level_values("period").unique()).sort_values()
        if target is not None:
            start = periods[0].to_timestamp()
            stop = (
                pd.Timestamp(target_date) if target_date is not None else periods[-1].to_timestamp()
            )
            words = "目标进度" if lang == "zh" else "target path"
            ax.plot(
                pd.DatetimeIndex([start, stop]),
                [0, target],
                color="#c0392b",
                linestyle="--",
                label=words,
            )
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1.05)
        ax.set_ylabel(
            "累计处置率（按面积）" if lang == "zh" else "Cumulative disposal rate (by area)"
        )
        ax.legend(loc="upper left", frameon=False)
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(title)
        fig.autofmt_xdate()
        fig.tight_layout()
    return cast("Figure", fig)


def plot_renewal(
    renewal: pd.DataFrame,
    *,
    as_of: Any,
    ax: Axes | None = None,
    figsize: tuple[float, float] = (11, 4.5),
    title: str | None = None,
    lang: Lang = "zh",
) -> Figure:
    """A timeline of the renewal zones' stages: one bar per zone, a segment per stage.

    Each stage runs from its ``<stage>_date`` to the next stage's date (or ``as_of``); the
    zone's ``target_date`` is a red tick, ``as_of`` a dashed line. Zones past their target and
    not complete are marked overdue.

    Examples
    --------
    >>> import landuse as lu
    >>> renewal = lu.read_zones(lu.datasets.get_path("west_coast"), layer="renewal_zones")
    >>> fig = lu.plot_renewal(renewal, as_of="2022-06-30", lang="en")
    >>> len(fig.axes[0].get_yticklabels()) == len(renewal)
    True
    """
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    from landuse._style import STAGE_COLORS
    from landuse.renewal import STAGE_DATE_COLUMNS, _stage_dates, renewal_stages
    from landuse.vocab import STAGES, stage_label

    lang, font = _language(lang)
    day = pd.Timestamp(as_of)
    stages = renewal_stages(renewal, as_of=day)
    dates = _stage_dates(renewal)
    names = [str(n) for n in renewal["name"]]
    with _figure(ax, figsize, font) as (fig, ax):
        for row, (_, zone) in enumerate(dates.iterrows()):
            y = len(names) - 1 - row
            starts = [zone[c] for c in STAGE_DATE_COLUMNS]
            for i, stage in enumerate(STAGES):
                begin = starts[i]
                if pd.isna(begin) or begin > day:
                    continue
                later = [d for d in starts[i + 1 :] if pd.notna(d) and d <= day]
                end = later[0] if later else day
                if stage == "complete":
                    end = max(begin + pd.Timedelta(days=20), end)
                ax.barh(
                    y,
                    mdates.date2num(end) - mdates.date2num(begin),
                    left=mdates.date2num(begin),
                    height=0.6,
                    color=STAGE_COLORS[stage],
                    edgecolor="white",
                )
            target = zone["target_date"]
            if pd.notna(target):
                ax.plot(
                    [mdates.date2num(target)] * 2,
                    [y - 0.38, y + 0.38],
                    color="#c0392b",
                    linewidth=2.5,
                )
        labels = []
        for name, overdue in zip(names, stages["overdue"], strict=True):
            mark = ("（逾期）" if lang == "zh" else " (overdue)") if overdue else ""
            labels.append(f"{name}{mark}")
        ax.set_yticks(range(len(names)), labels[::-1])
        ax.axvline(mdates.date2num(day), color="#333333", linestyle="--", linewidth=1.2)
        ax.xaxis_date()
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        handles = [Patch(facecolor=STAGE_COLORS[s], label=stage_label(s, lang)) for s in STAGES]
        handles.append(
            Patch(facecolor="#c0392b", label="目标日期" if lang == "zh" else "target date")
        )
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(
            title
            or (
                f"城市更新片区进度（截至 {day:%Y-%m-%d}）"
                if lang == "zh"
                else f"Renewal zones as of {day:%Y-%m-%d}"
            )
        )
        fig.tight_layout()
    return cast("Figure", fig)
