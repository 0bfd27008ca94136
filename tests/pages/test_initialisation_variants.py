"""Tests for docs/initialisation-variants.md: each scheme's variance, Glorot's compromise,
He's second moment, the tanh gain (forward and backward), the variance-multiplier sweep, the
truncated normal and the page's names.

Expected values are closed forms written here or computed by another method (scipy
quadrature and root finding, where the snippets use Gauss–Hermite and iteration). Random
claims run under several seeds with tolerances derived in the comments.
"""

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from pages import DOCS, body
from scipy import integrate, optimize, stats
from snippet_runs import run_snippet
from test_frameworks import latex_value

SEEDS = range(1, 5)  # seed_shift values: four independent draws besides the page's own
PAGE = DOCS / "initialisation-variants.md"

# Standard error of a sample variance s² over N iid draws: σ²·√((κ - 1)/N), κ the kurtosis.
# Normal: κ = 3, so σ²·√(2/N). Uniform: κ = 9/5, so σ²·√(0.8/N). Tests allow 5 of them.
KURTOSIS = {"normal": 3.0, "uniform": 9 / 5,
            "truncated_normal": 3.0 + float(stats.truncnorm(-2, 2).stats(moments="k"))}


def variance_tolerance(var, n_samples, dist):
    return 5 * var * math.sqrt((KURTOSIS[dist] - 1) / n_samples)


def gaussian_mean(f, var):
    """E[f(h)] for h ~ N(0, var), by adaptive quadrature."""
    s = math.sqrt(var)
    return integrate.quad(lambda z: f(s * z) * math.exp(-z * z / 2), -40, 40,
                          epsabs=1e-14, epsrel=1e-13, limit=400)[0] / math.sqrt(2 * math.pi)


def tanh2(h):
    return math.tanh(h) ** 2


def slope2(h):  # tanh′(h)² = sech⁴(h), written without overflow
    return (1 - math.tanh(h) ** 2) ** 2


def printed_numbers(stdout, label):
    """The numbers on the printed line that starts with `label`."""
    line = next(line for line in stdout.splitlines() if line.lstrip().startswith(label))
    return [float(x) for x in re.findall(r"[-+]?\d+\.?\d*(?:e[-+]?\d+)?", line[len(line) - len(
        line.lstrip()) + len(label):])]


SCHEMES = {  # name: (distribution, Var(w) as a function of fan_in, fan_out and gain)
    "lecun_normal": ("normal", lambda i, o, g: g**2 / i),
    "glorot_normal": ("normal", lambda i, o, g: g**2 * 2 / (i + o)),
    "glorot_uniform": ("uniform", lambda i, o, g: g**2 * 2 / (i + o)),
    "he_normal": ("normal", lambda i, o, g: g**2 / i),
    "he_uniform": ("uniform", lambda i, o, g: g**2 / i),
}


@pytest.mark.parametrize("name", sorted(SCHEMES))
@pytest.mark.parametrize("gain", [None, 5 / 3])
@pytest.mark.parametrize("seed", [1, 2])
def test_init_schemes_variance_matches_formula(name, gain, seed):
    ns = run_snippet("initialisation_variants/init_schemes.py").namespace
    dist, formula = SCHEMES[name]
    shape = (400, 1000)  # (fan_out, fan_in)
    kwargs = {} if gain is None else {"gain": gain}
    default_gain = math.sqrt(2) if name.startswith("he_") else 1.0
    g = default_gain if gain is None else gain
    w = ns[name](shape, np.random.default_rng(seed), **kwargs)
    assert w.shape == shape
    var = formula(1000, 400, g)
    assert abs(w.var() - var) < variance_tolerance(var, w.size, dist)
    assert abs(w.mean()) < 5 * math.sqrt(var / w.size)  # zero mean, 5 standard errors
    if dist == "uniform":  # U(-b, b), b = √(3·Var): all inside; P(max < 0.999 b) = 0.999^N ≈ 0
        bound = math.sqrt(3 * var)
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.999 * bound


@pytest.mark.parametrize("shape", [(300, 784), (784, 300), (256, 256)])
@pytest.mark.parametrize("seed", [1, 2])
def test_init_schemes_orthogonal_is_orthogonal(shape, seed):
    ns = run_snippet("initialisation_variants/init_schemes.py").namespace
    w = ns["orthogonal"](shape, np.random.default_rng(seed), gain=2.0)
    assert w.shape == shape
    small = min(shape)
    # n_out ≤ n_in: orthonormal rows, W Wᵀ = g²I; n_out ≥ n_in: orthonormal columns, Wᵀ W = g²I.
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-12)
    np.testing.assert_allclose(np.mean(w**2), 4.0 / max(shape), rtol=1e-12)


@pytest.mark.parametrize("k", SEEDS)
def test_sample_schemes_table(k):
    result = run_snippet("initialisation_variants/sample_schemes.py", seed_shift=k)
    ns = result.namespace
    assert (ns["n_in"], ns["n_out"]) == (784, 300)
    closed = {"lecun_normal": 1 / 784, "glorot_normal": 2 / 1084, "glorot_uniform": 2 / 1084,
              "he_normal": 2 / 784, "he_uniform": 2 / 784}
    assert list(ns["formulas"]) == list(closed)
    size = 784 * 300
    for name, var in closed.items():
        np.testing.assert_allclose(ns["formulas"][name], var, rtol=1e-15)
        dist = "uniform" if name.endswith("uniform") else "normal"
        assert abs(ns["sampled"][name] - var) < variance_tolerance(var, size, dist)
        formula_printed, sampled_printed, _ = printed_numbers(result.stdout, name)
        np.testing.assert_allclose(formula_printed, var, rtol=5e-5)  # 5 digits printed
        np.testing.assert_allclose(sampled_printed, ns["sampled"][name], rtol=5e-5)


@pytest.mark.parametrize("k", SEEDS)
def test_course_line_raises_with_a_tuple_and_scales_by_two(k):
    result = run_snippet("initialisation_variants/course_line.py", seed_shift=k)
    assert "TypeError: 'tuple' object cannot be interpreted as an integer" in result.stdout
    ns = result.namespace
    assert ns["n_prev"] == 784 and ns["W"].shape == (300, 784)
    # n·Var(W) = 2 with a normal's standard error 2·√(2/N), 5 of them
    assert abs(ns["n_var_w"] - 2) < variance_tolerance(2, ns["W"].size, "normal")
    assert "(target 2)" in result.stdout


@pytest.mark.parametrize("k", SEEDS)
def test_glorot_rectangular_forward_and_backward_variances(k):
    result = run_snippet("initialisation_variants/glorot_rectangular.py", seed_shift=k)
    ns = result.namespace
    widths = [784, 300, 100, 10]
    assert ns["widths"] == widths
    fans = [(784, 300), (300, 100), (100, 10)]
    # Closed forms, per layer (n_in, n_out) with Var(w) = c/n: the forward variance gains
    # n_in·Var(w) per layer, the backward one n_out·Var(w).
    closed_var = {"fan-in 1/n_in": lambda i, o: 1 / i, "fan-out 1/n_out": lambda i, o: 1 / o,
                  "Glorot 2/(n_in+n_out)": lambda i, o: 2 / (i + o)}
    assert list(ns["schemes"]) == list(closed_var)
    expected_fwd = {"fan-in 1/n_in": [1, 1, 1],
                    "fan-out 1/n_out": np.cumprod([784 / 300, 300 / 100, 100 / 10]),
                    "Glorot 2/(n_in+n_out)": np.cumprod([2 * 784 / 1084, 2 * 300 / 400,
                                                         2 * 100 / 110])}
    expected_bwd = {"fan-in 1/n_in": np.cumprod([10 / 100, 100 / 300, 300 / 784])[::-1],
                    "fan-out 1/n_out": [1, 1, 1],
                    "Glorot 2/(n_in+n_out)": np.cumprod([2 * 10 / 110, 2 * 100 / 400,
                                                         2 * 300 / 1084])[::-1]}
    # Finite-size spread: ‖W M‖_F² for a Gaussian W (n_out rows) and a fixed signal M of
    # effective rank r has relative variance 2/(n_out·r_eff); r_eff (the participation ratio
    # of M's singular values) is at least half the rank for these products, so the relative
    # variance after a chain of layers is ≤ Σ 4/(n_out·rank). Forward: ranks 784 (inputs),
    # 300, 100; backward: the gradients start with rank 10 and keep it. Plus the batch of
    # 2000: 2/(2000·width). Allow 5 standard deviations.
    fwd_relvar = np.cumsum([4 / (300 * 784), 4 / (100 * 300), 4 / (10 * 100)])
    bwd_relvar = np.cumsum([4 / (100 * 10), 4 / (300 * 10), 4 / (784 * 10)])[::-1]
    for name, var_w in ns["schemes"].items():
        for i, o in fans:
            np.testing.assert_allclose(var_w(i, o), closed_var[name](i, o), rtol=1e-15)
        fwd_sd = np.sqrt(fwd_relvar + 2 / (2000 * np.array(widths[1:])))
        bwd_sd = np.sqrt(bwd_relvar + 2 / (2000 * np.array(widths[:-1])))
        np.testing.assert_array_less(np.abs(ns["forward"][name] / expected_fwd[name] - 1), 5 * fwd_sd)
        np.testing.assert_array_less(np.abs(ns["backward"][name] / expected_bwd[name] - 1), 5 * bwd_sd)
    # The printed labels are the formulas: evaluate them.
    for label, closed in closed_var.items():
        formula = label.split()[-1].replace("n_in", "ni").replace("n_out", "no")
        for i, o in fans:
            value = eval(formula, {"__builtins__": {}}, {"ni": i, "no": o})
            np.testing.assert_allclose(value, closed(i, o), rtol=1e-15)
        assert label in result.stdout
    # The prose's telescoped closed forms: 10/784 and 784/10.
    assert expected_bwd["fan-in 1/n_in"][0] == pytest.approx(10 / 784)
    assert expected_fwd["fan-out 1/n_out"][-1] == pytest.approx(784 / 10)


@pytest.mark.parametrize("k", SEEDS)
def test_relu_second_moment_is_half_and_std_ratio_is_not_sqrt2(k):
    result = run_snippet("initialisation_variants/relu_second_moment.py", seed_shift=k)
    ns = result.namespace
    n = ns["z"].size
    var_theory = 0.5 - 1 / (2 * math.pi)  # Var(relu(z)) = E[relu²] - E[relu]² = 1/2 - 1/(2π)
    # relu(z)² has mean 1/2 and variance E[relu⁴] - 1/4 = 3/2 - 1/4 = 5/4: SE √(5/4/N); 5 SE.
    assert abs(ns["second_moment"] - 0.5) < 5 * math.sqrt(1.25 / n)
    # Sample variance of relu(z): relative SE √((κ - 1)/N), κ = E[(a - μ)⁴]/Var² of relu(z),
    # computed here by quadrature; 5 SE. The std ratio inherits half of it.
    mu = 1 / math.sqrt(2 * math.pi)
    m4 = integrate.quad(lambda z: (max(z, 0) - mu) ** 4 * math.exp(-z * z / 2), -40, 40)[0]
    kappa = m4 / math.sqrt(2 * math.pi) / var_theory**2
    rel_se = math.sqrt((kappa - 1) / n)
    np.testing.assert_allclose(ns["variance"], var_theory, rtol=5 * rel_se)
    np.testing.assert_allclose(ns["std_ratio"], 1 / math.sqrt(var_theory), rtol=2.5 * rel_se + 5 / math.sqrt(2 * n))
    assert abs(ns["std_ratio"] - math.sqrt(2)) > 0.25  # √2 does not come from the std
    # "Matching the std": c = 1/Var(relu(z)) ≈ 2.93, so 50 layers grow the RMS by (c/2)^25.
    # The measured c carries the errors above (≤ 5·rel_se + 5/√(2N) relative ≈ 0.9 %); times 25.
    np.testing.assert_allclose(ns["c_matched"], ns["std_ratio"] ** 2, rtol=1e-15)
    assert abs(math.log(ns["rms_growth_50"]) - 25 * math.log(1 / var_theory / 2)) < 25 * (
        5 * rel_se + 5 / math.sqrt(2 * n))
    # The printed theory values, against the closed forms (4 decimals printed).
    assert printed_numbers(result.stdout, "E[relu(z)²]")[-1] == 0.5
    assert printed_numbers(result.stdout, "Var(relu(z))")[-1] == pytest.approx(var_theory, abs=5e-5)
    assert printed_numbers(result.stdout, "std(z)/std(relu)")[-1] == pytest.approx(
        1 / math.sqrt(var_theory), abs=5e-5)
    assert printed_numbers(result.stdout, "√2")[-1] == pytest.approx(math.sqrt(2), abs=5e-5)


@pytest.mark.parametrize("k", SEEDS)
def test_uniform_bound_variance_is_b_squared_over_three(k):
    result = run_snippet("initialisation_variants/uniform_bound.py", seed_shift=k)
    ns = result.namespace
    assert abs(ns["var_u"] - 1 / 3) < variance_tolerance(1 / 3, ns["u"].size, "uniform")
    n = ns["n"]
    assert abs(ns["n_var_he_uniform"] - 2) < variance_tolerance(2, n * n, "uniform")
    # Printed theory: b²/3 for b = 1 is 1/3; the He target is 2.
    assert printed_numbers(result.stdout, "Var(U(-1, 1))")[-1] == pytest.approx(1 / 3, abs=5e-5)
    assert "(target 2)" in result.stdout


@pytest.mark.parametrize("k", SEEDS)
def test_truncated_normal_matches_keras_constant(k):
    result = run_snippet("initialisation_variants/truncated_normal.py", seed_shift=k)
    ns = result.namespace
    truncated_std = stats.truncnorm(-2, 2).std()  # scipy's truncated normal, another method
    np.testing.assert_allclose(ns["theory"], truncated_std, rtol=1e-12)
    np.testing.assert_allclose(ns["theory"], 0.87962566103423978, rtol=1e-12)  # Keras's constant
    # SE of a sample std ≈ σ·√((κ - 1)/(4N)), κ ≈ 2.37 for this truncation, N ≈ 1.9·10⁶:
    # about 4·10⁻⁴ relative; 5 of them.
    kappa = KURTOSIS["truncated_normal"]
    n_kept = ns["kept"].size
    np.testing.assert_allclose(ns["std_truncated"], truncated_std,
                               rtol=5 * math.sqrt((kappa - 1) / (4 * n_kept)))
    n = ns["n"]
    assert abs(ns["n_var_keras_he"] - 2) < variance_tolerance(2, n * n, "truncated_normal")
    assert printed_numbers(result.stdout, "std of N(0,1) cut at ±2:")[-1] == pytest.approx(
        truncated_std, abs=5e-5)


# ---------------------------------------------------------------- tanh gains

def mean_field(gain, depth=100):
    """Infinite-width tanh net, inputs with E[x²] = 1 (scipy quadrature).

    Returns E[a²] after each layer and χ at each layer, χ_l = gain²·E[tanh′(h_l)²].
    """
    q, second, chis = gain**2, [], []  # q = Var(h^[1])
    for _ in range(depth):
        chis.append(gain**2 * gaussian_mean(slope2, q))
        m = gaussian_mean(tanh2, q)
        second.append(m)
        q = gain**2 * m
    return np.array(second), np.array(chis)


def fixed_point(gain):
    """q* > 0 with q* = gain²·E[tanh(√q* z)²] (Brent's method), and χ* there."""
    q = optimize.brentq(lambda q: gain**2 * gaussian_mean(tanh2, q) - q, 1e-3, 50, xtol=1e-14)
    return q, gain**2 * gaussian_mean(slope2, q)


MEAN_FIELD = {k: mean_field(g) for k, g in {"1": 1.0, "5/3": 5 / 3, "2": 2.0}.items()}


@pytest.mark.parametrize("k", SEEDS)
def test_tanh_gain_forward_and_backward_match_mean_field(k):
    ns = run_snippet("initialisation_variants/tanh_gain.py", seed_shift=k).namespace
    n, depth, batch = ns["n"], ns["depth"], ns["batch"]
    assert (n, depth, batch) == (500, 100, 32) and list(ns["gains"]) == ["1", "5/3", "2"]
    # Rows: the inputs are independent, and with no bias tanh keeps uncorrelated inputs
    # uncorrelated (c = 0 is a fixed point of the correlation map; it attracts for gains > 1
    # and is neutral at gain 1). So the 32 rows are close to independent; take 16 effective
    # rows, a factor 2 of margin for the O(1/√n) residual correlations.
    rows = 16
    for key, gain in ns["gains"].items():
        second, chis = MEAN_FIELD[key]
        std = np.sqrt(second)
        if key == "1":
            # q shrinks like 1/(2l): a relative fluctuation added at layer l is carried to L
            # by Π(1 - 1/j) ≈ l/L, so Var_L ≤ Σ_l r/(n·rows)·(l/L)² ≈ r·L/(3·n·rows), r = 2
            # (tanh² ≈ h², a χ² per unit). The std carries half of it.
            layers = np.arange(1, depth + 1)
            rel_sd = np.sqrt(2 * layers / (3 * n * rows)) / 2
        else:
            # At q*: per-layer relative variance r/(n·rows), r = Var(tanh²)/E[tanh²]²;
            # damped by the map's slope λ = d ln q'/d ln q: stationary r/(n·rows)/(1 - λ²).
            q_star, _ = fixed_point(gain)
            e2 = gaussian_mean(tanh2, q_star)
            r = gaussian_mean(lambda h: tanh2(h) ** 2, q_star) / e2**2 - 1
            lam = (math.log(gaussian_mean(tanh2, q_star * 1.0001)) - math.log(e2)) / math.log(1.0001)
            rel_sd = np.full(depth, math.sqrt(r / (n * rows) / (1 - lam**2)) / 2)
        np.testing.assert_array_less(np.abs(ns["stds"][key] / std - 1), 5 * rel_sd)
        # Backward: per layer the gradient's mean square gains χ_l. For one row the ratio has
        # relative variance (2 + Var(s²)/E[s²]²)/n, s = tanh′(h) (a χ²_n of the Gaussian Wᵀ
        # product, times the spread of the slopes); over `rows` rows and 100 layers the log
        # of the product has sd √(Σ v_l/rows), and the drift -Σ v_l/(2·rows).
        v = []
        q = gain**2
        for _ in range(depth):
            e = gaussian_mean(slope2, q)
            v.append((2 + gaussian_mean(lambda h: slope2(h) ** 2, q) / e**2 - 1) / n)
            q = gain**2 * gaussian_mean(tanh2, q)
        sd, drift = math.sqrt(sum(v) / rows), sum(v) / (2 * rows)
        log_theory = 0.5 * np.sum(np.log(chis))  # ln of the RMS growth √(Πχ)
        assert abs(math.log(ns["grad_growth"][key]) - log_theory) < (drift + 5 * sd) / 2
    # The page's claims: 5/3 settles near 0.65 (theory at layers 20 and 100), gain 1 keeps
    # shrinking, and 5/3 grows the input gradient by about 10⁴ over 100 layers.
    np.testing.assert_allclose(np.sqrt(MEAN_FIELD["5/3"][0][[19, 99]]), 0.65, atol=0.005)
    assert ns["std_1_at_100"] < ns["std_1_at_20"] / 1.5
    assert 10**3.5 < ns["grad_growth_53"] < 10**4.5
    assert ns["grad_growth"]["1"] < 1 < ns["grad_growth"]["5/3"] < ns["grad_growth"]["2"]


def test_tanh_gain_theory_against_quadrature():
    result = run_snippet("initialisation_variants/tanh_gain_theory.py")
    ns = result.namespace
    for key, gain in {"5/3": 5 / 3, "2": 2.0}.items():
        q_star, chi_star = fixed_point(gain)
        # The snippet reports depth 100, which approaches q* geometrically (the map's slope at
        # q* is about 0.85 for 5/3, 0.85^100 ≈ 1e-7): 1e-6 relative.
        np.testing.assert_allclose(ns["q"][key], q_star, rtol=1e-6)
        np.testing.assert_allclose(ns["chi"][key], chi_star, rtol=1e-6)
        second, chis = MEAN_FIELD[key]
        np.testing.assert_allclose(ns["grad_growth"][key], math.sqrt(np.prod(chis)), rtol=1e-8)
        q, std_a, chi, sqrt_chi, growth = printed_numbers(result.stdout, key)
        assert (q, std_a) == (pytest.approx(q_star, abs=5e-5), pytest.approx(
            math.sqrt(q_star) / gain, abs=5e-4))
        assert (chi, sqrt_chi) == (pytest.approx(chi_star, abs=5e-5), pytest.approx(
            math.sqrt(chi_star), abs=5e-4))
        assert growth == pytest.approx(math.sqrt(np.prod(chis)), rel=5e-3)
    # REFERENCE.md's numbers (computed there independently): q* ≈ 1.18, RMS 0.651, χ ≈ 1.21
    # for 5/3; q* ≈ 2.12, χ ≈ 1.36 for 2.
    q53, chi53 = fixed_point(5 / 3)
    assert round(q53, 2) == 1.18 and round(chi53, 2) == 1.21
    assert round(math.sqrt(gaussian_mean(tanh2, q53)), 3) == 0.651
    q2, chi2 = fixed_point(2.0)
    assert round(q2, 2) == 2.12 and round(chi2, 2) == 1.36
    # Gain 1: q → 0 (like 1/(2l)) and χ → 1 from below; the gradient shrinks.
    second, chis = MEAN_FIELD["1"]
    np.testing.assert_allclose(ns["q"]["1"], second[-1], rtol=1e-8)
    assert second[-1] == pytest.approx(1 / (2 * 100), rel=0.1) and np.all(chis < 1)
    np.testing.assert_allclose(ns["grad_growth"]["1"], math.sqrt(np.prod(chis)), rtol=1e-8)
    for name in ("q_star_53", "chi_star_53", "sqrt_chi_star_53", "grad_growth_53"):
        assert name in ns
    np.testing.assert_allclose(ns["sqrt_chi_star_53"], math.sqrt(chi53), rtol=1e-8)


def test_no_tanh_gain_keeps_both_passes():
    """'For tanh without biases no gain gives both: χ = 1 needs g = 1, where q* = 0.'"""
    for gain in np.linspace(1.05, 4, 12):
        q_star, chi_star = fixed_point(gain)
        assert q_star > 0 and chi_star > 1, gain
    for gain in (0.5, 0.9, 0.99):  # below 1: q* = 0 and χ = g² < 1 there
        q = gain**2
        for _ in range(2000):
            q = gain**2 * gaussian_mean(tanh2, q)
        assert q < 1e-6 and gain**2 * gaussian_mean(slope2, q) < 1


def test_gains_section_text():
    text = body(PAGE)
    gains = text[text.index("## Gains for ReLU and tanh"):text.index("## The variance multiplier")]
    assert "no\nderivation for that number" in gains and "issues/24991" in gains
    for value in ("tanh_gain.py:std_53_at_20", "tanh_gain.py:std_53_at_100",
                  "tanh_gain_theory.py:q_star_53", "tanh_gain_theory.py:chi_star_53",
                  "tanh_gain.py:grad_growth_53", "tanh_gain_theory.py:grad_growth_53"):
        assert "initialisation_variants/" + value in gains
    assert "{{ output: initialisation_variants/tanh_gain.py }}" in gains
    assert "{{ output: initialisation_variants/tanh_gain_theory.py }}" in gains
    assert "So 5/3 trades the backward pass for the forward one" in gains


@pytest.mark.parametrize("k", SEEDS)
def test_plot_multiplier_sweep_follows_c_over_2_power(k):
    ns = run_snippet("initialisation_variants/plot_multiplier_sweep.py", seed_shift=k).namespace
    c, rms, depth, n = ns["multipliers"], ns["rms"], ns["depth"], ns["n"]
    assert (depth, n) == (50, 128)
    np.testing.assert_allclose(ns["theory"], (c / 2) ** 25, rtol=1e-12)
    # Finite width: per ReLU layer E[a²] is multiplied by a ratio of relative variance ≤ 5/n
    # (a mean over n units of relu(g)², E[relu⁴]/E[relu²]² - 1 = 5 for Gaussian g); over 50
    # layers ln E[a²] has sd ≤ √(50·5/n) = 1.4 and drift ≥ -50·5/(2n) = -0.98. In decades of
    # the RMS: sd 0.30, drift -0.21. Allow the drift plus 5 sd for each of the 10 points.
    v = 5 / n
    sd, drift = math.sqrt(depth * v) / 2 / math.log(10), depth * v / 4 / math.log(10)
    assert np.all(np.abs(np.log10(rms / ns["theory"])) < drift + 5 * sd)
    # Slope of ln rms against ln c (theory L/2 = 25): the points are independent draws, so
    # its sd is σ/√Σ(x - x̄)², σ = the ln-RMS sd above (the common drift cancels). 5 sd.
    x = np.log(c)
    slope = np.polyfit(x, np.log(rms), 1)[0]
    assert abs(slope - depth / 2) < 5 * (math.sqrt(depth * v) / 2) / math.sqrt(np.sum((x - x.mean()) ** 2))
    ax = ns["fig"].axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "log scale" in ax.get_xlabel() and "log scale" in ax.get_ylabel()
    assert "variance multiplier" in ax.get_xlabel()
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), rms)
    plt.close(ns["fig"])


# ---------------------------------------------------------------- names and vocabulary

def test_names_note_defines_each_name_once():
    text = body(PAGE)
    heading = text.index("## Names used on this site\n\n!!! note \"Names used on this site\"")
    note = text[heading:text.index("\n\n", text.index("!!! note", heading) + 40)]
    items = {m[1]: m[2] for m in re.finditer(r"- (?:A )?\*\*(.+?)\*\*(.*?)(?=\n    - |\Z)", note, re.DOTALL)}
    assert list(items) == ["LeCun", "Glorot", "He", "gain", "variance multiplier"]
    i, o, g = 700, 300, 1.7
    for name, closed in [("LeCun", 1 / i), ("Glorot", 2 / (i + o)), ("He", 2 / i)]:
        tex = re.search(r"\$\\mathrm\{Var\}\(w\) = ([^$]+)\$", items[name])[1]
        assert latex_value(tex, ni=i, no=o) == pytest.approx(closed, rel=1e-15), name
    assert "also called **Xavier** (the same scheme)" in items["Glorot"]
    assert "equals LeCun's\n      $1/n$ only when $n_{\\text{in}} = n_{\\text{out}}$" in items["Glorot"]
    assert "also called **Kaiming**" in items["He"]
    assert "multiplies the **standard deviation**" in items["gain"]
    tex = re.search(r"\$\\mathrm\{Var\}\(w\) = ([^$]+)\$", items["gain"])[1]
    assert latex_value(tex, ni=i, g=g) == pytest.approx(g**2 / i)  # std = g·√(1/n_in)
    assert "multiplies the **variance**" in items["variance multiplier"]
    tex = re.search(r"\$\\mathrm\{Var\}\(w\) = ([^$]+)\$", items["variance multiplier"])[1]
    assert latex_value(tex.replace("c", "(g**2)"), ni=i, g=g) == pytest.approx(g**2 / i)
    assert text.count('!!! note "Names used on this site"') == 1


def test_page_vocabulary():
    text = body(PAGE)
    # A std factor is a gain; "multiplier" appears only as "variance multiplier".
    prose = re.sub(r"\w+_multiplier\w*", "", text)  # file names such as plot_multiplier_sweep.py
    assert len(re.findall(r"multiplier", prose)) == len(re.findall(r"variance\s+multiplier", prose))
    # "Xavier" only as another name for Glorot (in the note) or He et al.'s usage, never 1/n.
    for m in re.finditer("Xavier", text):
        around = text[m.start() - 120:m.end() + 60]
        assert "Glorot" in around or "He et al." in around, around
    # The table's orthogonal row states which product is g²I.
    assert ("$W W^{\\top} = g^2 I$ if $n_{\\text{out}} \\le n_{\\text{in}}$, else "
            "$W^{\\top} W = g^2 I$") in text


def test_plot_multiplier_sweep_typical_run_sits_below_the_mean():
    """'a typical run sits below the mean' (the finite-width drift): pooled over 4 seeds × 10 points, the
    mean of log10(rms/theory) is the drift, E[ln r] ≈ ln E[r] - Var(r)/2 per layer: at most
    50·(5/n)/4/ln 10 = 0.21 decades below (relative variance ≤ 5/n for one row, less for a
    batch), each point with sd ≤ 0.30 decades; 40 independent points give an sd ≤ 0.048 for
    the mean. Require it below 0, and within 5 of those sd of the single-row drift."""
    logs = []
    for k in SEEDS:
        ns = run_snippet("initialisation_variants/plot_multiplier_sweep.py", seed_shift=k).namespace
        logs += list(np.log10(ns["rms"] / ns["theory"]))
        plt.close(ns["fig"])
    v = 5 / 128
    drift, sd = -50 * v / 4 / math.log(10), math.sqrt(50 * v) / 2 / math.log(10)
    assert np.mean(logs) < 0
    assert abs(np.mean(logs) - drift) < 5 * sd / math.sqrt(len(logs))
