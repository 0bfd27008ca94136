"""Tests for docs/random-matrices.md: products of random Gaussian matrices.

Theory used throughout: for W with i.i.d. N(0, s^2) entries and any fixed x != 0,
||W x||^2 / ||x||^2 ~ s^2 * chi^2_n, independently at every layer. So
    E[ln r]   = ln s + (ln 2 + digamma(n/2)) / 2,      Var[ln r] = trigamma(n/2) / 4,
    E[r^2]    = s^2 n,
where r = ||x^[l]|| / ||x^[l-1]||. Random tolerances are 4 standard errors of the quantity
tested (the snippets are seeded, so a pass is reproducible; 4 SE keeps a correct snippet
with a different seed passing with probability > 0.9999 per check).
"""

import math

import numpy as np
from matplotlib.axes import Axes

from sitebuild.runner import run_snippet

LN10 = math.log(10)


def digamma_half(n):
    """digamma(n / 2) for even n: -gamma + H_{n/2 - 1}."""
    return -np.euler_gamma + sum(1 / j for j in range(1, n // 2))


def trigamma_half(n):
    """trigamma(n / 2) for even n: pi^2/6 - sum_{j < n/2} 1/j^2."""
    return math.pi**2 / 6 - sum(1 / j**2 for j in range(1, n // 2))


def lyapunov(n):
    """Typical ln-growth per layer at sigma^2 n = 1: (digamma(n/2) + ln(2/n)) / 2."""
    return 0.5 * (digamma_half(n) + math.log(2 / n))


def test_lyapunov_closed_form_is_about_minus_one_over_2n():
    # Sanity of the helper: digamma(x) = ln x - 1/(2x) - 1/(12x^2) + ..., so lambda ~ -1/(2n).
    for n in (16, 64, 256):
        assert abs(lyapunov(n) + 1 / (2 * n)) < 1 / n**2


def test_log_size_random_walk_slope_and_spread():
    ns = run_snippet("random_matrices/log_size_random_walk.py").namespace
    n, depth, chains = ns["n"], ns["depth"], ns["chains"]
    step_mean = 0.5 * (math.log(2) + digamma_half(n)) / LN10     # decades per layer
    step_sd = 0.5 * math.sqrt(trigamma_half(n)) / LN10
    np.testing.assert_allclose(ns["slope_theory"], step_mean, rtol=1e-12)
    np.testing.assert_allclose(ns["spread_theory"], step_sd * math.sqrt(depth), rtol=1e-12)
    # Mean log-size at the last layer: SE = step_sd * sqrt(depth / chains).
    final = ns["log10_size"][:, -1]
    assert abs(final.mean() - step_mean * depth) < 4 * step_sd * math.sqrt(depth / chains)
    # Spread across chains: the SE of a standard deviation is about sd / sqrt(2 * chains).
    sd = step_sd * math.sqrt(depth)
    assert abs(ns["spread_measured"] - sd) < 4 * sd / math.sqrt(2 * chains)
    # Slope of the median path fitted over 101 layers. The median at layer l has SE about
    # 1.25 * step_sd * sqrt(l / chains); a least-squares slope over l = 0..100 divides that
    # by roughly 30 layers, so 4 * step_sd / sqrt(chains) is a loose bound (about 9 % of it).
    assert abs(ns["slope_measured"] - step_mean) < 4 * step_sd / math.sqrt(chains)
    assert ns["log10_size"][:, 0].tolist() == [0.0] * chains    # all start at size 1


def test_d2l_product_band():
    ns = run_snippet("random_matrices/d2l_product.py").namespace
    seeds = len(ns["log10_largest"])
    factors = 101
    step_mean = 0.5 * (math.log(2) + digamma_half(4)) / LN10
    step_sd = 0.5 * math.sqrt(trigamma_half(4)) / LN10
    # Column 1 of the product is M0 (M1 (... (M100 e1))): an exact random walk of 101 steps.
    col = ns["log10_column"]
    sd = step_sd * math.sqrt(factors)
    assert abs(col.mean() - step_mean * factors) < 4 * sd / math.sqrt(seeds)
    assert abs(col.std() - sd) < 4 * sd / math.sqrt(2 * seeds)
    # A 4-vector's largest |entry| is at least its norm / 2, so per repetition the largest
    # entry of the product is at least column 1's norm / 2 (deterministic, no tolerance).
    assert np.all(ns["log10_largest"] >= col - math.log10(2) - 1e-12)
    # REFERENCE.md: 24.7 +- 1.7 (computed, rounded to 0.1). Allowed: the rounding (0.05)
    # plus 4 SE of the mean (1.78 / sqrt(1000) = 0.056) and of the sd (1.78 / sqrt(2000)).
    assert abs(ns["mean_largest"] - 24.7) < 0.05 + 4 * 1.78 / math.sqrt(seeds)
    assert abs(ns["std_largest"] - 1.7) < 0.05 + 4 * 1.78 / math.sqrt(2 * seeds)
    # The spread is the random walk's, not noise that more seeds would remove:
    # sqrt(101) steps of sd 0.174 decades each.
    assert abs(ns["std_largest"] - sd) < 0.15


def test_slope_vs_scale_matches_theory():
    ns = run_snippet("random_matrices/slope_vs_scale.py").namespace
    samples = ns["chains"] * ns["depth"]                # independent ratios per point
    for i, n in enumerate(ns["widths"]):
        for j, g in enumerate(ns["gains"]):
            se_typical = 0.5 * math.sqrt(trigamma_half(n) / samples)
            want = math.log(g) + lyapunov(n)
            assert abs(ns["typical"][i, j] - want) < 4 * se_typical, (n, g)
            # r^2 = g^2 chi^2_n / n has relative sd sqrt(2/n); (1/2) ln of its mean has
            # SE about (1/2) sqrt(2/n / samples). Its theory value is ln g for every n.
            se_ms = 0.5 * math.sqrt(2 / n / samples)
            assert abs(ns["mean_square"][i, j] - math.log(g)) < 4 * se_ms, (n, g)


def test_slope_vs_scale_crossover():
    ns = run_snippet("random_matrices/slope_vs_scale.py").namespace
    gains = ns["gains"]
    assert gains[ns["at_one"]] == 1.0 or abs(gains[ns["at_one"]] - 1.0) < 1e-12
    # sigma^2 n = 1 keeps the mean square: zero ln-growth (within 4 SE, every width).
    samples = ns["chains"] * ns["depth"]
    for i, n in enumerate(ns["widths"]):
        assert abs(ns["mean_square"][i, ns["at_one"]]) < 4 * 0.5 * math.sqrt(2 / n / samples)
    # ... but the typical size shrinks at every measured width: the Lyapunov exponent is
    # negative, and more so for narrow layers.
    lams = [ns["lyapunov_n2"], ns["lyapunov_n4"], ns["lyapunov_n16"]]
    for n, lam in zip(ns["widths"], lams):
        se = 0.5 * math.sqrt(trigamma_half(n) / samples)
        assert lam < 0 and abs(lam - lyapunov(n)) < 4 * se and lam + 4 * se < 0, n
    assert lams[0] < lams[1] < lams[2]


def _lines(ax: Axes):
    return {line.get_label(): line for line in ax.get_lines()}


def test_plot_log_size_band():
    ns = run_snippet("random_matrices/plot_log_size_band.py").namespace
    ax = ns["fig"].axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() and "log scale" in ax.get_ylabel()
    lines = _lines(ax)
    theory = lines["theory: typical growth"]
    np.testing.assert_allclose(np.log10(theory.get_ydata()),
                               ns["slope_theory"] * np.asarray(theory.get_xdata()), rtol=1e-12)
    median = lines["median over seeds"].get_ydata()
    np.testing.assert_allclose(np.log10(median), np.median(ns["log10_size"], axis=0))
    assert len(ax.collections) == 1                    # the percentile band


def test_plot_slope_vs_scale():
    ns = run_snippet("random_matrices/plot_slope_vs_scale.py").namespace
    ax = ns["fig"].axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "log scale" in ax.get_xlabel() and "log scale" in ax.get_ylabel()
    lines = _lines(ax)
    for i, n in enumerate(ns["widths"]):
        np.testing.assert_allclose(lines[f"typical, n = {n}"].get_ydata(), np.exp(ns["typical"][i]))
    theory = lines["typical, theory"]                      # n = 2's line: g * e^lambda(2)
    np.testing.assert_allclose(theory.get_ydata(),
                               np.asarray(theory.get_xdata()) * math.exp(lyapunov(2)), rtol=1e-12)
