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

import pytest
from browser_pages import description, math_count, page_ids, url_path
from browser_view import ARTIFACTS, AXE_WIDTH, SOURCES, VIEWS, View, each_view, screenshot_name
from pages import PROJECT

pytestmark = pytest.mark.browser

IDS = page_ids()

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


def test_code_blocks_placeholder_height_is_their_drawn_height(views):
    # A block's placeholder height comes from its line count (site.css, sitebuild/code_blocks.py).
    # Were it off, a jump to a heading or a find-in-page match below the block would land short
    # and the page would shift as the reader scrolls. A quarter of an em (a line is 1.19 em) is
    # far above sub-pixel rounding (measured: at most 0.02 em); a wrong line count is 1.19 em.
    measured, off = 0, []
    for source in SOURCES:
        for scheme, width, seen in each_view(views, url_path(source)):
            measured += len(seen["placeholders"])
            off += [f"{url_path(source)} {scheme} {width}px {b['name']}: {b['em']:+.2f} em"
                    for b in seen["placeholders"] if abs(b["em"]) > 0.25]
    assert measured >= 300, f"only {measured} code blocks measured"
    assert not off, off


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


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(views, source, scheme):
    """axe-core's serious and critical findings, run in the views fixture's 1280 px load (AXE_WIDTH)
    before anything changes the page; what may be excused is in tests/support/axe.py."""
    found = views[url_path(source), scheme, AXE_WIDTH]["axe"]
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


# The explorers' tests are in test_explorers.py.


# --------------------------------------------------------------------------- reader features

def test_palette_toggle_switches_figures_and_explorer_colours(browser, server):
    view = View(browser, server, "exploding-vanishing/", "light", 1280)
    try:
        page = view.page
        page.locator("[data-explorer=depth]").scroll_into_view_if_needed()  # it draws when near the screen
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
