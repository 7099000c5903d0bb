"""Map size, build time, draw time and pan/zoom redraw time in headless Chromium.

Run by hand (needs Chromium and Playwright, as scripts/test.sh installs them):
    python benchmarks/maps.py [--sizes 1000 10000 100000] [--repeat 3]
    python benchmarks/maps.py --sizes 1000000 --repeat 1
Prints a table and ends with ``n=100000 html_mb=X build_s=Y draw_s=Z`` (then the pan and zoom
times). Draw time runs from navigation start to the moment every parcel is on the canvas
(``landuse.ready``). Pan and zoom: from ``panBy``/``setZoom`` (no animation) to the next
painted frame, i.e. the whole redraw the user waits for: a pan by a third of the screen, a zoom
in by 3 levels (full outlines) and back out to the opening view.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from zones import fabric

import landuse as lu

FIRMS = ("海纳", "瑞丰", "中科", "博远", "海源", "泰和", "恒信", "鑫达", "华通", "金港")
TRADES = ("电子", "机械", "新材料", "智能装备", "海洋生物", "化工", "物流", "食品")


def inventory(n: int) -> gpd.GeoDataFrame:
    """n parcels in CGCS2000 with the columns a task list has."""
    parcels, _ = fabric(n, 10)
    rng = np.random.default_rng(n)
    parcels = parcels.to_crs(4490)
    parcels["category"] = rng.choice(lu.CATEGORIES, n)
    parcels["name"] = [
        f"青岛{a}{b}{c}有限公司"
        for a, b, c in zip(
            rng.choice(FIRMS, n), rng.choice(FIRMS, n), rng.choice(TRADES, n), strict=True
        )
    ]
    disposed = rng.random(n) < 0.5
    methods = {c: lu.DISPOSAL_METHODS[c] for c in lu.CATEGORIES}
    parcels["disposal_method"] = [
        rng.choice(methods[c]) if d else None
        for c, d in zip(parcels["category"], disposed, strict=True)
    ]
    days = pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    parcels["disposal_date"] = days.where(disposed)
    return lu.add_areas(parcels)


PAN_ZOOM = """async (name) => {
  const map = window[name];
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const timed = async (move) => { const t = performance.now(); move(); await frame();
                                   return performance.now() - t; };
  const size = map.getSize(), zoom = map.getZoom(), centre = map.getCenter();
  await frame();
  const pan = await timed(() => map.panBy([size.x / 3, size.y / 4], {animate: false}));
  const zoomIn = await timed(() => map.setZoom(zoom + 3, {animate: false}));
  const panIn = await timed(() => map.panBy([size.x / 3, size.y / 4], {animate: false}));
  const zoomOut = await timed(() => map.setView(centre, zoom, {animate: false}));
  return {pan: pan, zoom_in: zoomIn, pan_in: panIn, zoom_out: zoomOut};
}"""


def draw_seconds(browser, path: Path, name: str) -> tuple[float, dict[str, float]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith(("file:", "data:", "blob:")) else r.abort()
        ),
    )
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.landuse && window.landuse.ready > 0", timeout=300_000)
    seconds = time.perf_counter() - start
    moves = page.evaluate(PAN_ZOOM, name)
    page.close()
    return seconds, moves


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="landuse-maps-"))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for n in args.sizes:
            parcels = inventory(n)
            builds, draws, moves = [], [], []
            path = folder / f"map_{n}.html"
            for _ in range(args.repeat):
                start = time.perf_counter()
                m = lu.parcel_map(parcels, tiles=None, offline=True)
                m.save(str(path))
                builds.append(time.perf_counter() - start)
                seconds, moved = draw_seconds(browser, path, m.get_name())
                draws.append(seconds)
                moves.append(moved)
            move_ms = {key: statistics.median(m[key] for m in moves) for key in moves[0]}
            rows.append(
                (
                    n,
                    path.stat().st_size / 1e6,
                    statistics.median(builds),
                    statistics.median(draws),
                    move_ms,
                )
            )
        browser.close()
    keys = list(rows[0][4])
    print(
        f"{'parcels':>8} {'html_mb':>8} {'build_s':>8} {'draw_s':>8} "
        + " ".join(f"{key + '_ms':>11}" for key in keys)
    )
    for n, mb, build, draw, move_ms in rows:
        print(
            f"{n:>8} {mb:>8.2f} {build:>8.2f} {draw:>8.2f} "
            + " ".join(f"{move_ms[key]:>11.0f}" for key in keys)
        )
    n, mb, build, draw, move_ms = rows[-1]
    print(f"n={n} html_mb={mb:.2f} build_s={build:.2f} draw_s={draw:.2f}")
    print(" ".join(f"{key}_ms={value:.0f}" for key, value in move_ms.items()))


if __name__ == "__main__":
    main()
