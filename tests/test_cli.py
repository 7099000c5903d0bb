from __future__ import annotations

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
    assert {"functional_zone", "zone", "category", "rate"} <= set(rates.columns)
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
    assert "duplicate_id" in capsys.readouterr().out


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
    assert "info rows counted above, not listed" in short
    assert "\n    info " not in short and " info early_start" not in short
    main(["check", sample, "--as-of", "2021-12-31", "--limit", "1000", "--all"])
    assert "not listed" not in capsys.readouterr().out
