"""The reader's experience, checked in headless Chromium on the real built site.

One strict build (tests/support/building.py) is served on 127.0.0.1 under the site_url path,
like GitHub Pages serves it (tests/support/browser_server.py). Every page is opened in
light and dark, at 1280 px and at a 390 px phone width; each view is screenshotted
into test-artifacts/browser/. Needs Debian's chromium (`make browser`) and axe-core
from npm (`npm ci`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from browser_pages import description, math_count, page_ids, url_path
from browser_view import ARTIFACTS, SOURCES, VIEWS, View, each_view, screenshot_name
from pages import PROJECT

from sitebuild.runner import run_snippet

pytestmark = pytest.mark.browser

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
IDS = page_ids()

# axe-core findings left on purpose: rule id -> (the only elements it may flag, why).
# Empty: the two theme findings (unnamed search dialog, unfocusable notebook code cells)
# are fixed in overrides/partials/search.html and hooks/notebooks.py. Keep it minimal.
AXE_ALLOWED: dict[str, tuple[str, str]] = {}

# Text that means math was left as TeX (outside code, where backslashes are fine).
RAW_TEX = re.compile(r"\$|\\(?:frac|hat|begin|end|sum|sqrt|mathbb|mathrm|left|right|cdot|times|log|sigma|top)\b")


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_page_loads_only_from_this_server_without_errors(views, source):
    for scheme, width, seen in each_view(views, url_path(source)):
        assert seen["status"] == 200
        assert not seen["external"], f"{scheme} {width}px asked other hosts: {seen['external']}"
        assert not seen["errors"], f"{scheme} {width}px: {seen['errors']}"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_every_image_loads_and_has_alt_text(views, source):
    for scheme, width, seen in each_view(views, url_path(source)):
        broken = [i["src"] for i in seen["images"] if i["width"] == 0]
        assert not broken, f"{scheme} {width}px: images that did not load: {broken}"
        assert all(i["alt"] for i in seen["images"]), [i["src"] for i in seen["images"] if not i["alt"]]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_each_scheme_shows_its_own_figure_variant(views, source):
    for scheme, width, seen in each_view(views, url_path(source)):
        other = "dark" if scheme == "light" else "light"
        shown = [i["src"] for i in seen["images"] if i["src"].endswith(f"#only-{scheme}")]
        hidden = [i["src"] for i in seen["images"] if i["src"].endswith(f"#only-{other}")]
        assert len(shown) == len(hidden), "figures come in light/dark pairs"
        for image in seen["images"]:
            if image["src"].endswith(f"#only-{scheme}"):
                assert image["display"] != "none", f"{scheme}: {image['src']} is hidden"
            if image["src"].endswith(f"#only-{other}"):
                assert image["display"] == "none", f"{scheme}: {image['src']} is shown"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_math_is_rendered_as_mathml(views, source):
    expected = math_count(source)
    for scheme, width, seen in each_view(views, url_path(source)):
        raw = sorted(set(RAW_TEX.findall(seen["text"])))
        assert not raw, f"{scheme} {width}px: TeX left in the text: {raw}"
        assert seen["math"] == expected, f"{expected} math spans in the source, {seen['math']} <math> on the page"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_phone_width_has_no_horizontal_scroll_and_readable_text(views, source):
    for scheme in ("light", "dark"):
        seen = views[url_path(source), scheme, 390]
        overflow = seen["overflow"]
        assert overflow["scroll"] <= overflow["vw"], f"{scheme}: page scrolls sideways: {overflow}"
        assert not overflow["wide"], f"{scheme}: content wider than the screen: {overflow['wide']}"
        assert seen["font_px"] >= 16, f"body text is {seen['font_px']}px at 390px"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_page_has_description_edit_link_and_licence(views, source):
    seen = views[url_path(source), "light", 1280]
    promised = description(source)
    assert seen["description"], "no <meta name=description>"
    if promised is not None:
        assert seen["description"] == promised
    rel = source.relative_to(PROJECT / "docs").as_posix()
    # mkdocs.yml takes the repository from the deployment (REPO_URL, EDIT_URI: the workflow
    # sets them); the build ran with this environment. Without a repository, no edit link.
    repo = os.environ.get("REPO_URL")
    if repo:
        assert seen["edit"] == f"{repo.rstrip('/')}/{os.environ['EDIT_URI']}{rel}", seen["edit"]
    else:
        assert seen["edit"] is None, f"an edit link with no repository configured: {seen['edit']}"
    assert "CC BY 4.0" in seen["copyright"] and "MIT" in seen["copyright"], seen["copyright"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE.relative_to(PROJECT)}): run `npm ci` in the project root")
    return AXE.read_text(encoding="utf-8")


AXE_RUN = """async (allowed) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const excused = (id, node) => allowed[id] && node.target.length === 1
    && document.querySelector(node.target[0])?.matches(allowed[id]);
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => !excused(v.id, n))
      .map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
  })).filter(v => v.nodes.length).map(v => ({...v, nodes: v.nodes.slice(0, 12)}));
}"""


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, server, axe_source, source, scheme):
    view = View(browser, server, url_path(source), scheme, 1280)
    try:
        view.page.add_script_tag(content=axe_source)
        found = view.page.evaluate(AXE_RUN, {rule: selector for rule, (selector, _) in AXE_ALLOWED.items()})
    finally:
        view.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------- explorers

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


def key_value(root, key: str) -> float:
    return float(root.locator(f"[data-key={key}]").get_attribute("data-value"))


@pytest.fixture(scope="session")
def float_limits() -> dict:
    return run_snippet("exploding_vanishing/float_limits.py").namespace["limits"]


def test_depth_explorer_follows_the_keyboard_and_the_snippet(browser, server, float_limits):
    view = View(browser, server, "exploding-vanishing/", "light", 1280)
    try:
        page = view.page
        root = page.locator("[data-explorer=depth]")
        assert root.is_visible() and root.get_attribute("data-ready") == "true"
        embedded = json.loads(page.locator("#data-exploding_vanishing-float_limits-limits").text_content())
        assert embedded == json.loads(json.dumps(float_limits, default=float))
        f32 = float_limits["float32"]
        a, depth = root.locator("input[name=a]"), root.locator("input[name=L]")
        a.focus()
        page.keyboard.press("End")
        depth.focus()
        page.keyboard.press("End")
        assert (a.input_value(), depth.input_value()) == ("1.5", "250")
        # NumPy's float32 cumprod of 1.5 first gives inf at this depth; the explorer must agree.
        assert key_value(root, "overflow") == f32["1.5^L is inf from L ="]
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

        a.focus()
        page.keyboard.press("Home")   # a = 0.5: 0.5^L = 2^-L drops below the smallest normal at L = 127
        assert a.input_value() == "0.5"
        assert key_value(root, "underflow") == f32["0.5^L subnormal from L ="]
        for _ in range(60):           # ten steps of 0.01 from 0.5 ... to 1.1
            page.keyboard.press("ArrowRight")
        assert a.input_value() == "1.1"
        first = next(l for l in range(1, 10_000) if 1.1**l > f32["largest value"])
        assert key_value(root, "overflow") == first
        depth.focus()
        for _ in range(150):
            page.keyboard.press("ArrowLeft")
        assert depth.input_value() == "100"
        np.testing.assert_allclose(key_value(root, "value"), 1.1**100, rtol=1e-12)
        assert root.locator(".explorer-readout").get_attribute("aria-live") == "polite"
        assert not view.errors
    finally:
        view.close()


def domain_y(line, box: dict) -> float:
    (y0, y1), (_, _, top, bottom) = box["y"], box["box"]
    return y0 + (1 - (float(line.get_attribute("y1")) - top) / (bottom - top)) * (y1 - y0)


@pytest.fixture(scope="session")
def explorer_data() -> dict:
    return json.loads(json.dumps(run_snippet("deep_nets/explorer_data.py").namespace["explorer_data"], default=float))


def test_initialisation_explorer_shows_exactly_the_snippet_data(browser, server, explorer_data):
    view = View(browser, server, "deep-nets/", "dark", 390)
    try:
        page = view.page
        root = page.locator("[data-explorer=initialisation]")
        assert root.is_visible() and root.get_attribute("data-ready") == "true"
        embedded = json.loads(page.locator("#data-deep_nets-explorer_data-explorer_data").text_content())
        assert embedded == explorer_data
        gains = explorer_data["gains"]

        def check(act: str, init: str, index: int):
            state = json.loads(root.get_attribute("data-state"))
            assert state == {"act": act, "init": init, "i": index}
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


@pytest.mark.parametrize("path", ["exploding-vanishing/", "deep-nets/"])
def test_without_javascript_the_static_figure_stands_in(browser, server, path):
    view = View(browser, server, path, "light", 1280, javascript=False)
    try:
        assert view.page.locator(".explorer").count() == 1
        assert not view.page.locator(".explorer").is_visible()
        figure = view.page.locator("figure.snippet-figure img[src$='#only-light']")
        assert figure.count() >= 1 and figure.first.is_visible()
    finally:
        view.close()


def test_explorers_start_after_instant_navigation(browser, server):
    view = View(browser, server, "", "light", 1280)
    try:
        page = view.page
        page.evaluate("() => { window.sameDocument = true; }")  # a full page load would forget this
        for path, name in [("exploding-vanishing/", "depth"), ("deep-nets/", "initialisation")]:
            page.locator(f".md-nav--primary a[href$='{path}']").first.click()
            page.wait_for_url(view.base + path)
            root = page.locator(f"[data-explorer={name}]")
            root.wait_for(state="visible")
            assert root.get_attribute("data-ready") == "true"
            assert root.locator("polyline").count() >= 1
            assert page.evaluate("() => window.sameDocument === true"), "Material's instant navigation was not used"
        assert not view.errors
    finally:
        view.close()


# --------------------------------------------------------------------------- reader features

def test_palette_toggle_switches_figures_and_explorer_colours(browser, server):
    view = View(browser, server, "exploding-vanishing/", "light", 1280)
    try:
        page = view.page
        series = page.locator("[data-explorer=depth] polyline.explorer-series")
        light_img = page.locator("figure.snippet-figure img[src$='#only-light']").first
        dark_img = page.locator("figure.snippet-figure img[src$='#only-dark']").first
        before = series.evaluate("el => getComputedStyle(el).stroke")
        assert light_img.is_visible() and not dark_img.is_visible()
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert dark_img.is_visible() and not light_img.is_visible()
        assert series.evaluate("el => getComputedStyle(el).stroke") != before
    finally:
        view.close()


def test_search_finds_pages(browser, server):
    view = View(browser, server, "", "light", 1280)
    try:
        page = view.page
        page.locator(".md-search__input").click()
        page.keyboard.type("float32")
        links = page.locator(".md-search-result__link")
        links.first.wait_for(state="visible", timeout=10_000)
        assert any("exploding-vanishing/" in (a.get_attribute("href") or "") for a in links.all())
        assert not view.external and not view.errors
    finally:
        view.close()


def test_code_blocks_have_copy_buttons(browser, server):
    view = View(browser, server, "exploding-vanishing/", "light", 1280)
    try:
        blocks = view.page.locator("article div.highlight pre").count()
        assert blocks >= 3
        copy = view.page.locator("article div.highlight pre button[data-md-type=copy]")
        assert copy.count() == blocks, "Material's copy button on every code block"
        assert copy.first.get_attribute("title") == "Copy to clipboard"
    finally:
        view.close()


def test_missing_page_gets_the_404_page_with_working_assets(browser, server):
    view = View(browser, server, "no-such-page/", "dark", 390)
    try:
        assert view.response.status == 404
        assert "404" in view.page.locator("article").inner_text()
        home = view.page.locator("article a").first.evaluate("a => new URL(a.href).pathname")
        assert home == server.prefix, "the 404 page links to the home page"
        assert view.page.locator(".md-header").is_visible()
        assert view.page.evaluate("() => getComputedStyle(document.body).getPropertyValue('--md-default-bg-color')")
        failed = [e["path"] for e in server.log if e["status"] >= 400]
        assert failed[-1:] == [server.prefix + "no-such-page/"], "only the page itself is missing"
        assert failed.count(server.prefix + "no-such-page/") == len(failed) and not view.external
    finally:
        view.close()


def test_screenshots_were_taken_for_every_view(views):
    names = {screenshot_name(url_path(s), scheme, width) for s in SOURCES for scheme, width in VIEWS}
    missing = [n for n in names if not (ARTIFACTS / n).is_file() or (ARTIFACTS / n).stat().st_size < 5_000]
    assert not missing, missing
    assert len(names) == len(SOURCES) * len(VIEWS)
