"""Every built page in Firefox and in Chromium, side by side, to look at (asserts nothing).

    .venv/bin/python benchmarks/browsers.py                   # site/ (run `make build` first)
    .venv/bin/python benchmarks/browsers.py --site /tmp/site --pages gradients/ one-neuron/
    .venv/bin/python benchmarks/browsers.py --scheme dark --width 390

Firefox is Debian's firefox-esr (`apt-get install firefox-esr`), run headless with
`--screenshot` and a throwaway profile; Playwright cannot drive it. Chromium is Debian's
chromium through Playwright, as in the browser tests. The site is served on 127.0.0.1 as
GitHub Pages would serve it (tests/support/browser_server.py). Firefox's --screenshot
captures its window only, so its window is made as tall as the page is in Chromium (plus
a margin, in case Firefox sets it longer) and the bottom is cropped to Firefox's own page.

For each page, one PNG with Firefox on the left and Chromium on the right goes into the
folder printed at the end; the figures printed are pages rendered and time per engine.
The test suite never needs Firefox; this is for a person comparing the two engines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "support")]

from browser_pages import sources, url_path  # noqa: E402
from browser_server import SiteServer  # noqa: E402
from browser_view import draw_everything  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
FIREFOX = os.environ.get("FIREFOX") or shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
OUT = ROOT / "test-artifacts" / "benchmarks" / "browsers"
LABEL_PX = 28  # a strip above each screenshot naming the engine
# A throwaway profile that asks no other host for anything and takes the colour scheme given.
FIREFOX_PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "app.update.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "extensions.update.enabled": False,
    "layout.css.devPixelsPerPx": "1.0",
}


def firefox_profile(folder: Path, scheme: str) -> Path:
    # headless Firefox ignores the content-override pref; it follows the "system" theme
    prefs = dict(FIREFOX_PREFS, **{"ui.systemUsesDarkTheme": 1 if scheme == "dark" else 0})
    lines = [f"user_pref({name!r}, {str(v).lower() if isinstance(v, bool) else repr(v)});"
             for name, v in prefs.items()]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "user.js").write_text("\n".join(lines).replace("'", '"') + "\n", encoding="utf-8")
    return folder


def firefox_version() -> str:
    return subprocess.run([FIREFOX, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def firefox_shot(url: str, out: Path, profile: Path, width: int, height: int) -> None:
    done = subprocess.run([FIREFOX, "--headless", "--no-remote", "--profile", str(profile), "--screenshot", str(out),
                           f"--window-size={width},{height}", url], capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"firefox-esr could not screenshot {url}: {done.stderr[-2000:]}")


def crop_to_page(image, background: tuple[int, ...]):
    """Cut the rows below the page's last non-background row (Firefox's window was made too tall)."""
    from PIL import Image, ImageChops

    rgb = image.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, background[:3])).getbbox()
    return image.crop((0, 0, image.width, box[3] + 16)) if box else image


def side_by_side(left: Path, right: Path, out: Path, labels: tuple[str, str]) -> None:
    from PIL import Image, ImageDraw

    first, second = Image.open(left), Image.open(right)
    first = crop_to_page(first, second.getpixel((second.width - 1, second.height - 1)))
    gap = 12
    canvas = Image.new("RGB", (first.width + gap + second.width, LABEL_PX + max(first.height, second.height)), "white")
    draw = ImageDraw.Draw(canvas)
    for x, image, label in ((0, first, labels[0]), (first.width + gap, second, labels[1])):
        canvas.paste(image.convert("RGB"), (x, LABEL_PX))
        draw.text((x + 6, 8), label, fill="black")
    canvas.paste((200, 200, 200), (first.width, 0, first.width + gap, canvas.height))
    canvas.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/)")
    parser.add_argument("--pages", nargs="*", help="url paths, e.g. gradients/ (default: every page)")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site} has no index.html: build the site first (make build)")
    if not Path(FIREFOX).is_file():
        sys.exit(f"no Firefox at {FIREFOX}: apt-get install -y firefox-esr (or set FIREFOX)")
    from playwright.sync_api import sync_playwright

    paths = args.pages or [url_path(s) for s in sources()]
    args.out.mkdir(parents=True, exist_ok=True)
    timings = {"firefox": 0.0, "chromium": 0.0}
    with tempfile.TemporaryDirectory(prefix="browsers-") as scratch, SiteServer(args.site) as server, \
            sync_playwright() as playwright:
        profile = firefox_profile(Path(scratch) / "profile", args.scheme)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        labels = (firefox_version(), f"Chromium {browser.version}")
        for path in paths:
            name = (path.strip("/") or "home").replace("/", "_") + f"-{args.scheme}-{args.width}"
            chromium_png, firefox_png = Path(scratch) / f"{name}-chromium.png", Path(scratch) / f"{name}-firefox.png"
            start = time.perf_counter()
            context = browser.new_context(viewport={"width": args.width, "height": 900}, color_scheme=args.scheme,
                                          service_workers="block")
            page = context.new_page()
            page.goto(server.url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            draw_everything(page)
            height = page.evaluate("document.documentElement.scrollHeight")
            page.screenshot(path=str(chromium_png), full_page=True)
            context.close()
            timings["chromium"] += time.perf_counter() - start
            start = time.perf_counter()
            firefox_shot(server.url + path, firefox_png, profile, args.width, int(height * 1.1) + 400)
            timings["firefox"] += time.perf_counter() - start
            side_by_side(firefox_png, chromium_png, args.out / f"{name}.png", labels)
            print(f"  {path or '(home)':32} {height:6d} px tall in Chromium")
        browser.close()
    print(f"{len(paths)} pages at {args.width} px, {args.scheme}: Firefox {timings['firefox']:.1f} s "
          f"({labels[0]}), Chromium {timings['chromium']:.1f} s ({labels[1]})")
    print(f"side-by-side PNGs (Firefox left, Chromium right): {args.out}")


if __name__ == "__main__":
    main()
