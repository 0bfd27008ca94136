"""Tests for docs/index.md: the summary figure's data is a^l."""

import re

import matplotlib.pyplot as plt
import numpy as np
import yaml
from snippet_runs import run_snippet

U = 2.0**-53  # unit roundoff of float64


def test_plot_activation_size_follows_a_to_the_l():
    ns = run_snippet("home/plot_activation_size.py").namespace
    fig = ns["fig"]
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert "log scale" in ax.get_ylabel() and "layer" in ax.get_xlabel()
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == [f"a = {a}" for a in ns["scales"]]
    for a, ln in zip(ns["scales"], lines):
        layer, size = ln.get_data()
        np.testing.assert_array_equal(layer, np.arange(ns["depth"] + 1))
        # RMS of [a^l, a^l] is a^l. Up to 50 rounded multiplications plus a square, a mean
        # and a square root each add at most u relative error: 60 u covers it.
        np.testing.assert_allclose(size, float(a) ** layer, rtol=60 * U)
    plt.close(fig)


def test_plot_activation_size_ordering():
    ns = run_snippet("home/plot_activation_size.py").namespace
    final = [ln.get_ydata()[-1] for ln in ns["fig"].axes[0].get_lines()]
    assert final == sorted(final)           # larger a, larger activation at every depth
    assert final[2] == 1.0                  # a = 1: the identity keeps size exactly 1
    # the page says: after 50 layers 1.1 is over 100 times larger, 0.9 over 100 times smaller
    assert final[3] > 100 and final[1] < 1 / 100  # 1.1^50 ~ 117, 0.9^50 ~ 0.005
    plt.close(ns["fig"])


def test_parts_of_the_reading_order_are_headings_in_order():
    """Parts 1 to 3 (named as in the nav) are headings under "Where to go next", so a screen
    reader's heading list and the outline reach them; levels never skip (h1, then h2, then h3)."""
    from pages import DOCS, FENCE, body

    text = FENCE.sub("", body(DOCS / "index.md"))
    headings = [(len(m[1]), m[2].strip()) for m in re.finditer(r"^(#{1,6}) +(.+)$", text, re.M)]
    assert headings[0][0] == 1 and [level for level, _ in headings].count(1) == 1
    assert all(b <= a + 1 for (a, _), (b, _) in zip(headings, headings[1:])), headings
    class Loader(yaml.SafeLoader):  # mkdocs.yml may hold !!python/name tags: read past them
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    nav = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]
    parts = [title for entry in nav if isinstance(entry, dict) for title in entry if title.startswith("Part ")]
    assert len(parts) == 3, parts
    after = [title for _, title in headings[[t for _, t in headings].index("Where to go next"):]]
    for part in parts:
        assert part in after, f"{part!r} is not a heading under 'Where to go next'"
        assert f"**{part}**" not in text


def test_reading_order_lists_every_page_of_each_part_in_nav_order():
    """Under each part's heading the home page links that part's pages, in the nav's order, and
    nothing else; "In practice" links the diagnostics chapter and "Labs" the labs index."""
    from pages import DOCS, body

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    nav = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]
    text = body(DOCS / "index.md")
    sections = dict(re.findall(r"^### ([^\n]+)\n(.*?)(?=^#|\Z)", text, re.M | re.S))
    for entry in nav:
        (title, pages), = entry.items()
        if title.startswith("Part "):
            expected = [next(iter(p.values())) if isinstance(p, dict) else p for p in pages]
            assert re.findall(r"\]\(([\w/-]+\.md)\)", sections[title]) == expected, title
        elif title.startswith("In practice"):
            assert re.findall(r"\]\(([\w/-]+\.md)\)", sections["In practice"]) == [pages]
    assert re.findall(r"\]\(([\w/-]+\.md)\)", sections["Labs"]) == ["labs/index.md"]
