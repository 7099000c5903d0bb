"""The landuse command line: stock-land (存量土地) analysis of a parcel file.

Subcommands: demo, rates, map, report, check, idle, permu, packages.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pandas as pd
from pyproj.exceptions import CRSError

import landuse as lu
from landuse._dates import two_digit_year
from landuse._errors import InputError
from landuse._excel import write_csv
from landuse._pdf import chromium
from landuse._progress import Steps
from landuse._validate import as_date
from landuse.vocab import QUALITY_HEADERS, SEVERITY_LABELS, check_label, check_value

__all__ = ["main"]

BASELINE = "2021-12-31"
REPORT_DATE = "2022-06-30"
T = TypeVar("T")
_STATIC_SUFFIXES = {".png", ".pdf", ".svg"}


def _print_rates(rates: pd.DataFrame, lang: str) -> None:
    with pd.option_context(
        "display.unicode.east_asian_width", True, "display.width", 200, "display.max_rows", 500
    ):
        print(lu.display_rates(rates, lang=lang).to_string(index=False))  # type: ignore[arg-type]


def _rates_file(rates: pd.DataFrame, lang: str, *, percent: bool) -> pd.DataFrame:
    """The rates as a file holds them: labelled headers and categories, rounded numbers.

    Areas to 0.01 亩; rates as percentages with one decimal (``处置率（%）``) for CSV, or as
    fractions (``percent=False``) for a workbook that formats them as %.
    """
    table = lu.display_rates(rates, lang=lang, as_numbers=True)  # type: ignore[arg-type]
    zh = lang == "zh"
    for column in ("面积（亩）", "已处置（亩）", "Area (mu)", "Disposed (mu)"):
        if column in table.columns:
            table[column] = table[column].astype(float).round(2)
    for column in ("处置率", "处置率（宗数）", "目标", "Rate", "Rate (count)", "Target"):
        if column in table.columns:
            values = table[column].astype(float)
            if percent:
                table[column] = (values * 100).round(1)
                table = table.rename(columns={column: f"{column}（%）" if zh else f"{column} (%)"})
            else:
                table[column] = values.round(4)
    return table


def _write_rates(rates: pd.DataFrame, path: Path, lang: str = "zh") -> None:
    """Rates to ``.csv`` (UTF-8 with BOM, for Excel on Chinese Windows) or ``.xlsx``."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from landuse._excel import write_workbook

        percent = {
            h: "0.0%"
            for h in ("处置率", "处置率（宗数）", "目标", "Rate", "Rate (count)", "Target")
        }
        areas = dict.fromkeys(
            ("面积（亩）", "已处置（亩）", "Area (mu)", "Disposed (mu)"), "#,##0.00"
        )
        write_workbook(
            path,
            {"处置率" if lang == "zh" else "Rates": _rates_file(rates, lang, percent=False)},
            freeze_header=True,
            fit_widths=True,
            autofilter=True,
            number_formats=percent | areas,
        )
    elif suffix == ".csv":
        write_csv(_rates_file(rates, lang, percent=True), path)
    else:
        raise InputError(f"--out {path}: write .csv or .xlsx, not {path.suffix or 'no suffix'}")


def _demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = lu.datasets.get_path("west_coast")
    steps = Steps(["read", "classify", "zones", "rates", "pilot", "map"], quiet=args.quiet)
    ledger = steps.run("读取台账 read", lu.read_parcels, path)
    zones = lu.read_zones(path)
    renewal = lu.read_zones(path, layer="renewal_zones")
    tasks = steps.run(f"认定 classify @{BASELINE}", lu.classify, ledger, as_of=BASELINE)
    pieces = steps.run(
        "分区 assign zones", lu.assign_zones, tasks, zones, columns=["functional_zone"]
    )
    rates = steps.run(
        "处置率 rates",
        lu.disposal_rates,
        pieces,
        by=["functional_zone", "zone"],
        as_of=args.as_of,
        target=args.target,
    )
    pilot_zone = renewal[renewal["name"] == "风河南片区"]
    pilot = steps.run(
        "试点片区 pilot",
        lambda: lu.disposal_rates(
            lu.assign_zones(tasks, pilot_zone), as_of=args.as_of, target=args.target
        ).loc[["风河南片区"]],
    )
    zone_rates = lu.disposal_rates(pieces, as_of=args.as_of, target=args.target)
    offline = _offline_available()
    m = steps.run(
        "地图 map",
        lu.parcel_map,
        tasks,
        zones=zones,
        renewal=renewal,
        rates=zone_rates,
        as_of=args.as_of,
        tiles=args.tiles,
        offline=offline,
        lang=args.lang,
    )
    steps.close()
    if not offline:
        print(
            "note: map.html loads Leaflet from a CDN; pip install 'landuse[offline]' for a map "
            "that works without internet",
            file=sys.stderr,
        )
    m.save(str(out / "map.html"))
    _write_rates(rates, out / "rates.csv", args.lang)
    try:
        import matplotlib  # noqa: F401  (the report's charts need it)
    except ImportError:
        print(
            "note: no report.html: its charts need matplotlib (pip install 'landuse[plot]')",
            file=sys.stderr,
        )
    else:
        lu.report(
            tasks,
            zones,
            renewal=renewal,
            out=out / "report.html",
            target=args.target,
            as_of=args.as_of,
            title="青岛西海岸新区存量土地处置报告（合成示例数据）"
            if args.lang == "zh"
            else "Qingdao West Coast stock land (synthetic sample)",
            lang=args.lang,
        )

    if args.lang == "zh":
        print(f"青岛西海岸新区（合成示例数据）  任务清单 {BASELINE}  处置截至 {args.as_of}\n")
    else:
        print(
            f"Qingdao West Coast New Area (synthetic sample)  task list {BASELINE}  "
            f"disposals as of {args.as_of}\n"
        )
    _print_rates(rates, args.lang)
    print(
        "\n试点片区 风河南片区："
        if args.lang == "zh"
        else "\nPilot area 风河南片区 (Fenghe South):"
    )
    _print_rates(pilot, args.lang)
    actions = lu.idle_actions(tasks, as_of=args.as_of, lang=args.lang)
    write_csv(actions, out / "idle.csv")
    counts = actions["action"].value_counts()
    fees = actions.loc[actions["action"] == "fee", "fee_wan"].sum()
    undetermined = int(tasks["undetermined"].sum())
    if args.lang == "zh":
        print(f"\n待核查地块（适用认定规则但缺少所需数据）：{undetermined} 宗")
        print(
            f"闲置土地（截至 {args.as_of} 未处置）：{len(actions)} 宗 — 征缴闲置费 "
            f"{int(counts.get('fee', 0))} 宗（{fees:,.1f} 万元），无偿收回 "
            f"{int(counts.get('recover', 0))} 宗，政府原因协商处置 {int(counts.get('negotiate', 0))} 宗"
        )
    else:
        print(f"\nparcels to check (undetermined: values a rule needs are missing): {undetermined}")
        print(
            f"idle land not disposed by {args.as_of}: {len(actions)} — idle fee "
            f"{int(counts.get('fee', 0))} ({fees:,.1f} 10k yuan), recover "
            f"{int(counts.get('recover', 0))}, negotiate (government cause) "
            f"{int(counts.get('negotiate', 0))}"
        )
    written = [
        p.name
        for p in (
            out / "rates.csv",
            out / "idle.csv",
            out / "map.html",
            out / "report.html",
            out / "report.xlsx",
        )
        if p.exists()
    ]
    print(f"\nwrote {', '.join(written)} to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def _as_of(args: argparse.Namespace) -> str:
    """The reporting date: --as-of, else today (printed, so the output says which day)."""
    if args.as_of is None:
        args.as_of = date.today().isoformat()
        words = "（未指定 --as-of，按今天）" if args.lang == "zh" else " (no --as-of: today)"
    else:
        words = ""
    label = "截至" if args.lang == "zh" else "as of"
    print(f"{label} {args.as_of}{words}")
    return str(args.as_of)


def _read_inputs(args: argparse.Namespace) -> tuple[Any, Any]:
    _as_of(args)
    parcels = lu.read_parcels(args.path, layer=args.layer, fields=args.fields)
    if args.baseline:
        parcels = lu.classify(parcels, as_of=args.baseline)
    elif "category" not in parcels.columns:
        raise InputError(
            f"{args.path} has no category column, so it is not a task list yet: pass "
            "--baseline DATE (the task-list date, e.g. --baseline 2021-12-31) to derive the "
            "categories with the rules; a task list's date cannot be guessed"
        )
    zones_path, zones_layer = getattr(args, "zones", None), getattr(args, "zones_layer", None)
    if zones_path or zones_layer:
        zones = lu.read_zones(zones_path or args.path, layer=zones_layer)
    elif "zones" in _layers(args.path):  # the help's promise: the parcel file's zones layer
        zones = lu.read_zones(args.path, layer="zones")
    else:
        zones = None
    return parcels, zones


def _layers(path: str) -> list[str]:
    """The layer names of a vector file (none for a file that has no layers to list)."""
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # not a multi-layer source (or unreadable: the parcel read said so)
        return []


def _renewal(args: argparse.Namespace) -> Any:
    """Renewal zones: --renewal, else the parcel file's renewal_zones layer when it has one."""
    if args.renewal or args.renewal_layer:
        return lu.read_zones(args.renewal or args.path, layer=args.renewal_layer)
    if "renewal_zones" in _layers(args.path):
        return lu.read_zones(args.path, layer="renewal_zones")
    return None


def _no_zones(command: str, path: str) -> InputError:
    return InputError(
        f"{command} needs zones: {path} has no zones layer; pass --zones PATH (and --zones-layer)"
    )


def _rates(args: argparse.Namespace) -> int:
    if args.out and Path(args.out).suffix.lower() not in (".csv", ".xlsx"):  # before any work
        raise InputError(f"--out {args.out}: write a .csv or .xlsx file")
    parcels, zones = _read_inputs(args)
    if args.by in parcels.columns and args.by != "zone":
        rates = lu.disposal_rates(parcels, by=args.by, as_of=args.as_of, target=args.target)
    else:
        if zones is None:
            raise _no_zones("rates", args.path)
        extra = [args.by] if args.by not in ("zone", "name") and args.by in zones.columns else []
        if args.by != "zone" and not extra:
            raise InputError(
                f"--by {args.by}: neither the parcels nor the zones have such a column "
                f"(parcels: {', '.join(map(str, parcels.columns.drop(parcels.geometry.name)))})"
            )
        pieces = lu.assign_zones(parcels, zones, how=args.how, columns=extra)
        rates = lu.disposal_rates(pieces, by=args.by, as_of=args.as_of, target=args.target)
    _print_rates(rates, args.lang)
    if args.out:
        _write_rates(rates, Path(args.out), args.lang)
        print(f"wrote {args.out}")
    return 0


def _map(args: argparse.Namespace) -> int:
    parcels, zones = _read_inputs(args)
    renewal = _renewal(args)
    rates = None
    if zones is not None:
        rates = lu.disposal_rates(
            lu.assign_zones(parcels, zones), as_of=args.as_of, target=args.target
        )
    out = Path(args.out)
    if out.suffix.lower() in _STATIC_SUFFIXES:
        fig = lu.plot_parcels(
            parcels, zones=zones, renewal=renewal, rates=rates, as_of=args.as_of, lang=args.lang
        )
        fig.savefig(out, dpi=150, bbox_inches="tight")
    else:
        m = lu.parcel_map(
            parcels,
            zones=zones,
            renewal=renewal,
            rates=rates,
            tiles=args.tiles,
            tk=args.tk,
            as_of=args.as_of,
            offline=not args.cdn,
            lang=args.lang,
        )
        m.save(str(out))
    print(f"wrote {out}")
    return 0


def _offline_available() -> bool:
    try:
        from landuse._assets import leaflet_js

        leaflet_js()
    except ImportError:
        return False
    return True


def _report(args: argparse.Namespace) -> int:
    parcels, zones = _read_inputs(args)
    if zones is None:
        raise _no_zones("report", args.path)
    renewal = _renewal(args)
    out = Path(args.out or "landuse-report")
    out.mkdir(parents=True, exist_ok=True)
    page = lu.report(
        parcels,
        zones,
        renewal=renewal,
        out=out / "report.html",
        target=args.target,
        as_of=args.as_of,
        tiles=args.tiles,
        tk=args.tk,
        by=args.by,
        lang=args.lang,
        pdf=not args.no_pdf and chromium() is not None,
    )
    made = [page, page.with_suffix(".xlsx")]
    if page.with_suffix(".pdf").exists() and not args.no_pdf:
        made.append(page.with_suffix(".pdf"))
    print("wrote " + ", ".join(map(str, made)))
    return 0


def _check(args: argparse.Namespace) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parcels = lu.read_raw(
            args.path,
            layer=args.layer,
            fields=args.fields,
            encoding=args.encoding,
            crs=args.crs,
            central_meridian=args.central_meridian,
        )
        zones = lu.read_zones(args.zones, layer=args.zones_layer) if args.zones else None
    for warning in caught:
        print(f"note: {warning.message}")
    as_of = args.as_of or date.today().isoformat()
    report = lu.check(parcels, zones=zones, stated_area_unit=args.stated_area_unit, as_of=as_of)
    print(
        f"{args.path}: {len(parcels)} parcels, CRS {parcels.crs.to_string() if parcels.crs else 'none'}"
        f"; rules applied as of {as_of}{'' if args.as_of else ' (today)'}"
    )
    if report.empty:
        print("未发现问题" if args.lang == "zh" else "no problems found")
        return 0
    lang = args.lang
    severity = report["severity"].map(SEVERITY_LABELS[lang]).fillna(report["severity"])
    problem = report["code"].map(lambda code: check_label(code, lang))
    # one line per kind of problem, with its count; info rows are only counted unless --all
    listed = report if args.all else report[report["severity"] != "info"]
    counts = report.groupby(["severity", "code"], sort=False).size()
    lines = []
    for key, n in counts.items():
        level, code = (str(k) for k in key)  # type: ignore[attr-defined]
        unlisted = level == "info" and not args.all
        note = (
            ("（仅计数，--all 逐条列出）" if lang == "zh" else " (counted only; --all lists them)")
            if unlisted
            else ""
        )
        unit = " 行" if lang == "zh" else ""
        lines.append(
            (SEVERITY_LABELS[lang].get(level, level), check_label(code, lang), f"{n:,}{unit}{note}")
        )
    summary = pd.DataFrame(lines, columns=["severity", "code", "count"])
    with pd.option_context(
        "display.unicode.east_asian_width", True, "display.width", 200, "display.max_colwidth", 90
    ):
        print(summary.to_string(index=False, header=False))
        if len(listed):
            shown = pd.DataFrame(
                {
                    "severity": severity[listed.index],
                    "code": problem[listed.index],
                    "parcel_id": listed["parcel_id"]
                    .astype(object)
                    .where(listed["parcel_id"].notna(), ""),
                    "message": listed["message"],
                    "value": [
                        check_value(c, v, lang)
                        for c, v in zip(listed["code"], listed["value"], strict=True)
                    ],
                }
            ).rename(columns=QUALITY_HEADERS[lang])
            print()
            print(shown.head(args.limit).to_string(index=False))
    if len(listed) > args.limit:
        more = len(listed) - args.limit
        print(
            f"… 另有 {more} 行（--limit，或 --out 写出全部）"
            if lang == "zh"
            else f"… {more} more (--limit, or --out for all)"
        )
    if args.out:
        write_csv(report, Path(args.out))
    return 1 if (report["severity"] == "error").any() else 0


def _permu(args: argparse.Namespace) -> int:
    """亩均效益评价: grade the enterprises, print the table per park (or zone) and the grades."""
    parcels = lu.read_parcels(args.path, layer=args.layer)
    enterprises = lu.read_enterprises(
        args.enterprises or args.path, layer=args.enterprises_layer, fields=args.fields
    )
    floors = {"tax_per_mu": args.min_tax_per_mu} if args.min_tax_per_mu is not None else None
    graded = lu.per_mu(enterprises, parcels, year=args.year, floors=floors, lang=args.lang)
    parks = None
    if args.parks or (args.by == "park" and "park" not in parcels.columns):
        parks = lu.read_zones(args.parks or args.path, layer=args.parks_layer)
    if args.by == "zone" and "zone" not in parcels.columns:
        zones = lu.read_zones(args.zones or args.path, layer=args.zones_layer)
        parcels = lu.assign_zones(parcels, zones, how="largest")
    table = lu.per_mu_by(graded, parcels, by=args.by, areas=parks)
    labels = lu.vocab.ENTERPRISE_LABELS[args.lang]
    outside = "（不在任何园区/片区）" if args.lang == "zh" else "(outside every area)"
    shown = table.rename(index=lambda v: outside if v is None or v != v else v)
    shown = shown.reset_index().rename(
        columns=lambda c: labels.get(c, lu.grade_label(c, args.lang) if len(c) == 1 else c)
    )
    year = graded["year"].iloc[0] if len(graded) else ""
    print(f"亩均效益评价 {year}: {len(graded)} enterprises")
    with pd.option_context(
        "display.unicode.east_asian_width", True, "display.width", 250, "display.max_columns", 30
    ):
        print(shown.round(1).to_string(index=False))
        counts = graded["grade"].value_counts().reindex(graded.attrs.get("grades", None))
        print()
        print(counts.rename(lambda g: lu.grade_label(g, args.lang)).to_string())
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        write_csv(graded.drop(columns="land_by_parcel"), out / "per_mu.csv")
        write_csv(table.reset_index(), out / f"per_mu_by_{args.by}.csv")
        m = lu.parcel_map(
            parcels,
            grades=graded,
            parks=parks,
            tiles=args.tiles,
            offline=_offline_available(),
            lang=args.lang,
        )
        m.save(str(out / "per_mu_map.html"))
        print(f"\nwrote per_mu.csv, per_mu_by_{args.by}.csv and per_mu_map.html to {out}")
    return 0


def _idle(args: argparse.Namespace) -> int:
    parcels, _ = _read_inputs(args)
    actions = lu.idle_actions(parcels, as_of=args.as_of, lang=args.lang)
    from landuse.idle import action_label

    counts = actions["action"].value_counts()
    fees = actions.loc[actions["action"] == "fee", "fee_wan"]
    if args.lang == "zh":
        summary = "，".join(
            f"{action_label(a)} {int(counts.get(a, 0))} 宗" for a in ("fee", "recover", "negotiate")
        )
        print(f"闲置土地 {len(actions)} 宗：{summary}；应征闲置费 {fees.sum():,.1f} 万元")
        if fees.isna().any():
            print(f"（{int(fees.isna().sum())} 宗缺少土地价款，闲置费待核算）")
    else:
        summary = ", ".join(f"{a} {int(counts.get(a, 0))}" for a in ("fee", "recover", "negotiate"))
        print(f"{len(actions)} idle parcels: {summary}; idle fees due {fees.sum():,.1f} (10k yuan)")
        if fees.isna().any():
            print(f"({int(fees.isna().sum())} without a land price: fee to be assessed)")
    shown = actions.assign(idle_since=actions["idle_since"].dt.strftime("%Y-%m-%d"))
    columns = ["parcel_id", "idle_since", "idle_days", "cause", "action", "fee_wan"]
    with pd.option_context(
        "display.unicode.east_asian_width", True, "display.width", 200, "display.max_rows", 500
    ):
        print(shown[columns].head(args.limit).to_string(index=False))
    if len(actions) > args.limit:
        print(f"… {len(actions) - args.limit} more (--limit, or --out for all)")
    if args.out:
        write_csv(actions, Path(args.out))
    return 0


def _packages(args: argparse.Namespace) -> int:
    parcels = lu.read_parcels(args.path, layer=args.layer, fields=args.fields)
    if args.baseline:
        parcels = lu.classify(parcels, as_of=args.baseline)
    context = parcels
    if args.stock and "category" in parcels.columns:
        parcels = parcels[parcels["category"].notna()]
    if args.within:
        area = lu.read_zones(args.within, layer=args.within_layer)
        if args.within_name:
            area = area[area["name"].astype(str) == args.within_name]
            if area.empty:
                raise InputError(f"no zone named {args.within_name!r} in {args.within}")
        pieces = lu.assign_zones(parcels, area, how="largest")
        parcels = pieces[pieces["zone"].notna()].drop(columns="zone")
    plan = lu.work_packages(parcels, args.n, weight=args.weight, seed=args.seed)
    files = lu.survey_sheets(
        plan, Path(args.out), context=context, paper=args.paper, lang=args.lang
    )
    counts = plan["package"].value_counts().sort_index()
    print(
        f"{len(plan)} parcels in {args.n} packages of {counts.min()}–{counts.max()} parcels; "
        f"wrote {len(files)} files to {args.out}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="landuse", description=__doc__)
    parser.add_argument("--version", action="version", version=lu.__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, as_of: str | None = None) -> None:
        p.add_argument(
            "--as-of",
            type=_day,
            default=as_of,
            help="reporting date of the disposals"
            + (f" (default {as_of})" if as_of else " (default: today)"),
        )
        p.add_argument(
            "--target", type=_rate, default=0.6, help="target rate, 0.6 or 60%% (default 0.6)"
        )
        p.add_argument(
            "--lang", choices=("zh", "en"), default="zh", help="labels (default zh: Chinese)"
        )

    def tiles(p: argparse.ArgumentParser, default: str | None = "osm") -> None:
        p.add_argument(
            "--tiles",
            default=default or "none",
            help="basemap: osm, tianditu, gaode, none or a URL "
            + ("(default osm)" if default else "(default none: the page needs no network)"),
        )

    demo = sub.add_parser("demo", help="run the whole job on the bundled West Coast data")
    demo.add_argument("--out", default="landuse-demo", help="output folder")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    common(demo, REPORT_DATE)  # the bundled sample's reporting date
    tiles(demo)
    demo.set_defaults(func=_demo)

    permu = sub.add_parser("permu", help="亩均效益评价: grade enterprises, totals per park")
    permu.add_argument("path", help="parcel file (with parks/zones layers for --by)")
    permu.add_argument("--layer", help="parcel layer")
    permu.add_argument("--enterprises", help="enterprise ledger (.xlsx, .csv, or a layer)")
    permu.add_argument("--enterprises-layer", help="layer of --enterprises (default enterprises)")
    permu.add_argument("--fields", help="field preset of the ledger (cn-ledger)")
    permu.add_argument("--year", type=int, help="year evaluated (default the latest)")
    permu.add_argument("--by", default="park", help="parcel column to sum by (park, zone, …)")
    permu.add_argument("--parks", help="parks file (default: the parcel file's parks layer)")
    permu.add_argument("--parks-layer", default="parks")
    permu.add_argument("--zones", help="zones file for --by zone")
    permu.add_argument("--zones-layer")
    permu.add_argument("--min-tax-per-mu", type=float, help="hard floor: below it is grade D")
    permu.add_argument("--lang", choices=("zh", "en"), default="zh")
    permu.add_argument("--tiles", default="osm", help="osm, tianditu, gaode, none or a URL")
    permu.add_argument("--out", help="folder for per_mu.csv, the table and per_mu_map.html")
    permu.set_defaults(func=_permu)
    packages = sub.add_parser(
        "packages", help="cut parcels into survey work packages: a PDF map and a checklist each"
    )
    packages.add_argument("path", help="parcel file")
    packages.add_argument("--layer")
    packages.add_argument("--fields", help="field preset (cn-ledger)")
    packages.add_argument("--n", type=int, default=30, help="number of packages (teams)")
    packages.add_argument("--weight", help="balance this column (e.g. area_mu) instead of counts")
    packages.add_argument("--seed", type=int, default=0)
    packages.add_argument("--baseline", type=_day, help="classify as of this date first")
    packages.add_argument(
        "--all", dest="stock", action="store_false", help="every parcel, not only the stock"
    )
    packages.add_argument("--within", help="zones file: only parcels inside it")
    packages.add_argument("--within-layer")
    packages.add_argument("--within-name", help="only parcels inside the zone of this name")
    packages.add_argument("--paper", choices=("A4", "A3"), default="A4")
    packages.add_argument("--lang", choices=("zh", "en"), default="zh")
    packages.add_argument("--out", default="survey-packages", help="output folder")
    packages.set_defaults(func=_packages)

    for name, func, text in (
        ("rates", _rates, "disposal rates per zone (or per --by column)"),
        ("map", _map, "an HTML map (or a static PNG/PDF/SVG map)"),
        ("report", _report, "an HTML report, its PDF and an Excel workbook"),
        ("check", _check, "data-quality report of a parcel file"),
        ("idle", _idle, "idle land: fees due, land to recover, land to negotiate"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("path", help="parcel file (GeoPackage, Shapefile, GeoJSON, GeoParquet, …)")
        p.add_argument("--layer")
        p.add_argument("--fields", help="field preset (cn-ledger)")
        p.set_defaults(func=func)
        if name == "report":
            p.add_argument(
                "--no-pdf",
                action="store_true",
                help="skip report.pdf (printed with headless Chromium when it is installed)",
            )
        if name == "check":
            p.add_argument("--zones", help="zones file: report parcels outside every zone")
            p.add_argument("--zones-layer")
            p.add_argument("--encoding", help="text encoding (default: detected)")
            p.add_argument("--crs", help="CRS of the coordinates (default: declared or detected)")
            p.add_argument(
                "--central-meridian",
                type=float,
                help="central meridian of unprefixed Gauss-Krüger coordinates",
            )
            p.add_argument("--stated-area-unit", default="m2", choices=("m2", "mu", "ha"))
            p.add_argument("--limit", type=int, default=50, help="rows of the report to print")
            p.add_argument(
                "--all", action="store_true", help="list info rows too (default: counted only)"
            )
            p.add_argument("--out", help="write the whole report to this CSV")
            p.add_argument(
                "--lang", choices=("zh", "en"), default="zh", help="labels (default zh: Chinese)"
            )
            p.add_argument(
                "--as-of",
                type=_day,
                help="date to classify at, to list undetermined parcels (default today)",
            )
            continue
        if name == "idle":
            p.add_argument("--as-of", type=_day, help="reporting date (default: today)")
            p.add_argument(
                "--baseline", type=_day, help="classify as of this date first (task-list date)"
            )
            p.add_argument("--lang", choices=("zh", "en"), default="zh")
            p.add_argument("--limit", type=int, default=50, help="rows to print")
            p.add_argument("--out", help="write the whole list to this CSV")
            continue
        common(p)
        p.add_argument(
            "--zones",
            help="zones file with a name column (default: the parcel file's zones layer)",
        )
        p.add_argument("--zones-layer", help="layer of --zones (or of the parcel file)")
        p.add_argument(
            "--baseline", type=_day, help="classify as of this date first (task-list date)"
        )
        p.add_argument(
            "--how",
            default="split",
            choices=("split", "largest", "centroid"),
            help="how parcels crossing zones are counted (default split)",
        )
        if name in ("rates", "report"):
            p.add_argument(
                "--by",
                default="zone",
                help="group the rates by this column: zone (default), a parcel column such as "
                "park, or a zones column such as functional_zone",
            )
        if name in ("map", "report"):
            tiles(p, "osm" if name == "map" else None)
            p.add_argument("--tk", help="Tianditu key (for --tiles tianditu)")
            p.add_argument(
                "--renewal",
                help="renewal zones file (default: the parcel file's renewal_zones layer)",
            )
            p.add_argument("--renewal-layer", help="layer of --renewal (or of the parcel file)")
        if name == "map":
            p.add_argument(
                "--offline",
                action="store_true",
                help="inline Leaflet (the default): the map needs no internet but for tiles",
            )
            p.add_argument(
                "--cdn",
                action="store_true",
                help="load Leaflet from a CDN instead (a smaller page that needs the internet)",
            )
        p.add_argument(
            "--out",
            default="map.html" if name == "map" else None,
            help={
                "map": "output file (.html map; .png/.pdf/.svg static map)",
                "report": "output folder for report.html, report.xlsx and report.pdf "
                "(default landuse-report)",
            }.get(name, "also write the table to this .csv or .xlsx file"),
        )
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _day(text: str) -> str:
    """A date argument, checked by the library's rules (no two-digit years)."""
    try:
        as_date(text)
    except InputError:
        hint = " (write the year in full)" if two_digit_year(text) else ""
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date such as 2021-12-31{hint}"
        ) from None
    return text


def _rate(text: str) -> float:
    """A target rate from ``0.6`` or ``60%``, between 0 and 1."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate (e.g. 0.6 or 60%)") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate between 0 and 1 (or 0%–100%)")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``landuse`` console script.

    Every error the user can cause (bad input, a missing or unreadable file, a missing extra)
    is one line on stderr and exit code 2; a traceback means a bug in landuse.
    """
    args = _parser().parse_args(argv)
    if getattr(args, "tiles", None) == "none":
        args.tiles = None
    try:
        return int(args.func(args))
    except (ValueError, OSError, ImportError, CRSError) as error:
        kind = type(error).__name__
        message = " ".join(str(error).split()) or kind  # one line, whatever the message
        print(f"landuse: {kind}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
