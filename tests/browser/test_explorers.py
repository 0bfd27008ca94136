"""The interactive explorers in headless Chromium, on the session's built site.

Each explorer must show exactly what its snippet computed at build time, be usable from the
keyboard, start after a direct load and after Material's instant navigation, cost nothing on
pages without one (no script), and fetch its data only when the reader nears it.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from browser_pages import url_path
from browser_view import RESOURCES, SOURCES, View, each_view
from pages import DOCS

from sitebuild.runner import run_snippet

pytestmark = pytest.mark.browser

# Pages that pull in an explorer fragment (docs/includes/explorer-*.html), and which one.
INCLUDE = re.compile(r'^--8<-- "explorer-(\w+)\.html"', re.M)
EXPLORER_PAGES = {url_path(s): INCLUDE.findall(s.read_text(encoding="utf-8")) for s in SOURCES if s.suffix == ".md"}
EXPLORER_PAGES = {path: found for path, found in EXPLORER_PAGES.items() if found}
DEPTH, INIT = "exploding-vanishing/", "deep-nets/"

def domain(svg) -> dict:
    return json.loads(svg.get_attribute("data-domain"))


def plotted(polyline, box: dict) -> tuple[np.ndarray, np.ndarray]:
    """A polyline's points, mapped back from pixels to data coordinates."""
    points = np.array([[float(v) for v in p.split(",")] for p in polyline.get_attribute("points").split()])
    (x0, x1), (y0, y1), (left, right, top, bottom) = box["x"], box["y"], box["box"]
    xs = x0 + (points[:, 0] - left) / (right - left) * (x1 - x0)
    ys = y0 + (1 - (points[:, 1] - top) / (bottom - top)) * (y1 - y0)
    return xs, ys


def pixel_tolerance(box: dict) -> tuple[float, float]:
    """Points are written with one decimal (0.05 px), so compare to ±0.06 px in data units."""
    (x0, x1), (y0, y1), (left, right, top, bottom) = box["x"], box["y"], box["box"]
    return 0.06 * (x1 - x0) / (right - left), 0.06 * (y1 - y0) / (bottom - top)


def domain_y(line, box: dict) -> float:
    (y0, y1), (_, _, top, bottom) = box["y"], box["box"]
    return y0 + (1 - (float(line.get_attribute("y1")) - top) / (bottom - top)) * (y1 - y0)


def key_value(root, key: str) -> float:
    return float(root.locator(f"[data-key={key}]").get_attribute("data-value"))


def state(root) -> dict:
    return json.loads(root.get_attribute("data-state"))


def reach(page, name: str):
    """Scroll an explorer into view (as a reader would) and wait until it has drawn."""
    root = page.locator(f"[data-explorer={name}]")
    root.scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector('[data-explorer={name}]').dataset.ready === 'true'")
    return root


def first_inf(a: float, dtype) -> int:
    """The first depth L at which a^L, computed in `dtype` and rounded after every layer, is inf."""
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(2000, a, dtype=dtype), dtype=dtype)
    return int(np.argmax(np.isinf(powers))) + 1


@pytest.fixture(scope="session")
def float_limits() -> dict:
    return json.loads(json.dumps(run_snippet("exploding_vanishing/float_limits.py").namespace["limits"], default=float))


@pytest.fixture(scope="session")
def explorer_data() -> dict:
    return json.loads(json.dumps(run_snippet("deep_nets/explorer_data.py").namespace["explorer_data"], default=float))


# --------------------------------------------------------------------------- loading

def test_the_explorer_pages_are_the_ones_tested_here():
    assert EXPLORER_PAGES == {DEPTH: ["depth"], INIT: ["init"]}


@pytest.mark.parametrize("source", SOURCES, ids=[url_path(s) or "(home)" for s in SOURCES])
def test_explorer_script_loads_only_on_pages_with_an_explorer(views, source):
    path = url_path(source)
    for scheme, width, seen in each_view(views, path):
        loaded = [url for url in seen["fetched"] if "explorers" in url and url.endswith(".js")]
        scripts = [src for src in seen["scripts"] if "explorers" in src]
        if path in EXPLORER_PAGES:
            assert len(loaded) == 1 and scripts, f"{scheme} {width}px: {loaded}, {scripts}"
        else:
            assert loaded == [] and scripts == [], f"{path or 'home'} has no explorer but loads {loaded}"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(("path", "name", "snippet"), [
    (DEPTH, "depth", "exploding_vanishing/float_limits.py:limits"),
    (INIT, "initialisation", "deep_nets/explorer_data.py:explorer_data"),
])
def test_explorer_data_is_fetched_only_when_the_explorer_nears_the_viewport(browser, server, path, name, snippet, width):
    view = View(browser, server, path, "light", width)
    try:
        page = view.page
        root = page.locator(f"[data-explorer={name}]")
        data_id = "data-" + re.sub(r"[^\w-]", "-", snippet.replace(".py:", "-"))
        link = page.locator(f"#{data_id} a")
        url = link.evaluate("a => a.href")
        assert re.search(r"/data/.+\.[0-9a-f]{12}\.json$", url), url
        # The page carries a link, not the data: a few hundred bytes, not the JSON itself.
        assert len(page.locator(f"#{data_id}").evaluate("e => e.outerHTML")) < 400
        # The claim is only tested if the explorer starts out farther than the margin.
        gap = root.evaluate("e => e.getBoundingClientRect().top - innerHeight")
        assert gap > page.evaluate("() => explorerPlot.nearPx") + 100, f"explorer only {gap} px below the screen"
        page.wait_for_timeout(500)  # anything started by the load has had time to ask
        assert url not in page.evaluate(RESOURCES), "the data was fetched before the reader came near"
        assert root.get_attribute("data-ready") is None and root.locator("svg polyline").count() == 0

        reach(page, name)
        assert page.evaluate(RESOURCES).count(url) == 1
        module, _, variable = snippet.partition(":")
        expected = json.loads(json.dumps(run_snippet(module).namespace[variable], default=float))
        assert page.evaluate("url => fetch(url).then(r => r.json())", url) == expected
        assert root.locator("polyline.explorer-series").count() >= 1
        assert not view.errors
    finally:
        view.close()


def test_explorers_start_after_instant_navigation(browser, server):
    view = View(browser, server, "", "light", 1280)
    try:
        page = view.page
        page.evaluate("() => { window.sameDocument = true; }")  # a full page load would forget this
        route = [(DEPTH, "depth"), (INIT, "initialisation"), (DEPTH, "depth")]  # the last: a second visit
        for path, name in route:
            page.locator(f".md-nav--primary a[href$='{path}']").first.click()
            # navigation.tracking may append a section's anchor: Material's, not the explorers'
            page.wait_for_url(re.compile(re.escape(view.base + path) + r"(#.*)?$"))
            root = page.locator(f"[data-explorer={name}]")
            root.wait_for(state="visible")
            reach(page, name)
            # drawn once: a script run twice or a second subscription would stack a second plot
            assert root.locator("svg > g.explorer-axes").count() == 1
            assert root.locator("polyline.explorer-series").count() == (1 if name == "depth" else 2)
            assert page.evaluate("() => window.sameDocument === true"), "Material's instant navigation was not used"
        assert not view.errors
    finally:
        view.close()


@pytest.mark.parametrize("path", list(EXPLORER_PAGES))
def test_without_javascript_the_static_figure_stands_in(browser, server, path):
    view = View(browser, server, path, "light", 1280, javascript=False)
    try:
        assert view.page.locator(".explorer").count() == 1
        assert not view.page.locator(".explorer").is_visible()
        figure = view.page.locator("figure.snippet-figure img[src$='#only-light']")
        assert figure.count() >= 1 and figure.first.is_visible()
    finally:
        view.close()


# --------------------------------------------------------------------------- depth explorer

def set_range(page, root, name: str, index: int):
    root.locator(f"input[name={name}]").evaluate(
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }", index)


def test_depth_explorer_follows_the_keyboard_and_the_snippet(browser, server, float_limits):
    view = View(browser, server, DEPTH, "light", 1280)
    try:
        page = view.page
        root = reach(page, "depth")
        f32 = float_limits["float32"]
        a, depth = root.locator("input[name=a]"), root.locator("input[name=L]")
        assert state(root)["a"] == 1.5 and state(root)["format"] == "float32"
        depth.focus()
        page.keyboard.press("End")
        assert depth.input_value() == "250"
        # NumPy's float32 cumprod of 1.5 first gives inf at this depth; the explorer must agree.
        assert key_value(root, "overflow") == f32["1.5^L is inf from L ="] == first_inf(1.5, np.float32)
        np.testing.assert_allclose(key_value(root, "value"), 1.5**250, rtol=1e-12)
        assert f"overflows float32 at L = {f32['1.5^L is inf from L =']}" in root.locator(".explorer-plot svg").text_content()
        box = domain(root.locator(".explorer-plot svg"))
        xs, ys = plotted(root.locator("polyline.explorer-series"), box)
        tol_x, tol_y = pixel_tolerance(box)
        np.testing.assert_allclose(xs, np.arange(251), atol=tol_x)
        np.testing.assert_allclose(ys, np.arange(251) * np.log10(1.5), atol=tol_y)
        limit_y = [domain_y(line, box) for line in root.locator("line.explorer-limit").all()]
        np.testing.assert_allclose(sorted(limit_y), np.log10([f32["smallest normal"], f32["largest value"]]),
                                   atol=tol_y)

        scale = a.evaluate("el => el.dataset.scale.split(' ').map(Number)")
        set_range(page, root, "a", round(scale[2] / scale[1]))    # the end of the first segment
        assert state(root)["a"] == 0.5
        assert key_value(root, "underflow") == f32["0.5^L subnormal from L ="]
        a.focus()
        for _ in range(60):           # steps of 0.01 from 0.5 ... to 1.1
            page.keyboard.press("ArrowRight")
        assert state(root)["a"] == 1.1
        assert key_value(root, "overflow") == first_inf(1.1, np.float32)
        depth.focus()
        for _ in range(150):
            page.keyboard.press("ArrowLeft")
        assert depth.input_value() == "100"
        np.testing.assert_allclose(key_value(root, "value"), 1.1**100, rtol=1e-12)
        assert root.locator(".explorer-readout").get_attribute("aria-live") == "polite"
        for control in root.locator("input, select").all():   # every control has a label
            assert control.evaluate("el => el.labels.length > 0")
        assert not view.errors
    finally:
        view.close()


def test_depth_explorer_scale_reaches_zero_and_its_stated_maximum(browser, server, float_limits):
    view = View(browser, server, DEPTH, "dark", 390)
    try:
        page = view.page
        root = reach(page, "depth")
        stated = re.search(r"runs from (\S+) to (\S+?),", root.locator(".explorer-scale-note").inner_text())
        assert stated, "the explorer says what range its scale slider covers"
        low, high = float(stated[1]), float(stated[2])
        assert low == 0 and high >= 10, "the pages talk about a = 0 and about scales far above 1.5"
        a, depth = root.locator("input[name=a]"), root.locator("input[name=L]")
        depth.focus()
        page.keyboard.press("End")
        L = int(depth.input_value())
        f32 = float_limits["float32"]

        a.focus()
        page.keyboard.press("End")
        assert state(root)["a"] == high and root.locator("output[for=explorer-depth-a]").inner_text() == f"{high:.2f}"
        assert a.get_attribute("aria-valuetext") == f"a = {high:.2f}"
        np.testing.assert_allclose(key_value(root, "value"), high**L, rtol=1e-12)
        # The first depth where float32 (NumPy, rounding every layer) gives inf, and the snippet's limit.
        assert key_value(root, "overflow") == first_inf(high, np.float32)
        assert high ** (key_value(root, "overflow") - 1) <= f32["largest value"] < high ** key_value(root, "overflow")
        box = domain(root.locator(".explorer-plot svg"))
        tol_x, tol_y = pixel_tolerance(box)
        xs, ys = plotted(root.locator("polyline.explorer-series"), box)
        np.testing.assert_allclose(xs, np.arange(L + 1), atol=tol_x)
        np.testing.assert_allclose(ys, np.arange(L + 1) * np.log10(high), atol=tol_y)

        page.keyboard.press("Home")
        assert state(root)["a"] == low == 0
        assert key_value(root, "value") == 0.0
        assert key_value(root, "underflow") == 1          # 0^1 = 0: gone after one layer
        box = domain(root.locator(".explorer-plot svg"))
        xs, ys = plotted(root.locator("polyline.explorer-series"), box)
        tol_x, tol_y = pixel_tolerance(box)
        # 0^0 = 1 is the only point a log axis can show; every later layer is exactly 0.
        np.testing.assert_allclose(np.c_[xs, ys], [[0, 0]], atol=max(tol_x, tol_y))
        limit_y = [domain_y(line, box) for line in root.locator("line.explorer-limit").all()]
        np.testing.assert_allclose(sorted(limit_y), np.log10([f32["smallest normal"], f32["largest value"]]),
                                   atol=tol_y)
        assert not view.errors
    finally:
        view.close()


def test_depth_explorer_float16_view_uses_numpys_float16_limits(browser, server, float_limits):
    js = (DOCS / "assets" / "explorers" / "explorers.js").read_text(encoding="utf-8")
    f16 = float_limits["float16"]
    info = np.finfo(np.float16)
    assert (f16["largest value"], f16["smallest normal"]) == (float(info.max), float(info.smallest_normal))
    assert "65504" not in js and "6.1035" not in js, "float16's limits must come from the build, not the script"
    view = View(browser, server, DEPTH, "light", 1280)
    try:
        page = view.page
        root = reach(page, "depth")
        root.locator("input[name=format][value=float32]").focus()
        page.keyboard.press("ArrowLeft")             # radio group: float32 -> bfloat16 -> float16
        page.keyboard.press("ArrowLeft")
        assert state(root)["format"] == "float16"
        assert state(root)["a"] == 1.5
        # float16 overflows at the depth NumPy's float16 arithmetic does (and the snippet says).
        assert key_value(root, "overflow") == f16["1.5^L is inf from L ="] == first_inf(1.5, np.float16)
        text = root.locator(".explorer-plot svg").text_content()
        assert f"overflows float16 at L = {f16['1.5^L is inf from L =']}" in text
        box = domain(root.locator(".explorer-plot svg"))
        _, tol_y = pixel_tolerance(box)
        limit_y = [domain_y(line, box) for line in root.locator("line.explorer-limit").all()]
        np.testing.assert_allclose(sorted(limit_y), np.log10([float(info.smallest_normal), float(info.max)]), atol=tol_y)
        assert "float16's largest value" in root.locator(".explorer-readout").inner_text()

        scale = root.locator("input[name=a]").evaluate("el => el.dataset.scale.split(' ').map(Number)")
        set_range(page, root, "a", round(scale[2] / scale[1]))    # the end of the first segment
        assert state(root)["a"] == 0.5 and state(root)["format"] == "float16"
        assert key_value(root, "underflow") == f16["0.5^L subnormal from L ="]
        assert 0.5 ** key_value(root, "underflow") < info.smallest_normal <= 0.5 ** (key_value(root, "underflow") - 1)
        assert not view.errors
    finally:
        view.close()


# --------------------------------------------------------------------------- initialisation explorer

def test_initialisation_explorer_shows_exactly_the_snippet_data(browser, server, explorer_data):
    view = View(browser, server, INIT, "dark", 390)
    try:
        page = view.page
        root = reach(page, "initialisation")
        gains = explorer_data["gains"]

        def check(act: str, init: str, index: int):
            assert state(root) == {"act": act, "init": init, "i": index}
            acts = explorer_data["act_std"][act][init][index]
            grads = explorer_data["grad_std"][act][init][index]
            assert key_value(root, "act-first") == acts[0] and key_value(root, "act-last") == acts[-1]
            assert key_value(root, "grad-first") == grads[0] and key_value(root, "grad-last") == grads[-1]
            box = domain(root.locator(".explorer-plot svg"))
            tol_x, tol_y = pixel_tolerance(box)
            (ax, ay), (gx, gy) = (plotted(line, box) for line in root.locator("polyline.explorer-series").all())
            np.testing.assert_allclose(ax, np.arange(1, len(acts) + 1), atol=tol_x)
            np.testing.assert_allclose(ay, np.log10(acts), atol=tol_y)
            np.testing.assert_allclose(gx, np.arange(len(grads)), atol=tol_x)
            np.testing.assert_allclose(gy, np.log10(grads), atol=tol_y)

        check("tanh", "he", gains.index(1.0))
        root.locator("input[value=tanh]").focus()
        page.keyboard.press("ArrowRight")            # radio group: tanh -> ReLU
        check("relu", "he", gains.index(1.0))
        root.locator("select").focus()
        page.keyboard.press("ArrowUp")               # He -> LeCun
        check("relu", "lecun", gains.index(1.0))
        root.locator("input[name=gain]").focus()
        page.keyboard.press("End")
        check("relu", "lecun", len(gains) - 1)
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        check("relu", "lecun", 1)
        for label in root.locator("input, select").all():   # every control has a label
            assert label.evaluate("el => el.labels.length > 0")
        assert not view.errors
    finally:
        view.close()

