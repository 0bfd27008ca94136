"""One page opened in headless Chromium at one colour scheme and width, served like GitHub Pages."""

from __future__ import annotations

import os
import shutil
import time

from browser_pages import sources
from browser_server import SiteServer, site_origin
from pages import PROJECT

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
PHONE = 390  # CSS px: a common phone held upright
AXE_WIDTH = 1280  # the width axe-core checks each page at, in both schemes
VIEWS = [(scheme, width) for scheme in ("light", "dark") for width in (1280, PHONE)]
SOURCES = sources()

CONNECT = dict(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

# The origin pages are opened at: site_url's, as the published site is. Requests to it are
# answered by the local server (on whatever free port it got). Material's instant navigation
# follows only links that sitemap.xml lists, and a port that differs from site_url's (the
# local default is make serve's 127.0.0.1:8000) turned it off.
HOST = site_origin()


# Checks other test modules run on every page at the phone width, inside the views fixture's
# one page load per page and scheme: name -> (function(page) -> data, changes_page). Those
# that change the page (open folds, click, scroll) run after the others.
PHONE_PROBES: dict[str, tuple] = {}


def phone_probe(name: str, changes_page: bool = False):
    def register(function):
        PHONE_PROBES[name] = (function, changes_page)
        return function
    return register


# After "load", a page counts as settled once no request has been in flight for this long.
# Measured on every page (light 1280 px, dark 390 px) on a quiet machine: the last request after
# load (the favicon; on two pages a figure) starts within 55 ms of it; 0.25 s leaves room for
# make test's three processes on two cores. Playwright's "networkidle" waits 0.5 s (0.58 s a
# load measured, over about 150 loads).
QUIET_S = 0.25


# Every URL the open document has fetched (scripts, styles, images, data), in order.
RESOURCES = "() => performance.getEntriesByType('resource').map(e => e.name)"

# Every document this view loads starts as a reader's first visit: Material keeps state in
# storage (a linked tab chosen, the palette), which one page would otherwise leave to the next.
FIRST_VISIT = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"


class View:
    """One page opened in one colour scheme at one width, with what the browser saw."""

    def __init__(self, browser, server: SiteServer, path: str, scheme: str, width: int, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                           java_script_enabled=javascript, service_workers="block")
        self.server, self.scheme, self.width = server, scheme, width
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.context.add_init_script(FIRST_VISIT)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and r.url != self.page.url
                     and self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.in_flight: set = set()
        self.last_change = time.monotonic()
        self.context.on("request", self._started)
        self.context.on("requestfinished", self._ended)
        self.context.on("requestfailed", self._ended)
        self.base = HOST + server.prefix
        self.javascript = javascript
        self.open(path)

    def open(self, path: str) -> None:
        """Load ``path`` in this view's tab (what the browser saw starts afresh). Loading in the
        same tab reuses Chromium's renderer process: half the CPU of a load in a new context."""
        if self.page.url != "about:blank":  # unload the last page first: what it logs on the way out is its own
            self.page.goto("about:blank")
        self.path = path
        self.external.clear()
        self.errors.clear()
        self.in_flight.clear()
        self.response = self.page.goto(self.base + path, wait_until="load")
        if self.javascript:
            self.settle()

    def settle(self, quiet_s: float = QUIET_S, limit_s: float = 30) -> None:
        """Wait until no request has been in flight for ``quiet_s``."""
        deadline = time.monotonic() + limit_s
        while self.in_flight or time.monotonic() - self.last_change < quiet_s:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.page.url}: requests still in flight after {limit_s} s: "
                                   f"{sorted(r.url for r in self.in_flight)}")
            self.page.wait_for_timeout(20)

    def _started(self, request) -> None:
        self.in_flight.add(request)
        self.last_change = time.monotonic()

    def _ended(self, request) -> None:
        self.in_flight.discard(request)
        self.last_change = time.monotonic()

    def _route(self, route):
        url = route.request.url
        if url.startswith(HOST + "/"):
            route.fulfill(response=route.fetch(url=self.server.origin + url[len(HOST):]))
        elif url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def close(self):
        # A request still being routed (the favicon, say) would otherwise fail in the next test.
        self.context.unroute_all(behavior="ignoreErrors")
        self.context.close()


def draw_everything(page):
    """Before a full-page screenshot: load every lazy image and draw every code block (off-screen
    blocks are skipped, content-visibility: auto, and a full-page shot does not bring them on
    screen). Returns the added style; ``.evaluate("style => style.remove()")`` undoes it."""
    page.evaluate("""async () => {
      const lazy = [...document.querySelectorAll('img[loading="lazy"]')];
      lazy.forEach(i => { i.loading = 'eager'; });
      await Promise.all(lazy.map(i => i.complete ? null : new Promise(done => {
        i.addEventListener('load', done); i.addEventListener('error', done); setTimeout(done, 5000); })));
    }""")
    return page.add_style_tag(content=".md-typeset .highlight { content-visibility: visible !important; }")


# Full-page screenshots, for a person to look at: JPEG at this quality keeps text sharp and costs
# Chromium 0.29 CPU-s a page where PNG cost 0.50 (measured over the 20 pages, light 1280 px and dark 390 px).
SCREENSHOT_QUALITY = 90


def screenshot_name(path: str, scheme: str, width: int) -> str:
    return f"{(path.strip('/') or 'home').replace('/', '_')}-{scheme}-{width}.jpg"


def each_view(views, path):
    return [(scheme, width, views[path, scheme, width]) for scheme, width in VIEWS]
