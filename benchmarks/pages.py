"""What a reader's browser downloads per page, and Lighthouse's scores for it.

    .venv/bin/python benchmarks/pages.py                 # measure site/ (run `make build` first)
    .venv/bin/python benchmarks/pages.py --build         # a fresh strict build into a temp dir
    .venv/bin/python benchmarks/pages.py --no-lighthouse # bytes and requests only (fast)
    .venv/bin/python benchmarks/pages.py --pages exploding-vanishing/ deep-nets/
    .venv/bin/python benchmarks/pages.py --runs 1          # one Lighthouse run per preset (quick look)

The site is served on 127.0.0.1 the way GitHub Pages serves it (under site_url's path,
text gzip- or brotli-compressed as the browser asks, see tests/support/browser_server.py).
For every page, a fresh Chromium profile (empty cache) loads it once and we count the
requests and the bytes that crossed the wire (compressed bodies) until the network is
idle; images marked loading="lazy" below the fold are not part of the first load.
Lighthouse 12 (npm, `npm ci`) then scores it with its desktop and mobile presets, three
times each (--runs): a page's scores are those of its median run by performance, and the
table shows the lowest and highest performance too, because on a shared machine one run
can be off by several points (the mobile preset simulates a 4x slower CPU, so time lost to
other processes counts four times).

Targets, for every page including the labs: <= 400 KB on first load; Lighthouse
performance 100 desktop / >= 95 mobile, accessibility 100, best practices 100.
Results go to stdout (a markdown table) and test-artifacts/benchmarks/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "support")]

from browser_pages import sources, url_path  # noqa: E402
from browser_server import SiteServer  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "test-artifacts" / "benchmarks"
CATEGORIES = ["performance", "accessibility", "best-practices"]
TARGETS = {"kb": 400, "performance": {"desktop": 100, "mobile": 95}, "accessibility": 100, "best-practices": 100}


def first_load(browser, server: SiteServer, path: str) -> dict:
    """Requests and compressed bytes for one cold load of a page (server-side count)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    start = len(server.log)
    page.goto(server.url + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    entries = server.log[start:]
    context.close()
    by_kind: dict[str, int] = {}
    for entry in entries:
        suffix = Path(entry["path"].split("?")[0]).suffix or ".html"
        by_kind[suffix] = by_kind.get(suffix, 0) + entry["bytes"]
    return {"requests": len(entries), "bytes": sum(e["bytes"] for e in entries), "by_kind": by_kind,
            "largest": sorted(((e["bytes"], e["path"]) for e in entries), reverse=True)[:3]}


def lighthouse(url: str, preset: str, report: Path) -> dict:
    """Lighthouse's category scores (0-100) for one URL with one preset."""
    if not LIGHTHOUSE.is_file():
        sys.exit(f"Lighthouse is missing ({LIGHTHOUSE.relative_to(ROOT)}): run `npm ci` in the project root")
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               "--only-categories=" + ",".join(CATEGORIES),
               "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse {preset} {url} failed:\n{done.stderr[-2000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failing = {}
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9:
                failing.setdefault(category, []).append(f"{ref['id']} ({audit.get('displayValue') or audit['score']})")
    metrics = {k: result["audits"][k].get("displayValue") for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    return {"scores": scores, "failing": failing, "metrics": metrics}


def median_run(url: str, preset: str, report: Path, runs: int) -> dict:
    """The run with the median performance score of ``runs`` Lighthouse runs, with every
    run's performance score (``performance_runs``)."""
    results = []
    for run in range(runs):
        path = report.with_name(f"{report.stem}-{run + 1}{report.suffix}")
        started = time.perf_counter()
        result = lighthouse(url, preset, path)
        result["seconds"] = round(time.perf_counter() - started, 1)
        results.append(result)
    results.sort(key=lambda r: r["scores"]["performance"])
    median = dict(results[(len(results) - 1) // 2])
    median["performance_runs"] = [r["scores"]["performance"] for r in results]
    return median


def misses(row: dict) -> list[str]:
    out = []
    if row["bytes"] > TARGETS["kb"] * 1024:
        out.append(f"{row['bytes'] / 1024:.0f} KB > {TARGETS['kb']} KB")
    for preset, result in row.get("lighthouse", {}).items():
        scores = result["scores"]
        if scores["performance"] < TARGETS["performance"][preset]:
            out.append(f"{preset} performance {scores['performance']}")
        if scores["accessibility"] < TARGETS["accessibility"]:
            out.append(f"{preset} accessibility {scores['accessibility']}")
        if scores["best-practices"] < TARGETS["best-practices"]:
            out.append(f"{preset} best practices {scores['best-practices']}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/)")
    parser.add_argument("--build", action="store_true", help="build a fresh site into a temp dir first")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--pages", nargs="*", help="url paths like exploding-vanishing/ ('' for home)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset (median)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    site = args.site
    temp = None
    if args.build:
        from building import finish, start_build

        temp = tempfile.TemporaryDirectory(prefix="bench-site-")
        code, output = finish(start_build(Path(temp.name) / "site", Path(temp.name) / "cache"))
        if code:
            sys.exit(output[-4000:])
        site = Path(temp.name) / "site"
    if not (site / "index.html").is_file():
        sys.exit(f"no built site at {site}: run `make build` (or pass --build)")
    paths = [url_path(s) for s in sources()]
    if args.pages is not None:
        paths = [p for p in paths if p in args.pages]
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    with SiteServer(site, compress=True) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            row = {"path": path or "(home)", **first_load(browser, server, path)}
            row["path"] = path
            if not args.no_lighthouse:
                row["lighthouse"] = {}
                for preset in ("desktop", "mobile"):
                    report = OUT / f"lighthouse-{(path.strip('/') or 'home').replace('/', '_')}-{preset}.json"
                    row["lighthouse"][preset] = median_run(server.url + path, preset, report, args.runs)
            row["misses"] = misses(row)
            rows.append(row)
            print(f"measured {path or '(home)'}: {row['bytes'] / 1024:.0f} KB, {row['requests']} requests",
                  file=sys.stderr)
        browser.close()
    (OUT / "pages.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")

    head = "| page | KB | requests |"
    rule = "|---|--:|--:|"
    if not args.no_lighthouse:
        head += " desktop perf (runs) / a11y / bp | mobile perf (runs) / a11y / bp |"
        rule += "---|---|"
    print(head + " misses |")
    print(rule + "---|")
    for row in rows:
        line = f"| {row['path'] or '(home)'} | {row['bytes'] / 1024:.0f} | {row['requests']} |"
        if not args.no_lighthouse:
            for preset in ("desktop", "mobile"):
                s = row["lighthouse"][preset]["scores"]
                runs = ",".join(map(str, row["lighthouse"][preset]["performance_runs"]))
                line += f" {s['performance']} ({runs}) / {s['accessibility']} / {s['best-practices']} |"
        print(line + f" {'; '.join(row['misses']) or '-'} |")
    failing = {}
    for row in rows:
        for preset, result in row.get("lighthouse", {}).items():
            for category, audits in result["failing"].items():
                for audit in audits:
                    failing.setdefault(f"{preset} {category}: {audit.split(' (')[0]}", []).append(row["path"] or "(home)")
    if failing:
        print("\nLighthouse audits scoring < 0.9 (pages):")
        for audit, pages in sorted(failing.items()):
            print(f"- {audit}: {len(pages)} page(s), e.g. {pages[0]}")
    if temp:
        temp.cleanup()
    return 1 if any(row["misses"] for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
