from __future__ import annotations

import re

import pandas as pd

from landuse.cli import main


def test_demo_writes_rates_and_map(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--quiet", "--tiles", "none"]) == 0
    printed = capsys.readouterr().out
    assert "风河南片区" in printed and "处置率" in printed and "批而未供" in printed
    import landuse as lu

    tasks = lu.classify(lu.read_parcels(lu.datasets.get_path("west_coast")), as_of="2021-12-31")
    assert (
        f"待核查地块（适用认定规则但缺少所需数据）：{int(tasks['undetermined'].sum())} 宗"
        in printed
    )
    actions = lu.idle_actions(tasks, as_of="2022-06-30")
    counts = actions["action"].value_counts()
    assert (
        f"无偿收回 {counts['recover']} 宗" in printed
        and f"协商处置 {counts['negotiate']} 宗" in printed
    )
    assert (tmp_path / "idle.csv").exists()
    rates = pd.read_csv(tmp_path / "rates.csv", encoding="utf-8-sig")
    assert {"功能区", "片区", "类别", "处置率（%）"} <= set(rates.columns)
    assert len(rates) == 8 * 4
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "landuse.decode" in page and "landuse-legend" in page
    assert "Leaflet 1.9.4" in page and "cdn.jsdelivr" not in page  # offline: the extra is installed


def test_rates_command(west_coast_path, tmp_path, capsys):
    out = tmp_path / "r.csv"
    code = main(
        ["rates", str(west_coast_path), "--zones-layer", "zones", "--lang", "en", "--out", str(out)]
    )
    assert code == 0
    assert "Low-efficiency" in capsys.readouterr().out
    assert out.exists()


def test_map_command(west_coast_path, tmp_path):
    out = tmp_path / "m.html"
    assert (
        main(
            [
                "map",
                str(west_coast_path),
                "--zones-layer",
                "zones",
                "--renewal",
                str(west_coast_path),
                "--renewal-layer",
                "renewal_zones",
                "--tiles",
                "none",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    page = out.read_text(encoding="utf-8")
    name = "风河南片区"
    assert name in page or name.encode("unicode_escape").decode() in page


def test_check_command(west_coast_path, tmp_path, capsys):
    assert main(["check", str(west_coast_path)]) == 0
    assert "(today)" in capsys.readouterr().out
    out = tmp_path / "report.csv"
    assert main(["check", str(west_coast_path), "--as-of", "2021-12-31", "--out", str(out)]) == 0
    assert "rules applied as of 2021-12-31" in capsys.readouterr().out
    report = pd.read_csv(out, encoding="utf-8-sig")
    assert (report["code"] == "undetermined").sum() >= 10  # the survey's work list
    import geopandas as gpd

    bad = gpd.read_file(west_coast_path, layer="parcels").head(3)
    bad.loc[2, "parcel_id"] = bad.loc[0, "parcel_id"]
    path = tmp_path / "bad.gpkg"
    bad.to_file(path)
    assert main(["check", str(path)]) == 1
    assert "地块编号重复" in capsys.readouterr().out


def test_errors_exit_2(capsys):
    assert main(["rates", "/nonexistent.gpkg"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_map_command_offline_and_static(west_coast_path, tmp_path):
    html = tmp_path / "offline.html"
    assert (
        main(
            [
                "map",
                str(west_coast_path),
                "--zones-layer",
                "zones",
                "--tiles",
                "none",
                "--offline",
                "--out",
                str(html),
            ]
        )
        == 0
    )
    assert "Leaflet 1.9.4" in html.read_text(encoding="utf-8")
    png = tmp_path / "map.png"
    assert (
        main(
            [
                "map",
                str(west_coast_path),
                "--zones-layer",
                "zones",
                "--renewal",
                str(west_coast_path),
                "--renewal-layer",
                "renewal_zones",
                "--lang",
                "en",
                "--out",
                str(png),
            ]
        )
        == 0
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_tiles_exit_2(west_coast_path, tmp_path, capsys):
    assert (
        main(["map", str(west_coast_path), "--tiles", "googel", "--out", str(tmp_path / "m.html")])
        == 2
    )
    assert "unknown tiles" in capsys.readouterr().err


def test_report_command(west_coast_path, tmp_path):
    out = tmp_path / "r"
    assert (
        main(
            [
                "report",
                str(west_coast_path),
                "--zones-layer",
                "zones",
                "--renewal",
                str(west_coast_path),
                "--renewal-layer",
                "renewal_zones",
                "--tiles",
                "none",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "report.html").exists() and (out / "report.xlsx").exists()


def test_without_as_of_rates_are_as_of_today(west_coast_path, capsys):
    from datetime import date

    assert main(["rates", str(west_coast_path), "--zones-layer", "zones"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"截至 {date.today().isoformat()}（未指定 --as-of，按今天）"


def test_a_file_without_categories_needs_a_baseline(ledger, west_coast_path, tmp_path, capsys):
    path = tmp_path / "ledger.gpkg"
    ledger.drop(columns="category").to_file(path, layer="parcels")
    args = ["rates", str(path), "--zones", str(west_coast_path), "--zones-layer", "zones"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "no category column" in err and "--baseline" in err and "Traceback" not in err
    assert main([*args, "--baseline", "2021-12-31", "--as-of", "2022-06-30"]) == 0


def test_idle_command(west_coast_path, tmp_path, capsys):
    import landuse as lu

    out = tmp_path / "idle.csv"
    code = main(["idle", str(west_coast_path), "--as-of", "2022-06-30", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("截至 2022-06-30\n")
    expected = lu.idle_actions(lu.read_parcels(west_coast_path), as_of="2022-06-30")
    assert f"闲置土地 {len(expected)} 宗" in printed
    written = pd.read_csv(out, encoding="utf-8-sig", dtype={"parcel_id": str})
    assert written["parcel_id"].tolist() == expected["parcel_id"].tolist()
    assert set(written["action"]) <= {"fee", "recover", "negotiate"}


def test_map_command_is_offline_unless_cdn_is_asked_for(tmp_path, capsys):
    import landuse as lu
    from landuse._assets import LEAFLET_CDN
    from landuse.cli import main

    sample = str(lu.datasets.get_path("west_coast"))
    offline, cdn = tmp_path / "offline.html", tmp_path / "cdn.html"
    assert (
        main(["map", sample, "--as-of", "2022-06-30", "--tiles", "none", "--out", str(offline)])
        == 0
    )
    assert (
        main(
            ["map", sample, "--as-of", "2022-06-30", "--tiles", "none", "--cdn", "--out", str(cdn)]
        )
        == 0
    )
    assert LEAFLET_CDN["js"] not in offline.read_text(encoding="utf-8")
    assert LEAFLET_CDN["js"] in cdn.read_text(encoding="utf-8")


def test_check_counts_info_rows_and_lists_them_only_with_all(capsys):
    import landuse as lu

    sample = str(lu.datasets.get_path("west_coast"))
    main(["check", sample, "--as-of", "2021-12-31", "--limit", "1000"])
    short = capsys.readouterr().out
    report = lu.check(lu.read_raw(sample), as_of="2021-12-31")
    early = int((report["code"] == "early_start").sum())
    # one line per kind of problem with its count, in Chinese; info rows only counted
    lines = [line for line in short.splitlines() if "早于约定日期开工" in line]
    assert len(lines) == 1 and f"{early:,} 行" in lines[0] and "--all" in lines[0]
    assert "early_start" not in short and " info " not in short
    main(["check", sample, "--as-of", "2021-12-31", "--limit", "1000", "--all"])
    full = capsys.readouterr().out
    listed = [line for line in full.splitlines() if line.startswith("提示")]
    assert len(listed) == early + 1  # the count line and every row
    # values with their units: days between the agreed and the actual start
    assert re.search(r"提示 +早于约定日期开工 +\d+ .* [\d,]+ 天$", full, re.MULTILINE)
    main(["check", sample, "--as-of", "2021-12-31", "--all", "--limit", "100", "--lang", "en"])
    english = capsys.readouterr().out
    assert "started before the agreed start" in english and re.search(r"\d days$", english, re.M)


def test_help_is_true_and_lists_every_subcommand(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("demo", "rates", "map", "report", "check", "idle", "permu", "packages"):
        assert command in text
    assert "`" not in text
    with pytest.raises(SystemExit):
        main(["rates", "--help"])
    rates_help = capsys.readouterr().out
    for option in ("--tiles", "--tk", "--offline", "--renewal", "--cdn"):
        assert option not in rates_help  # map options only where a map is drawn
    assert "--by" in rates_help and "`" not in rates_help
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    report_help = capsys.readouterr().out
    assert "--by" in report_help and "--tiles" in report_help and "--cdn" not in report_help


def test_zones_default_to_the_parcel_files_zones_layer(west_coast_path, ledger, tmp_path, capsys):
    assert main(["rates", str(west_coast_path), "--as-of", "2022-06-30"]) == 0
    assert "灵山卫街道" in capsys.readouterr().out
    alone = tmp_path / "parcels.gpkg"
    ledger.to_file(alone, layer="parcels")
    assert main(["rates", str(alone), "--as-of", "2022-06-30"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no zones layer" in err and "--zones" in err
    assert main(["report", str(alone), "--as-of", "2022-06-30", "--out", str(tmp_path)]) == 2
    assert "no zones layer" in capsys.readouterr().err


def test_rates_files_are_labelled_and_rounded(west_coast_path, tmp_path, capsys):
    import openpyxl

    csv, xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    sample = str(west_coast_path)
    assert main(["rates", sample, "--as-of", "2022-06-30", "--out", str(csv)]) == 0
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["片区", "类别", "宗数"] and "处置率（%）" in table.columns
    assert set(table["类别"]) == {"批而未供", "供而未用", "低效用地", "合计"}
    text = csv.read_text(encoding="utf-8-sig")
    assert not re.search(r"\d\.\d{3,}", text)  # no 16-digit floats: 0.01 亩, 0.1 %
    assert main(["rates", sample, "--as-of", "2022-06-30", "--out", str(xlsx)]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(2, header.index("处置率") + 1)
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    capsys.readouterr()
    english = tmp_path / "en.csv"
    args = ["rates", sample, "--as-of", "2022-06-30", "--lang", "en", "--out", str(english)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    import landuse as lu

    for name in lu.read_zones(west_coast_path)["name"]:  # zone names are data, kept as they are
        printed = printed.replace(name, "")
    assert not re.search(r"[\u4e00-\u9fff]", printed)
    table = pd.read_csv(english, encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["Zone", "Category", "Parcels"]
    assert "Low-efficiency" in set(table["Category"])
    assert main(["rates", sample, "--out", str(tmp_path / "r.txt")]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_rates_and_report_by_a_parcel_column(west_coast_path, tmp_path, capsys):
    sample = str(west_coast_path)
    assert main(["rates", sample, "--as-of", "2022-06-30", "--by", "park"]) == 0
    assert "联东U谷" in capsys.readouterr().out
    assert main(["rates", sample, "--as-of", "2022-06-30", "--by", "functional_zone"]) == 0
    assert "青岛海洋高新区" in capsys.readouterr().out
    assert main(["rates", sample, "--as-of", "2022-06-30", "--by", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    out = tmp_path / "r"
    args = ["report", sample, "--as-of", "2022-06-30", "--by", "park", "--no-pdf"]
    assert main([*args, "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "联东U谷" in page and "风河南片区" in page  # renewal zones from the file's layer
    assert "tile.openstreetmap.org" not in page  # no basemap unless --tiles names one


def test_demo_in_english(tmp_path, capsys):
    args = ["demo", "--out", str(tmp_path), "--quiet", "--tiles", "none", "--lang", "en"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Pilot area" in printed and "Low-efficiency" in printed and "处置率" not in printed
    rates = pd.read_csv(tmp_path / "rates.csv", encoding="utf-8-sig")
    assert {"Functional zone", "Zone", "Category", "Rate (%)"} <= set(rates.columns)
    assert "Rates by functional zone" in pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
