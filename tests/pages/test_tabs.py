"""The NumPy · PyTorch · JAX tabs: every tab group on every page is registered here, and each
framework's tab agrees with the NumPy tab, the site's reference.

A page shows a group as consecutive `=== "NumPy"`, `=== "PyTorch"`, `=== "JAX"` blocks, each
including one snippet (the build runs all of them). Where the frameworks draw their own random
numbers, agreement means the same statistics within a tolerance derived from the sampling
distribution; where they are given the same numbers, the same results within float32's
rounding. A disagreement fails with the page and the snippet named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from pages import markdown_pages
from scipy import stats
from snippet_runs import run_snippet

from sitebuild.runner import run_snippet as run_fresh

SEEDS = range(3)  # seed_shift values: the page's draw and two others
FRAMEWORK_TABS = ("PyTorch", "JAX")

TAB = re.compile(r'^(?P<indent>[ \t]*)=== "(?P<label>[^"]+)"[ \t]*$', re.M)
INCLUDE = re.compile(r'--8<-- "(?P<snippet>[^":]+\.py)(?::[\w-]+)?"')


def tab_groups(text: str) -> list[dict[str, str]]:
    """Each run of consecutive `=== "Label"` blocks: label -> the snippet its block includes.

    A block runs to the next tab or to the first line indented less than its content; a group
    ends where a block is followed by anything but another tab at the same indentation.
    """
    groups: list[dict[str, str]] = []
    group_open = False
    tabs = list(TAB.finditer(text))
    for i, tab in enumerate(tabs):
        end = tabs[i + 1].start() if i + 1 < len(tabs) else len(text)
        content, *after = re.split(rf"\n(?={tab.group('indent')}\S)", text[tab.end():end], maxsplit=1)
        if not group_open:
            groups.append({})
        include = INCLUDE.search(content)
        groups[-1][tab.group("label")] = include.group("snippet") if include else ""
        next_same_level = i + 1 < len(tabs) and tabs[i + 1].group("indent") == tab.group("indent")
        group_open = next_same_level and not after
    return groups


# ---------------------------------------------------------------- agreement checks, one per group

# Standard error of a sample variance over N iid draws: σ²·√((κ - 1)/N), κ the kurtosis.
KURTOSIS = {"normal": 3.0, "uniform": 9 / 5,
            "truncated_normal": 3.0 + float(stats.truncnorm(-2, 2).stats(moments="k"))}
SCHEME_DIST = {  # (NumPy and PyTorch, JAX): JAX's normal schemes are truncated at ±2σ and widened
    "lecun_normal": ("normal", "truncated_normal"), "glorot_normal": ("normal", "truncated_normal"),
    "glorot_uniform": ("uniform", "uniform"), "he_normal": ("normal", "truncated_normal"),
    "he_uniform": ("uniform", "uniform"),
}


def sampled_variances_agree(reference: dict, label: str, ns: dict) -> None:
    """Same formulas; each sampled variance within 5 standard errors of the formula, and of
    NumPy's: the difference of two independent estimates has SE √(SE₁² + SE₂²)."""
    assert ns["formulas"] == pytest.approx(reference["formulas"], rel=1e-15), "formulas differ"
    size = reference["n_in"] * reference["n_out"]
    assert (ns["n_in"], ns["n_out"]) == (reference["n_in"], reference["n_out"]), "layer sizes differ"
    for name, var in reference["formulas"].items():
        numpy_dist, jax_dist = SCHEME_DIST[name]
        dist = jax_dist if label == "JAX" else numpy_dist
        se = var * math.sqrt((KURTOSIS[dist] - 1) / size)
        se_reference = var * math.sqrt((KURTOSIS[numpy_dist] - 1) / size)
        assert abs(ns["sampled"][name] - var) < 5 * se, (
            f"{name}: sampled Var {ns['sampled'][name]:.5e}, formula {var:.5e} (5 SE = {5 * se:.2e})")
        gap = abs(ns["sampled"][name] - reference["sampled"][name])
        assert gap < 5 * math.hypot(se, se_reference), (
            f"{name}: sampled Var {ns['sampled'][name]:.5e}, NumPy's {reference['sampled'][name]:.5e}")


@dataclass(frozen=True)
class TabGroup:
    page: str
    snippets: dict[str, str]  # tab label -> snippet
    agree: Callable[[dict, str, dict], None]  # (NumPy's namespace, label, its namespace); raises

    def check(self, label: str, namespaces: dict[str, dict]) -> None:
        try:
            self.agree(namespaces["NumPy"], label, namespaces[label])
        except AssertionError as exc:
            raise AssertionError(
                f"docs/{self.page}: the {label} tab (snippets/{self.snippets[label]}) disagrees with "
                f"the NumPy tab (snippets/{self.snippets['NumPy']}): {exc}") from None


GROUPS = [
    TabGroup("initialisation-variants.md", {
        "NumPy": "initialisation_variants/sample_schemes.py",
        "PyTorch": "initialisation_variants/sample_schemes_torch.py",
        "JAX": "initialisation_variants/sample_schemes_jax.py",
    }, sampled_variances_agree),
]


# ---------------------------------------------------------------- the tests

def test_tab_groups_parser():
    text = ('=== "NumPy"\n\n    ```python\n    --8<-- "a/x.py"\n    ```\n\n=== "PyTorch"\n\n'
            '    --8<-- "a/x_torch.py:part"\n\nProse.\n\n=== "NumPy"\n    --8<-- "b/y.py"\n')
    assert tab_groups(text) == [{"NumPy": "a/x.py", "PyTorch": "a/x_torch.py"}, {"NumPy": "b/y.py"}]


def test_every_tab_group_on_the_site_is_registered_here():
    """A new tab group without an agreement check here fails: every tab is cross-checked."""
    found = [(page.name, group) for page in markdown_pages()
             for group in tab_groups(page.read_text(encoding="utf-8"))]
    registered = [(g.page, g.snippets) for g in GROUPS]
    assert found, "no tab group on any page"
    for page, group in found:
        assert (page, group) in registered, f"docs/{page}: tab group {group} has no agreement check in {__file__}"
        assert list(group) == ["NumPy", *[t for t in FRAMEWORK_TABS if t in group]], (
            f"docs/{page}: tabs {list(group)}: NumPy first, then PyTorch, then JAX (linked tabs match by label)")
        assert all(group.values()), f"docs/{page}: a tab in {group} includes no snippet"
    assert sorted(registered, key=str) == sorted(found, key=str), "a registered group is on no page"


@pytest.mark.parametrize("shift", SEEDS)
@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.snippets["NumPy"])
def test_framework_tabs_agree_with_numpy(group, shift):
    namespaces = {label: run_snippet(s, seed_shift=shift).namespace for label, s in group.snippets.items()}
    for label in group.snippets:
        if label != "NumPy":
            group.check(label, namespaces)


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.snippets["NumPy"])
def test_framework_tabs_print_what_they_computed(group):
    """The printed tables are the namespaces' numbers (to the printed digits)."""
    for label, snippet in group.snippets.items():
        result = run_snippet(snippet)
        for name, var in result.namespace["sampled"].items():
            line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
            formula, sampled, ratio = (float(x) for x in line.split()[1:])
            np.testing.assert_allclose([formula, sampled, ratio],
                                       [result.namespace["formulas"][name], var,
                                        var / result.namespace["formulas"][name]], rtol=1e-4,
                                       err_msg=f"snippets/{snippet} ({label}), row {name}")


def test_a_drifting_tab_fails_naming_page_and_snippet(monkeypatch):
    """Break the PyTorch tab on purpose (He and LeCun by fan_out, a classic slip) and the check fails."""
    import torch

    kaiming_normal = torch.nn.init.kaiming_normal_
    monkeypatch.setattr(torch.nn.init, "kaiming_normal_", lambda w, **kw: kaiming_normal(w, mode="fan_out", **kw))
    group = GROUPS[0]
    broken = run_fresh(group.snippets["PyTorch"]).namespace
    monkeypatch.undo()
    namespaces = {"NumPy": run_snippet(group.snippets["NumPy"]).namespace, "PyTorch": broken}
    with pytest.raises(AssertionError) as failure:
        group.check("PyTorch", namespaces)
    message = str(failure.value)
    assert "docs/initialisation-variants.md" in message and "snippets/initialisation_variants/sample_schemes_torch.py" in message
    assert "lecun_normal" in message  # the first scheme that drifted: 1/300 instead of 1/784
    # and the unbroken tab passes the same check
    group.check("PyTorch", {**namespaces, "PyTorch": run_snippet(group.snippets["PyTorch"]).namespace})

