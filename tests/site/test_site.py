"""The strict build: it passes without warnings, is reproducible, and stays on this site."""

from __future__ import annotations

import filecmp
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from building import snippet_records_differ, tree_digest
from pages import DOCS, SNIPPETS

from sitebuild.figures import LIGHT_TO_DARK, TEXT

pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def two_builds(cold_builds):
    return cold_builds


def test_strict_build_succeeds_without_warnings(two_builds):
    for code, output in two_builds["results"]:
        assert code == 0, output[-4000:]
        assert "WARNING" not in output, output[-4000:]


def test_two_clean_builds_are_byte_identical(two_builds):
    first, second = two_builds["sites"]
    differences = []

    def compare(cmp: filecmp.dircmp, prefix: str = "") -> None:
        differences.extend(prefix + name for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differences.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            compare(sub, f"{prefix}{name}/")

    compare(filecmp.dircmp(first, second))
    assert not differences, f"files that differ between two clean builds: {differences}"


def test_every_snippet_gives_the_same_result_in_both_builds(two_builds):
    """The two cold builds run with different hash seeds; each snippet's result must not care."""
    differing = snippet_records_differ(*two_builds["caches"])
    assert not differing, f"snippets whose results differ between two builds: {differing}"


def test_build_leaves_sources_untouched(two_builds):
    assert tree_digest(DOCS, SNIPPETS) == two_builds["sources_before"]


class Resources(HTMLParser):
    """Collect what a page makes the browser fetch, and every image's alt text."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.fetched.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate", "prev", "next"):
            self.fetched.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)


def built_pages(two_builds) -> list[Path]:
    pages = sorted(two_builds["sites"][0].rglob("*.html"))
    assert len(pages) > 10
    return pages


def test_pages_fetch_nothing_from_other_hosts(two_builds):
    for page in built_pages(two_builds):
        html = page.read_text(encoding="utf-8")
        parser = Resources()
        parser.feed(html)
        external = [u for u in parser.fetched if re.match(r"(https?:)?//", u)]
        external += re.findall(r"@import\s+url\(\s*['\"]?(?:https?:)?//[^)]+", html)
        assert not external, f"{page}: loads from another host: {external}"


def test_materials_script_is_deferred_on_every_page(two_builds):
    """overrides/main.html adds `defer` to Material's bundle by rewriting the tag Material writes;
    after an upgrade that writes it differently, the rewrite would silently do nothing."""
    for page in built_pages(two_builds):
        tags = re.findall(r"<script\b[^>]*\bsrc=\"[^\"]*/bundle\.[0-9a-f]+\.min\.js\"[^>]*>", page.read_text(encoding="utf-8"))
        assert len(tags) == 1 and " defer" in tags[0], f"{page}: {tags}"


def test_stylesheets_fetch_nothing_from_other_hosts(two_builds):
    for sheet in two_builds["sites"][0].rglob("*.css"):
        remote = re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]+\)", sheet.read_text(encoding="utf-8"))
        assert not remote, f"{sheet}: {remote}"


def test_every_image_has_alt_text(two_builds):
    for page in built_pages(two_builds):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        missing = [img.get("src") for img in parser.images if not (img.get("alt") or "").strip()]
        assert not missing, f"{page}: images without alt text: {missing}"


def test_figures_come_in_light_and_dark_pairs(two_builds):
    site = two_builds["sites"][0]
    light = sorted(p.relative_to(site).as_posix() for p in site.rglob("*-light.svg"))
    assert light, "the site has no generated figures"
    for path in light:
        assert (site / path.replace("-light.svg", "-dark.svg")).is_file(), path


# Each MathML layout element takes exactly this many children (MathML Core, section 3); with
# more or fewer, browsers render the scripts wrongly (e.g. a subscript set on the baseline).
MATHML_CHILDREN = {"msub": 2, "msup": 2, "msubsup": 3, "mfrac": 2, "mroot": 2,
                   "mover": 2, "munder": 2, "munderover": 3}


def test_every_mathml_script_and_fraction_has_its_number_of_children(two_builds):
    counted = 0
    for page in built_pages(two_builds):
        for math in re.findall(r"<math\b.*?</math>", page.read_text(encoding="utf-8"), re.S):
            for element in ET.fromstring(math).iter():
                tag = element.tag.rpartition("}")[2]
                if tag in MATHML_CHILDREN:
                    counted += 1
                    assert len(element) == MATHML_CHILDREN[tag], (
                        f"{page.relative_to(two_builds['sites'][0])}: <{tag}> with {len(element)} "
                        f"children in {math[:300]}")
    assert counted > 100  # the site has hundreds of scripts and fractions


def test_lab_figures_are_light_and_dark_svg_files_with_alt_text(two_builds):
    """No lab page inlines an image; each figure-drawing cell (its "alt" metadata) shows a
    lazy light and a dark SVG file with that alt text, the dark file in the dark palette."""
    site = two_builds["sites"][0]
    for notebook in sorted((DOCS / "labs").glob("*.ipynb")):
        page = site / "labs" / notebook.stem / "index.html"
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""\bsrc\s*=\s*["']?data:""", html), f"{page}: an image inlined as a data: URI"
        parser = Resources()
        parser.feed(html)
        images = {img["src"]: img for img in parser.images if "#only-" in img["src"]}
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        alts = [cell["metadata"]["alt"] for cell in cells if cell["metadata"].get("alt")]
        light = [img for src, img in images.items() if src.endswith("-light.svg#only-light")]
        assert [img["alt"] for img in light] == alts, f"{page}: figures and their cells' alt texts differ"
        for img in light:
            dark = images[img["src"].replace("-light.svg#only-light", "-dark.svg#only-dark")]
            assert dark["alt"] == img["alt"] and img["loading"] == dark["loading"] == "lazy"
            light_svg = (page.parent / img["src"].split("#")[0]).read_text(encoding="utf-8")
            dark_svg = (page.parent / dark["src"].split("#")[0]).read_text(encoding="utf-8")
            assert TEXT in light_svg and TEXT not in dark_svg and LIGHT_TO_DARK[TEXT] in dark_svg, img["src"]


# TeX commands the pages' formulas use; outside code (which the index keeps in <pre>/<code>,
# e.g. a matplotlib label r"$\hat{y}$"), they can only come from a formula's TeX annotation.
CODE = re.compile(r"<(pre|code)>.*?</\1>", re.S)
TEX_COMMAND = re.compile(r"\\(?:operatorname|frac|mathbb|mathrm|sqrt|sum|prod|hat|cdot|left|right|top)\b")


def test_search_index_holds_each_formula_once(two_builds):
    """A formula is indexed as the reader sees it (its glyphs), not a second time as TeX."""
    site = two_builds["sites"][0]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = {doc["location"]: CODE.sub(" ", doc["text"]) for doc in index["docs"]}
    tex = sorted({m for text in texts.values() for m in TEX_COMMAND.findall(text)})
    assert not tex, f"TeX source in the search index: {tex}"
    # the He result as the reader types it (initialisation-variants.md states Var(w) = 2/n)
    assert any("Var(w)" in text.replace(" ", "") for location, text in texts.items()
               if location.startswith("initialisation-variants/")), "the glyphs of the formulas are indexed"


def test_no_link_points_at_a_placeholder_or_missing_repository(two_builds):
    """site_url and repo_url come from the deployment (mkdocs.yml, !ENV): a local build has no
    edit links; a build with REPO_URL (the workflow) links into that repository."""
    repo = os.environ.get("REPO_URL")
    for page in built_pages(two_builds):
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'\bhref="([^"]*)"', html)
        placeholders = [h for h in hrefs if re.search(r"//(?:github\.com/example\b|example\.github\.io)", h)]
        assert not placeholders, f"{page}: {placeholders}"
        edit = [re.search(r'\bhref="([^"]*)"', tag)[1] for tag in re.findall(r"<a\b[^>]*>", html)
                if re.search(r'\brel="edit"', tag)]
        if repo:
            assert edit and all(h.startswith(repo.rstrip("/") + "/") for h in edit), f"{page}: {edit}"
        else:
            assert not edit, f"{page}: an edit link although no repository is configured: {edit}"
        # "Open it in Colab" only beside a notebook, and only for a repository on GitHub (where
        # the workflow publishes the notebooks)
        colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/")]
        has_notebook = any("notebooks/" in h and h.endswith(".ipynb") for h in hrefs)
        if has_notebook and (repo or "").startswith("https://github.com/"):
            assert len(colab) == 1 and "/blob/notebooks/" in colab[0], f"{page}: {colab}"
        else:
            assert not colab, f"{page}: a Colab link without a notebook on GitHub: {colab}"
