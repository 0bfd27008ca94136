"""The browser suite's fixtures: the built site, its server, Chromium, and every page in every view."""

from __future__ import annotations

import contextlib
import os
import queue
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from axe import axe_source, serious_violations
from browser_pages import url_path
from browser_server import SiteServer
from browser_view import (
    ARTIFACTS,
    AXE_WIDTH,
    CHROMIUM,
    CONNECT,
    PHONE,
    PHONE_PROBES,
    RESOURCES,
    SCREENSHOT_QUALITY,
    SOURCES,
    VIEWS,
    View,
    draw_everything,
    screenshot_name,
)
from building import handed_site


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The session's strict cold build of the working tree (or DEEP_INIT_SITE, an already built site/,
    or DEEP_INIT_SITE_FROM, where the build tests' process hands its site over: tools/run_tests.py)."""
    if os.environ.get("DEEP_INIT_SITE"):
        return Path(os.environ["DEEP_INIT_SITE"]).resolve()
    if os.environ.get("DEEP_INIT_SITE_FROM"):
        return handed_site(Path(os.environ["DEEP_INIT_SITE_FROM"]))
    builds = request.getfixturevalue("cold_builds")
    code, output = builds["results"][0]
    assert code == 0, output[-4000:]
    return builds["sites"][0]


@pytest.fixture(scope="session")
def server(built_site):
    with SiteServer(built_site) as running:
        yield running


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, driven by Playwright, for the calling thread."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the lock file pins it
        pytest.fail("the browser tests need Playwright for Python: make install (requirements.lock)")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}: run `make browser` "
                    "(apt-get install chromium); Playwright's own browser download is not used")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(**CONNECT)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser():
    with chromium() as launched:
        yield launched


EAGER_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('img')];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done); setTimeout(done, 5000);
  })));
  return imgs.map(i => ({src: i.getAttribute('src'), alt: (i.getAttribute('alt') || '').trim(),
                         width: i.naturalWidth, display: getComputedStyle(i).display}));
}"""

PROSE_TEXT = """() => {
  const skip = 'pre, code, script, style, math, textarea, .md-search, .explorer svg';
  const root = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest(skip)) out.push(n.nodeValue);
  }
  return out.join(' ');
}"""

OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const clipped = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o !== 'visible') return true; } return false; };
  const wide = [...document.querySelectorAll('article *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > vw + 1 && !clipped(el);
  }).map(el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className : ''));
  return {scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), vw, wide: wide.slice(0, 5)};
}"""


BODY_FONT_PX = """() => {
  // the first paragraph of prose: not a box, a figure, a table, or the notebook line's small print
  const prose = [...document.querySelectorAll('article p')].find(p => !p.closest('.admonition, details, figure, .explorer, table, .md-source-file') && !p.querySelector('a.page-notebook'));
  return parseFloat(getComputedStyle(prose || document.body).fontSize);
}"""


# Code blocks off screen are not drawn (content-visibility: auto, site.css); until one has been,
# the browser lays it out at the height its contain-intrinsic-size computes from its line count.
# For each shown block: how much taller (+) or shorter (-) that height is than the drawn block,
# in em of its text. (Chromium also remembers a drawn block's height: once drawn, a block is
# laid out at that height; the formula is what a block never drawn gets.)
PLACEHOLDERS = """() => {
  const out = [];
  for (const block of document.querySelectorAll('.md-typeset .highlight')) {
    if (!block.checkVisibility()) continue;  // in a tab not chosen
    const style = getComputedStyle(block);
    const placeholder = parseFloat(style.containIntrinsicHeight.split(' ').pop());
    const was = block.style.contentVisibility;
    block.style.contentVisibility = 'visible';
    const drawn = block.getBoundingClientRect().height;
    block.style.contentVisibility = was;
    out.push({name: (block.querySelector('.filename') || {}).textContent || '(unnamed)',
              em: (placeholder - drawn) / parseFloat(style.fontSize)});
  }
  return out;
}"""


def look(view: View, axe: str) -> dict:
    """What the tests read of the page open in ``view`` (see views)."""
    page, path = view.page, view.path
    # What loading the page fetched, and axe, on the page as loaded (the probes below load lazy
    # images, open folds, ...)
    fetched = page.evaluate(RESOURCES)
    found = serious_violations(page, axe) if view.width == AXE_WIDTH else None
    record = {
        "fetched": fetched,
        "scripts": page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src')).filter(Boolean)"),
        "axe": found,
        "placeholders": page.evaluate(PLACEHOLDERS),
        "status": view.response.status,
        "images": page.evaluate(EAGER_IMAGES),
        "text": page.evaluate(PROSE_TEXT),
        "math": page.locator("article math").count(),
        "overflow": page.evaluate(OVERFLOW),
        "description": page.locator('meta[name="description"]').get_attribute("content"),
        "edit": page.locator("a.md-content__button[href*='/edit/']").first.get_attribute("href")
        if page.locator("a.md-content__button[href*='/edit/']").count() else None,
        "copyright": page.locator(".md-copyright").inner_text(),
        "font_px": page.evaluate(BODY_FONT_PX),
    }
    drawn = draw_everything(page)  # for the picture only
    page.screenshot(path=str(ARTIFACTS / screenshot_name(path, view.scheme, view.width)), full_page=True,
                    quality=SCREENSHOT_QUALITY)
    drawn.evaluate("style => style.remove()")
    record["external"], record["errors"] = list(view.external), list(view.errors)
    if view.width == PHONE:
        in_order = sorted(PHONE_PROBES.items(), key=lambda item: item[1][1])
        record["probes"] = {name: probe(page) for name, (probe, _) in in_order}
    return record


# The views fixture's threads, each with its own Chromium (Playwright's sync API belongs to the
# thread that started it), each opening every page in one scheme and width after another, in
# one tab. A view is a chain of short round trips between Python, Playwright's driver and
# Chromium; with two chains at once the fixture alone kept both cores 93 % busy (155 CPU-s in 83 s).
VIEW_THREADS = 2


def look_at_each(server, axe: str, todo: queue.SimpleQueue, results: dict) -> None:
    with chromium() as browser:
        while (job := todo.get()) is not None:
            paths, scheme, width = job
            view = View(browser, server, paths[0], scheme, width)
            try:
                for path in paths:
                    if view.path != path:
                        view.open(path)
                    results[path, scheme, width] = look(view, axe)
            finally:
                view.close()


@pytest.fixture(scope="session")
def views(server):
    """Open every page in every view once; tests read the results (at the phone width also
    what the registered phone probes found, in record["probes"]; at AXE_WIDTH axe-core's findings)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        axe = axe_source()
    except FileNotFoundError as missing:
        pytest.fail(str(missing))
    paths = [url_path(source) for source in SOURCES]
    todo = queue.SimpleQueue()
    for job in [*[(paths, scheme, width) for scheme, width in VIEWS], *[None] * VIEW_THREADS]:
        todo.put(job)
    results: dict[tuple[str, str, int], dict] = {}
    with ThreadPoolExecutor(VIEW_THREADS, thread_name_prefix="views") as pool:
        for started in [pool.submit(look_at_each, server, axe, todo, results) for _ in range(VIEW_THREADS)]:
            started.result()  # a thread's error, raised here
    return {(path, scheme, width): results[path, scheme, width] for path in paths for scheme, width in VIEWS}
