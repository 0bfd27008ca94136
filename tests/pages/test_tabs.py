"""The NumPy · PyTorch · JAX tabs: every tab group on every page is registered here, and each
framework's tab agrees with the NumPy tab, the site's reference.

A page shows a group as consecutive `=== "NumPy"`, `=== "PyTorch"`, `=== "JAX"` blocks, each
including one snippet (the build runs all of them). Two kinds of agreement:

- same inputs (the frameworks are given the NumPy tab's numbers, or a deterministic network):
  the same results to float32's rounding, with the bound derived for each computation;
- own draws (each framework draws its own random numbers): the same statistics within a
  tolerance derived from the sampling distribution (five standard errors of the difference of
  two independent estimates, or a bound where no narrow law exists; each check says which).

Every group also checks that each tab printed the numbers it computed. A disagreement fails with
the page and the snippet named; the tests at the end break a tab on purpose, once for each kind
of check, to show that the check bites.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
from pages import markdown_pages
from scipy import integrate, stats
from snippet_runs import run_snippet

from sitebuild.runner import run_snippet as run_fresh

SEEDS = range(3)  # seed_shift values: the page's draw and two others
FRAMEWORK_TABS = ("PyTorch", "JAX")
U32 = 2.0**-24  # float32's unit roundoff: one rounding errs by at most this, relatively

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


def gauss(f, v):
    """E[f(z)] for z ~ N(0, v), by adaptive quadrature."""
    s = math.sqrt(v)
    return integrate.quad(lambda x: f(s * x) * math.exp(-x * x / 2), -np.inf, np.inf,
                          epsabs=1e-13, epsrel=1e-12)[0] / math.sqrt(2 * math.pi)


def sech(z):
    return 1 / math.cosh(z) if abs(z) < 700 else 0.0


def log_gaps(mine, reference):
    return np.abs(np.log(np.asarray(mine, float)) - np.log(np.asarray(reference, float)))


# ---------------------------------------------------------------- initialisation-variants: sampled variances

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


def sampled_variances_printed(ns: dict, stdout: str) -> None:
    for name, var in ns["sampled"].items():
        line = next(line for line in stdout.splitlines() if line.startswith(name + " "))
        formula, sampled, ratio = (float(x) for x in line.split()[1:])
        np.testing.assert_allclose([formula, sampled, ratio], [ns["formulas"][name], var, var / ns["formulas"][name]],
                                   rtol=1e-4, err_msg=f"row {name}")


# ---------------------------------------------------------------- gradients: W = a·I, same network everywhere

def gradient_norms_agree(reference: dict, label: str, ns: dict) -> None:
    """Every layer's |dL/da^[l]| and |dL/dW^[l]|, for every a, equal NumPy's (float64) to float32's
    rounding. The chain is deterministic: W^[l] = a·I, x = [1, 1], y = [1, 0].

    Bound: a is rounded once to float32 (that error is raised to the power L in a^L), and each
    of the L layers rounds once (a·h plus an exact 0): at most 2L·u in a^[L]; the residual
    a^[L] - y magnifies it by |a^[L]|/|a^[L] - y| ≤ 1.03 (a = 1.1; a = 1 is exact); the backward
    pass adds 2L·u more, the weight gradient's outer product and each norm a few roundings. So
    every norm is within 1.1·(4L + 8)·u, about 8.4e-6 for L = 30 (measured: about 19·u).
    """
    L = reference["L"]
    assert ns["L"] == L and list(ns["scales"]) == list(reference["scales"]), "different chain or scales"
    rtol = 1.1 * (4 * L + 8) * U32
    for a in reference["scales"]:
        for name, layers in (("grad_a", "dL/da^[l], l = 0..L"), ("grad_W", "|dL/dW^[l]|, l = 1..L")):
            np.testing.assert_allclose(np.asarray(ns[name][a], float), reference[name][a], rtol=rtol,
                                       err_msg=f"a = {a}: {layers}")


def gradient_norms_printed(ns: dict, stdout: str) -> None:
    rows = [line.split() for line in stdout.splitlines()[1:]]
    assert len(rows) == len(ns["scales"])
    L = ns["L"]
    for a, row in zip(ns["scales"], rows):
        assert float(row[0]) == a and row[4] == "to"
        g_a, g_W = np.asarray(ns["grad_a"][a], float), np.asarray(ns["grad_W"][a], float)
        np.testing.assert_allclose([float(row[1]), float(row[2]), float(row[3]), float(row[5])],
                                   [g_a[0] / g_a[L], a**L, g_W.min(), g_W.max()], rtol=1e-3,  # 4 digits
                                   err_msg=f"row a = {a}")


# ---------------------------------------------------------------- gradient-descent: the first step, same inputs

def first_steps_agree(reference: dict, label: str, ns: dict) -> None:
    """The NumPy tab's data and orthogonal matrices, loaded in float32: each layer's first step
    lr·|dW^[l]|/|W^[l]| equals NumPy's (float64) to float32's rounding.

    Bound, normwise (Higham, ch. 3): a product with an n×n matrix errs by γ_n·‖|W|‖·‖h‖ ≤ n·√n·u
    relative to ‖h‖ when W is a times an orthogonal matrix (‖|W|‖₂ ≤ ‖W‖_F = a√n); 2L such
    products forward and back, then dW = dZ·Aᵀ sums m examples (γ_m, times at most √n for the
    ratio ‖dZ‖‖A‖/‖dZ Aᵀ‖ here). So rtol = (2L·n^1.5 + m·√n)·u ≈ 8.8e-5 for n = 8, L = 20,
    m = 200 (measured: about 3·u). A slip such as a summed loss for the mean is a factor m·n.
    """
    assert list(ns["scales"].items()) == list(reference["scales"].items()) and ns["lr"] == reference["lr"]
    n, L, m = reference["n"], reference["L"], reference["X"].shape[1]
    rtol = (2 * L * n**1.5 + m * math.sqrt(n)) * U32
    for name in reference["scales"]:
        np.testing.assert_allclose(np.asarray(ns["relative_step"][name], float), reference["relative_step"][name],
                                   rtol=rtol, err_msg=f"{name}: lr |dW^[l]| / |W^[l]|, l = 1..{L}")


def first_steps_printed(ns: dict, stdout: str) -> None:
    rows = [line.split() for line in stdout.splitlines()[1:]]
    assert len(rows) == len(ns["scales"])
    n, lr = ns["n"], ns["lr"]
    for (name, a), row in zip(ns["scales"].items(), rows):
        step = np.asarray(ns["relative_step"][name], float)
        norms = step * a * math.sqrt(n) / lr  # |dW^[l]|
        assert float(row[0]) == a and row[2] == "to" and row[5:] == ["of", "its", "size"]
        np.testing.assert_allclose([float(row[1]), float(row[3])], [norms.min(), norms.max()], rtol=5e-3)  # 3 digits
        np.testing.assert_allclose(float(row[4]), step.max(), rtol=5e-2, err_msg=f"row a = {a}")  # 2 digits


# ---------------------------------------------------------------- deep-nets: std by layer, own draws

N_WIDTH, N_DEPTH = 256, 50


@cache
def tanh_backward_c(v):
    """Per-unit relative variance of (g·tanh'(z))² for Gaussian g independent of z ~ N(0, v):
    3·E[sech⁸ z] / E[sech⁴ z]² - 1 (it grows with v)."""
    return 3 * gauss(lambda z: sech(z) ** 8, v) / gauss(lambda z: sech(z) ** 4, v) ** 2 - 1


def profile_band(c, k, n=N_WIDTH):
    """Allowed |ln std(framework) - ln std(NumPy)| after k layers of width n.

    Given the previous layer, a layer's mean square is a mean over n units that are independent
    (independent weight rows), each with relative variance c: c = 2κ - 1 = 5 for ReLU (half of a
    Gaussian's square, both passes), E[tanh⁴]/E[tanh²]² - 1 ≤ 2 for tanh forward, and
    tanh_backward_c(v) backward. A batch can only average that down. Layers are independent, so ln
    of the mean square after k layers has sd ≤ √(c·k/n), ln std half that; two independent nets
    differ with √2 times it. Five of those, plus 0.05 for the inputs' own sample (the mean square
    of 64 × 256 normal draws: sd √(2/16384) ≈ 0.011).
    """
    return 5 * math.sqrt(2) * 0.5 * np.sqrt(c * np.maximum(k, 1) / n) + 0.05


def depth_profiles_agree(reference: dict, label: str, ns: dict) -> None:
    """Same width, depth and batch; for every activation and scheme, std(A[l]) at l = 1..50 and
    std(dJ/dA[l]) at l = 0..49 within profile_band of NumPy's (each framework draws its own
    weights, input and injected gradient).

    The exception is the backward pass of tanh with std-10 weights: only ~1.3 % of units are
    unsaturated (about 3 of 256 per example), so each layer's factor is a sum over a handful of
    terms (per-unit relative variance tanh_backward_c(25600) ≈ 600) and the result spreads over
    decades from draw to draw (the NumPy snippet gives 1e36 to 1e43 over 20 seeds). There each
    framework is held to the page's claim (the gradient grows by more than 20 decades from
    layer 49 to 0) and to Markov's bound on the mean-field mean: E[G₀/G₄₉] = χ^49 in mean square,
    χ = n·Var(w)·E[sech⁴ z] with Var(z) ≥ n·Var(w)·0.98 (saturated activations), so the RMS
    growth exceeds χ^24.5·10³ with probability ≤ 10⁻⁶.
    """
    for name in ("WIDTH", "DEPTH", "BATCH"):
        assert ns[name] == reference[name], f"{name} {ns[name]}, NumPy's {reference[name]}"
    n, L = reference["WIDTH"], reference["DEPTH"]
    assert set(ns["act_std"]) == set(reference["act_std"]), "different rows"
    layers = np.arange(1, L + 1)
    c_forward = {"relu": 5.0, "tanh": 2.0}
    c_backward = {"relu": 5.0, "tanh": tanh_backward_c(2.0)}  # Var(z) ≤ n·(2/n)·max E[a²] ≤ 2 up to He
    for act, init in reference["act_std"]:
        gap = log_gaps(ns["act_std"][act, init], reference["act_std"][act, init])
        band = profile_band(c_forward[act], layers, n)
        assert np.all(gap <= band), (
            f"{act} {init}: std(A[l]) off by e^{gap.max():.2f} at l = {layers[np.argmax(gap > band)]}")
        grads = np.asarray(ns["grad_std"][act, init], float)
        if (act, init) == ("tanh", "large"):
            chi = n * 100 * gauss(lambda z: sech(z) ** 4, n * 100 * 0.98)
            decades = math.log10(grads[0] / grads[-1])
            assert 20 < decades < 24.5 * math.log10(chi) + 3, f"tanh large: gradient grew {decades:.1f} decades"
            continue
        gap = log_gaps(grads, reference["grad_std"][act, init])
        band = profile_band(c_backward[act], L - np.arange(L), n)  # layers traversed: L - l
        assert np.all(gap <= band), (
            f"{act} {init}: std(dJ/dA[l]) off by e^{gap.max():.2f} at l = {np.argmax(gap > band)}")


def depth_profiles_printed(ns: dict, stdout: str) -> None:
    rows = [line.split() for line in stdout.splitlines()[1:]]
    assert sorted(tuple(row[:2]) for row in rows) == sorted(ns["act_std"])
    for row in rows:
        key = tuple(row[:2])
        want = [ns["act_std"][key][0], ns["act_std"][key][-1], ns["grad_std"][key][0]]
        np.testing.assert_allclose([float(x) for x in row[2:]], want, rtol=5e-3, err_msg=f"row {key}")  # 3 digits


@cache
def tanh_fixed_point(gain):
    """v* = gain²·E[tanh(z)²] (z ~ N(0, v*)), the slope λ = dF/dv there (F the map v -> gain²
    E[tanh(√v ξ)²]), and the per-unit relative variances c_f of tanh(z)² and c_b of the
    backward factor at v*."""
    from scipy import optimize

    def F(v):
        return gain**2 * gauss(lambda z: math.tanh(z) ** 2, v)

    v = optimize.brentq(lambda v: F(v) - v, 1e-3, 50, xtol=1e-13)
    slope = (F(v * 1.001) - F(v * 0.999)) / (0.002 * v)
    c_f = gauss(lambda z: math.tanh(z) ** 4, v) / gauss(lambda z: math.tanh(z) ** 2, v) ** 2 - 1
    return v, slope, c_f, tanh_backward_c(v)


def framework_weights(label: str, ns: dict) -> np.ndarray:
    """All weights a tanh_gain_cost tab ran its net with: PyTorch's layers, JAX's kernels."""
    if label == "PyTorch":
        return np.concatenate([layer.weight.detach().numpy().ravel() for layer in ns["layers"]]).astype(float)
    return np.asarray(ns["kernels"], float)


def tanh_gain_agree(reference: dict, label: str, ns: dict) -> None:
    """Gain 5/3 (PyTorch's calculate_gain("tanh")) on the same 50-layer tanh net; each framework
    draws its own weights, input and injected gradient.

    RMS of A[50]: the forward pass sits at the fixed point v* of v -> g²·E[tanh(√v ξ)²], which
    is stable (slope λ < 1 there), so a layer's noise (relative variance c_f/n in the mean square)
    decays geometrically: ln E[a²] has the stationary sd √(c_f / (n (1 - λ²))), ln RMS half.
    Gradient growth over 49 layers: ln of the ratio of mean squares is a sum of 49 per-layer
    factors, each with relative variance ≤ c_b(v)/n, c_b grows with v and Var(z) ≤ g² = 25/9
    (|tanh| ≤ 1): sd ≤ √(49·c_b(25/9)/n), halved for the RMS. Each: 5 sd of a difference of two.
    """
    assert ns["GAIN"] == pytest.approx(reference["GAIN"], rel=1e-7), "different gain"
    assert (ns["WIDTH"], ns["DEPTH"]) == (reference["WIDTH"], reference["DEPTH"])
    n = reference["WIDTH"]
    # The weights the tab drew: n·Var(w) = GAIN², within 5 SE of a normal sample variance,
    # σ²·√(2/N) over N = 50·256² draws (0.4 % relative). This catches a wrong gain outright
    # (kaiming_normal_'s default, √2, is 28 % low in variance); the two outputs below, whose
    # bands are loose, would not.
    w = framework_weights(label, ns)
    var = reference["GAIN"] ** 2 / n
    assert abs(np.mean(w**2) - var) < 5 * var * math.sqrt(2 / w.size), f"n·Var(w) = {n * np.mean(w**2):.4f}"
    _, slope, c_f, _ = tanh_fixed_point(reference["GAIN"])
    sd_rms = 0.5 * math.sqrt(c_f / (n * (1 - slope**2)))
    gap = log_gaps(ns["rms_50"], reference["rms_50"])
    assert gap <= 5 * math.sqrt(2) * sd_rms + 0.01, f"RMS of A[50] {ns['rms_50']:.4f}, NumPy's {reference['rms_50']:.4f}"
    sd_growth = 0.5 * math.sqrt(49 * tanh_backward_c(reference["GAIN"] ** 2) / n)
    gap = log_gaps(ns["grad_growth"], reference["grad_growth"])
    assert gap <= 5 * math.sqrt(2) * sd_growth, (
        f"gradient growth x{ns['grad_growth']:.3g}, NumPy's x{reference['grad_growth']:.3g}")


def tanh_gain_printed(ns: dict, stdout: str) -> None:
    lines = stdout.splitlines()
    assert lines[0].startswith(f"RMS of A[{ns['DEPTH']}]: ")
    np.testing.assert_allclose(float(lines[0].split()[3]), ns["rms_50"], atol=5e-4)  # 3 decimals
    assert lines[1].startswith(f"gradient RMS, layer {ns['DEPTH'] - 1} down to 0: x")
    np.testing.assert_allclose(float(lines[1].split("x")[-1]), ns["grad_growth"], rtol=5e-3)  # 3 digits


# ---------------------------------------------------------------- exercises: nn.Linear's default, own draws

def linear_default_agree(reference: dict, label: str, ns: dict) -> None:
    """50 ReLU layers of width 256 with nn.Linear's default weights and biases (U(±1/√n) both),
    and with He-uniform weights and the default biases; each tab draws its own.

    Default net, layers 10 to 50: E[a²] sits on the bias floor 1/(5n). One net's RMS there has
    relative sd ½·√((2κ_z - 1)/n·(1 + 1/36)) ≈ 0.058, κ_z = 13/6 the kurtosis of z (uniform bias
    plus Gaussian w·a; test_exercises.py derives it). The nudge and the He net's RMS and nudge
    after 50 layers: random walks, each layer's mean square a mean over n units of relative
    variance ≤ 2κ - 1 = 5, so ln E[t²] has sd ≤ √(50·5/n) (the drift is common to both tabs).
    Each: 5 sd of the difference of two independent nets.
    """
    assert (ns["n"], ns["depth"], ns["batch"]) == (reference["n"], reference["depth"], reference["batch"])
    n, depth = reference["n"], reference["depth"]
    kappa_z = 3 - 6 / 5 * (5 / 6) ** 2
    rel_sd_rms = 0.5 * math.sqrt((2 * kappa_z - 1) / n * (1 + 1 / 36))
    gap = log_gaps(ns["rms_default"][9:], reference["rms_default"][9:])
    assert np.all(gap <= 5 * math.sqrt(2) * rel_sd_rms), f"default net: RMS a off by e^{gap.max():.2f} (layers 10-50)"
    walk = 5 * math.sqrt(2) * 0.5 * math.sqrt(depth * 5 / n)
    for name in ("nudge_default", "rms_kaiming", "nudge_kaiming"):
        gap = log_gaps(ns[name][-1], reference[name][-1])
        assert gap <= walk, f"{name} at layer 50: {ns[name][-1]:.3g}, NumPy's {reference[name][-1]:.3g}"
    np.testing.assert_allclose([ns["floor"], ns["nudge_theory"]], [reference["floor"], reference["nudge_theory"]],
                               rtol=1e-12)


def linear_default_printed(ns: dict, stdout: str) -> None:
    rows = [line.split() for line in stdout.splitlines()[2:8]]
    assert [int(row[0]) for row in rows] == [1, 2, 5, 10, 20, 50]
    for row in rows:
        i = int(row[0]) - 1
        np.testing.assert_allclose([float(row[1]), float(row[3])], [ns["rms_default"][i], ns["rms_kaiming"][i]],
                                   atol=5e-4, err_msg=f"layer {i + 1}")  # 3 decimals
        np.testing.assert_allclose([float(row[2]), float(row[4])], [ns["nudge_default"][i], ns["nudge_kaiming"][i]],
                                   rtol=5e-3, err_msg=f"layer {i + 1}")  # 3 digits
    theory = re.search(r"1/√\(5n\) = ([0-9.]+), nudge 6\^-25 = ([0-9.e+-]+)", stdout)
    np.testing.assert_allclose(float(theory[1]), math.sqrt(1 / (5 * ns["n"])), atol=5e-5)
    np.testing.assert_allclose(float(theory[2]), 6.0**-25, rtol=5e-3)


# ---------------------------------------------------------------- the registry

@dataclass(frozen=True)
class TabGroup:
    page: str
    snippets: dict[str, str]  # tab label -> snippet
    agree: Callable[[dict, str, dict], None]  # (NumPy's namespace, label, its namespace); raises
    printed: Callable[[dict, str], None]  # (a tab's namespace, its stdout); raises

    def check(self, label: str, namespaces: dict[str, dict]) -> None:
        try:
            self.agree(namespaces["NumPy"], label, namespaces[label])
        except AssertionError as exc:
            raise AssertionError(
                f"docs/{self.page}: the {label} tab (snippets/{self.snippets[label]}) disagrees with "
                f"the NumPy tab (snippets/{self.snippets['NumPy']}): {exc}") from None


def tabs(numpy_snippet: str, *frameworks: str) -> dict[str, str]:
    """NumPy's snippet, and each framework's beside it: `<name>_torch.py`, `<name>_jax.py`."""
    suffix = {"PyTorch": "_torch.py", "JAX": "_jax.py"}
    return {"NumPy": numpy_snippet, **{f: numpy_snippet.removesuffix(".py") + suffix[f] for f in frameworks}}


GROUPS = [
    TabGroup("initialisation-variants.md", tabs("initialisation_variants/sample_schemes.py", "PyTorch", "JAX"),
             sampled_variances_agree, sampled_variances_printed),
    TabGroup("gradients.md", tabs("gradients/gradient_norms_by_layer.py", "PyTorch", "JAX"),
             gradient_norms_agree, gradient_norms_printed),
    TabGroup("gradient-descent.md", tabs("gradient_descent/first_step_sizes.py", "PyTorch", "JAX"),
             first_steps_agree, first_steps_printed),
    TabGroup("deep-nets.md", tabs("deep_nets/depth_profiles.py", "PyTorch"),
             depth_profiles_agree, depth_profiles_printed),
    TabGroup("deep-nets.md", tabs("deep_nets/tanh_gain_cost.py", "PyTorch", "JAX"),
             tanh_gain_agree, tanh_gain_printed),
    TabGroup("exercises.md", {"NumPy": "exercises/nn_linear_default_numpy.py",
                              "PyTorch": "exercises/nn_linear_default_torch.py"},
             linear_default_agree, linear_default_printed),
]


def group_id(group: TabGroup) -> str:
    return group.snippets["NumPy"]


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
@pytest.mark.parametrize("group", GROUPS, ids=group_id)
def test_framework_tabs_agree_with_numpy(group, shift):
    namespaces = {label: run_snippet(s, seed_shift=shift).namespace for label, s in group.snippets.items()}
    for label in group.snippets:
        if label != "NumPy":
            group.check(label, namespaces)


@pytest.mark.parametrize("group", GROUPS, ids=group_id)
def test_framework_tabs_print_what_they_computed(group):
    """Each tab's printed table is its namespace's numbers (to the printed digits), in the same
    layout as the NumPy tab's, which the same function reads."""
    for label, snippet in group.snippets.items():
        result = run_snippet(snippet)
        try:
            group.printed(result.namespace, result.stdout)
        except (AssertionError, StopIteration, TypeError, ValueError) as exc:
            raise AssertionError(f"snippets/{snippet} ({label} tab of docs/{group.page}): {exc}") from None


def group_of(numpy_snippet: str) -> TabGroup:
    return next(g for g in GROUPS if g.snippets["NumPy"] == numpy_snippet)


def broken_run(group: TabGroup, label: str, monkeypatch, owner, name: str, replacement) -> dict[str, dict]:
    """The group's namespaces with `label`'s snippet re-run while owner.name is replaced."""
    monkeypatch.setattr(owner, name, replacement)
    broken = run_fresh(group.snippets[label]).namespace
    monkeypatch.undo()
    return {"NumPy": run_snippet(group.snippets["NumPy"]).namespace, label: broken}


def assert_fails_naming(group: TabGroup, label: str, namespaces: dict, *details: str) -> None:
    with pytest.raises(AssertionError) as failure:
        group.check(label, namespaces)
    message = str(failure.value)
    assert f"docs/{group.page}" in message and f"snippets/{group.snippets[label]}" in message, message
    for detail in details:
        assert detail in message, message
    # and the unbroken tab passes the same check
    group.check(label, {**namespaces, label: run_snippet(group.snippets[label]).namespace})


def test_a_drifting_sampled_tab_fails_naming_page_and_snippet(monkeypatch):
    """Sampled statistics: He and LeCun by fan_out in the PyTorch tab (a classic slip)."""
    import torch

    kaiming_normal = torch.nn.init.kaiming_normal_
    group = group_of("initialisation_variants/sample_schemes.py")
    namespaces = broken_run(group, "PyTorch", monkeypatch, torch.nn.init, "kaiming_normal_",
                            lambda w, **kw: kaiming_normal(w, mode="fan_out", **kw))
    assert_fails_naming(group, "PyTorch", namespaces, "lecun_normal")  # the first to drift: 1/300, not 1/784


def test_a_drifting_same_input_tab_fails_naming_page_and_snippet(monkeypatch):
    """Same inputs, float32 rounding: the PyTorch tab's loss summed instead of averaged (a step
    m·n = 1600 times too large)."""
    import torch

    group = group_of("gradient_descent/first_step_sizes.py")
    namespaces = broken_run(group, "PyTorch", monkeypatch, torch.nn.functional, "mse_loss",
                            lambda input, target: ((input - target) ** 2).sum())
    assert_fails_naming(group, "PyTorch", namespaces, "too small")


def test_a_drifting_profile_tab_fails_naming_page_and_snippet(monkeypatch):
    """Depth statistics: He's √2 lost in the PyTorch tab (kaiming_normal_ told "linear", i.e.
    LeCun). With tanh the gradient then no longer grows tenfold on its way down (the first row to
    fail); with ReLU E[a²] halves at every layer, 2^-25 in std by layer 50."""
    import torch

    kaiming_normal = torch.nn.init.kaiming_normal_
    group = group_of("deep_nets/depth_profiles.py")
    namespaces = broken_run(group, "PyTorch", monkeypatch, torch.nn.init, "kaiming_normal_",
                            lambda w, **kw: kaiming_normal(w, **{**kw, "nonlinearity": "linear"}))
    assert_fails_naming(group, "PyTorch", namespaces, "tanh he: std(dJ/dA[l])")  # the first row to drift


# ---------------------------------------------------------------- what the pages say about the tabs

def test_same_input_tabs_print_the_same_table():
    """gradients.md: 'the three tables agree to every printed digit'; gradient-descent.md: the
    framework tabs 'print the same table' (the page's draw)."""
    for numpy_snippet in ("gradients/gradient_norms_by_layer.py", "gradient_descent/first_step_sizes.py"):
        group = group_of(numpy_snippet)
        outputs = {label: run_snippet(s).stdout for label, s in group.snippets.items()}
        for label, output in outputs.items():
            assert output == outputs["NumPy"], f"docs/{group.page}: the {label} tab printed\n{output}"


def test_same_input_tabs_compute_in_float32():
    """gradients.md and gradient-descent.md: 'both frameworks compute in float32', 'in float32'."""
    import jax.numpy as jnp
    import torch

    torch_ns = run_snippet("gradients/gradient_norms_by_layer_torch.py").namespace
    assert torch_ns["x"].dtype == torch.float32 and torch_ns["net"][0].weight.dtype == torch.float32
    assert run_snippet("gradients/gradient_norms_by_layer_jax.py").namespace["x"].dtype == jnp.float32
    torch_ns = run_snippet("gradient_descent/first_step_sizes_torch.py").namespace
    assert torch_ns["x"].dtype == torch.float32 and torch_ns["net"][0].weight.dtype == torch.float32
    jax_ns = run_snippet("gradient_descent/first_step_sizes_jax.py").namespace
    assert jax_ns["x"].dtype == jnp.float32 and jax_ns["params"][0]["kernel"].dtype == jnp.float32


def test_own_draw_tabs_compute_in_float32():
    """initialisation-variants.md: the frameworks draw 'in float32, its default; NumPy's are
    float64'; deep-nets.md: the tanh-gain tabs draw 'their own nets, in float32'."""
    import jax.numpy as jnp
    import torch

    assert torch.get_default_dtype() == torch.float32
    assert run_snippet("initialisation_variants/sample_schemes_torch.py").namespace["W"].dtype == torch.float32
    ns = run_snippet("initialisation_variants/sample_schemes_jax.py").namespace
    assert all(init(ns["key"], ns["shape"]).dtype == jnp.float32 for init in ns["initialisers"].values())
    numpy_ns = run_snippet("initialisation_variants/sample_schemes.py").namespace
    assert numpy_ns["sampled"]["he_normal"].dtype == np.float64
    ns = run_snippet("deep_nets/tanh_gain_cost_torch.py").namespace
    assert ns["X"].dtype == torch.float32 and all(layer.weight.dtype == torch.float32 for layer in ns["layers"])
    ns = run_snippet("deep_nets/tanh_gain_cost_jax.py").namespace
    assert ns["X"].dtype == ns["kernels"].dtype == jnp.float32
    assert run_snippet("deep_nets/tanh_gain_cost.py").namespace["X"].dtype == np.float64


def test_retain_grad_keeps_intermediate_gradients():
    """gradients.md: 'loss.backward() fills each layer's weight.grad, and retain_grad() asks it to
    keep the gradient of each intermediate activation as well (without it, the .grad of a tensor
    computed from others stays None)'."""
    import torch

    layer = torch.nn.Linear(2, 2, bias=False)
    x = torch.ones(1, 2, requires_grad=True)
    kept, dropped = layer(x), layer(x)
    kept.retain_grad()
    (kept.sum() + dropped.sum()).backward()
    assert layer.weight.grad is not None and kept.grad is not None
    with pytest.warns(UserWarning, match="not a leaf Tensor"):  # torch warns when it is read
        assert dropped.grad is None


def test_orthogonal_initialisers_take_the_gain():
    """gradient-descent.md: nn.init.orthogonal_(w, gain=a) and jax.nn.initializers.orthogonal(a)
    would draw their own a·Q: W Wᵀ = a² I, a different matrix each."""
    import jax
    import torch

    a, n = 1.5, 8
    torch.manual_seed(0)
    w = torch.nn.init.orthogonal_(torch.empty(n, n, dtype=torch.float64), gain=a).numpy()
    k = np.asarray(jax.nn.initializers.orthogonal(a)(jax.random.key(0), (n, n), jax.numpy.float32), float)
    for W in (w, k):
        np.testing.assert_allclose(W @ W.T, a**2 * np.eye(n), atol=1e-5)
    assert np.abs(w - k).max() > 0.1


def test_kaiming_normal_and_variance_scaling_as_the_tabs_use_them():
    """deep-nets.md: kaiming_normal_ with nonlinearity="linear" is LeCun's √(1/n), with "relu" He's
    √(2/n), with "tanh" calculate_gain("tanh")·√(1/n); JAX's variance_scaling takes a variance
    multiplier (25/9 on 1/n). Sampled variances within 5 standard errors, σ²·√(2/N) for normal
    draws."""
    import jax
    import torch

    n, rows = 256, 1024
    w = torch.empty(rows, n, dtype=torch.float64)
    torch.manual_seed(1)
    for nonlinearity, var in (("linear", 1 / n), ("relu", 2 / n), ("tanh", (5 / 3) ** 2 / n)):
        sample = torch.nn.init.kaiming_normal_(w, nonlinearity=nonlinearity).numpy()
        assert abs(np.mean(sample**2) - var) < 5 * var * math.sqrt(2 / sample.size), nonlinearity
    assert torch.nn.init.calculate_gain("tanh") == 5 / 3
    init = jax.nn.initializers.variance_scaling(25 / 9, "fan_in", "normal", batch_axis=0)
    sample = np.asarray(init(jax.random.key(1), (4, n, rows)), float)  # 4 kernels, fan_in n each
    var = 25 / 9 / n
    assert abs(np.mean(sample**2) - var) < 5 * var * math.sqrt(2 / sample.size)


@pytest.mark.parametrize("shift", SEEDS)
def test_float64_where_the_tabs_say_so(shift):
    """deep-nets.md: the too-large ReLU row passes float32's largest number and the too-small rows
    fall below its smallest normal one; exercises.md: the nudge's mean square falls to about
    1e-39 by layer 50, near or below that smallest normal number (within 10 times it: its log10
    has sd ≈ 0.43 for one net, √(50·5/256)/ln 10, so that is more than 4 sd from the centre)."""
    import torch

    f32 = np.finfo(np.float32)
    f32_max, f32_tiny = float(f32.max), float(f32.tiny)
    ns = run_snippet("deep_nets/depth_profiles_torch.py", seed_shift=shift).namespace
    assert ns["X"].dtype == torch.float64 and ns["layers"][0].weight.dtype == torch.float64
    assert ns["act_std"]["relu", "large"][-1] > f32_max
    assert ns["act_std"]["tanh", "small"][-1] < f32_tiny and ns["act_std"]["relu", "small"][-1] < f32_tiny
    ns = run_snippet("exercises/nn_linear_default_torch.py", seed_shift=shift).namespace
    assert ns["x"].dtype == torch.float64 and ns["default"][0].weight.dtype == torch.float64
    mean_square = ns["nudge_default"][-1] ** 2
    assert 1e-41 < mean_square < 10 * f32_tiny


def test_too_large_tanh_gradient_differs_by_decades_between_draws():
    """deep-nets.md: 'the too-large tanh gradient can differ by decades' from draw to draw: the
    draws the agreement test runs (NumPy and PyTorch, three seeds each) span more than two."""
    values = [np.log10(run_snippet(s, seed_shift=k).namespace["grad_std"]["tanh", "large"][0])
              for s in group_of("deep_nets/depth_profiles.py").snippets.values() for k in SEEDS]
    assert max(values) - min(values) > 2, values
