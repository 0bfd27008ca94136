"""Tests for docs/deep-nets.md: deep MLPs under each initialisation, checked against theory.

Two kinds of theory are used:
- exact identities (ReLU is positively homogeneous and b = 0, so rescaling every W by c rescales
  A[l] by c^l with the same random draw; an orthogonal W preserves every norm);
- the infinite-width ("mean-field") recursion for E[a^2] and E[(dJ/dA)^2], with tolerances for a
  finite width n = 256 derived from the per-layer fluctuation (see each test).
"""

import json
from functools import cache

import numpy as np
import pytest

from nets.mlp import ACTIVATIONS, init_params, init_std
from sitebuild.runner import run_snippet

N, L = 256, 50


@cache
def ns(name):
    return run_snippet(f"deep_nets/{name}.py").namespace


@cache
def mean_field(act, init, q0):
    """Infinite-width E[a^2] at layers 1..L and E[(dJ/dA[l])^2] at l = 0..L-1 (unit dJ/dZ[L]).

    z[l] ~ N(0, s2 * q[l-1]) with s2 = n Var(w); q[l] = E[g(z)^2];
    E[dA[l-1]^2] = s2 * E[g'(z[l])^2] * E[dA[l]^2], starting from E[dA[L-1]^2] = s2 * 1.
    Gaussian expectations by a fine Riemann sum on [-12, 12] standard deviations.
    """
    g, dg = ACTIVATIONS[act]
    s2 = N * init_std(init, N, N) ** 2
    u = np.linspace(-12, 12, 400_001)
    w = np.exp(-(u**2) / 2)
    w /= w.sum()
    q, qs, chis, sat = q0, [], [], []
    for _ in range(L):
        z = np.sqrt(s2 * q) * u
        a = g(z)
        q = np.sum(w * a**2)
        qs.append(q)
        chis.append(s2 * np.sum(w * np.asarray(dg(z, a), float) ** 2))
        sat.append(np.sum(w * (np.abs(a) > 0.99)))
    gq = np.empty(L)
    gq[L - 1] = s2
    for l in range(L - 1, 0, -1):
        gq[l - 1] = chis[l - 1] * gq[l]
    return np.array(qs), gq, np.array(sat)


def _q0():
    return float(np.mean(ns("depth_profiles")["X"] ** 2))


# ---------------------------------------------------------------- depth_profiles.py


def test_depth_profiles_shapes():
    p = ns("depth_profiles")
    assert (p["WIDTH"], p["DEPTH"]) == (N, L)
    assert len(p["act_std"]) == 8
    for key in p["act_std"]:
        for table in ("act_std", "act_q", "grad_std", "grad_q", "saturated"):
            assert p[table][key].shape == (L,)


@pytest.mark.parametrize("init", ["small", "lecun", "large"])
def test_relu_inits_are_exact_rescalings_of_he(init):
    # Same seed, constant width: W_init = c * W_he with c = std_init / std_he. ReLU(c z) = c ReLU(z)
    # for c > 0 and b = 0, so E[a^2] scales by c^(2l) exactly; dJ/dA[l] passes through the
    # L - l weight matrices above it, so E[(dJ/dA[l])^2] scales by c^(2(L-l)). Only rounding
    # differs (~50 roundings of 1e-16): rtol 1e-10.
    p = ns("depth_profiles")
    c = init_std(init, N, N) / init_std("he", N, N)
    l = np.arange(1, L + 1)
    np.testing.assert_allclose(p["act_q"]["relu", init], c ** (2 * l) * p["act_q"]["relu", "he"],
                               rtol=1e-10)
    np.testing.assert_allclose(p["grad_q"]["relu", init],
                               c ** (2 * (L - np.arange(L))) * p["grad_q"]["relu", "he"], rtol=1e-10)


def test_he_relu_keeps_second_moment_within_finite_width_band():
    # Infinite width: E[a[l]^2] = E[x^2] = 1 at every layer. At width n one layer multiplies
    # sum_i relu(z_i)^2 by a random factor of relative variance 5/n (E relu(z)^4 = 3/2 s^4,
    # (E relu(z)^2)^2 = s^4/4, (3/2 - 1/4) / (1/4) = 5 per unit), independently per layer, so
    # ln E[a[l]^2] has standard deviation about sqrt(5 l / n) (~1 at l = 50; measured across
    # seeds in he_relu_spread.py). Band: 3 standard deviations, plus 0.05 for the sample q0.
    p = ns("depth_profiles")
    l = np.arange(1, L + 1)
    log_q = np.log(p["act_q"]["relu", "he"])
    assert np.all(np.abs(log_q) <= 3 * np.sqrt(5 * l / N) + 0.05)
    # Backward, fan-out = fan-in = n: E[(dJ/dA)^2] stays at n Var(w) E[dZ^2] = 2. Same band with
    # the number of layers traversed, L - l (at least 1).
    log_g = np.log(p["grad_q"]["relu", "he"] / 2)
    k = np.maximum(L - np.arange(L), 1)
    assert np.all(np.abs(log_g) <= 3 * np.sqrt(5 * k / N) + 0.05)
    # The other ReLU inits leave that band by orders of magnitude at depth 50.
    for init in ["small", "lecun", "large"]:
        assert abs(np.log(p["act_q"]["relu", init][-1])) > 10 * 3 * np.sqrt(5 * L / N)


def test_lecun_relu_shrinks_second_moment_by_2_to_the_minus_l():
    # Var(w) = 1/n with ReLU: each layer halves E[a^2] on average, E[a[30]^2] = 2^-30 ≈ 9.3e-10.
    # Exactly 2^-l times He's value on the same draw (see the rescaling test); with He's band
    # sqrt(5 l / n) this gives the stated band around 2^-l.
    p = ns("depth_profiles")
    q30 = p["act_q"]["relu", "lecun"][29]
    np.testing.assert_allclose(2.0**-30, 9.3e-10, rtol=0.01)
    assert abs(np.log(q30 / 2.0**-30)) <= 3 * np.sqrt(5 * 30 / N) + 0.05
    np.testing.assert_allclose(p["q30_lecun_relu"], q30, rtol=0)
    np.testing.assert_allclose(p["q30_predicted"], 2.0**-30, rtol=0)


@pytest.mark.parametrize("init", ["small", "lecun", "he"])
def test_tanh_second_moments_follow_mean_field(init):
    # For one input direction, a linear layer's ||W a||^2 has relative variance 2/n, so ln q
    # drifts by at most about sqrt(2 l / n) from the infinite-width value (tanh only contracts
    # it further, and averaging over the batch reduces it). Band: 3 standard deviations.
    p = ns("depth_profiles")
    q_mf, g_mf, _ = mean_field("tanh", init, _q0())
    l = np.arange(1, L + 1)
    assert np.all(np.abs(np.log(p["act_q"]["tanh", init] / q_mf)) <= 3 * np.sqrt(2 * l / N))
    k = np.maximum(L - np.arange(L), 1)
    assert np.all(np.abs(np.log(p["grad_q"]["tanh", init] / g_mf)) <= 3 * np.sqrt(2 * k / N))


def test_tanh_too_small_collapses_and_lecun_decays_slowly():
    p = ns("depth_profiles")
    # Too small: tanh is linear near 0, each layer multiplies E[a^2] by n * 0.01^2 = 0.0256.
    ratio = p["act_q"]["tanh", "small"][1:] / p["act_q"]["tanh", "small"][:-1]
    np.testing.assert_allclose(np.exp(np.mean(np.log(ratio))), N * 0.01**2, rtol=0.02)
    assert p["act_std"]["tanh", "small"][-1] < 1e-35
    # LeCun, n Var(w) = 1: q[l] = E[tanh(sqrt(q[l-1]) xi)^2] ≈ q - 2 q^2, so q[l] ≈ 1/(2 l) for
    # large l: a polynomial, not exponential, decay. Mean field at l = 50 is within 15% of it.
    q_mf = mean_field("tanh", "lecun", _q0())[0]
    np.testing.assert_allclose(q_mf[-1], 1 / (2 * L), rtol=0.15)
    assert 0.05 < p["act_std"]["tanh", "lecun"][-1] < 0.2
    np.testing.assert_allclose(p["tanh_lecun_std_50"], p["act_std"]["tanh", "lecun"][-1], rtol=0)


@pytest.mark.parametrize("init", ["small", "lecun", "he", "large"])
def test_tanh_saturated_fraction_matches_mean_field(init):
    # Fraction of |a| > 0.99 over 256 x 128 = 32768 activations: binomial standard error
    # <= 0.5 / sqrt(32768) ≈ 0.003, plus the finite-width drift of q; atol 0.02.
    p = ns("depth_profiles")
    sat_mf = mean_field("tanh", init, _q0())[2]
    np.testing.assert_allclose(p["saturated"]["tanh", init], sat_mf, atol=0.02)
    if init == "large":  # z has std ~ 10 sqrt(n) = 160: |z| > atanh(0.99) ≈ 2.65 almost always
        assert np.all(p["saturated"]["tanh", init] > 0.97)
    if init in ("small", "lecun"):
        assert np.all(p["saturated"]["tanh", init][9:] == 0)


def test_tanh_too_large_saturates_yet_gradients_explode():
    # With std 10 the rare unsaturated units (~1.3 % of them) see weights of size 10, so each
    # layer still multiplies the gradient's std by more than 1: it grows going down.
    # Mean field gives the *mean* growth of E[(dJ/dA)^2] per layer, chi = n Var(w) E[g'(z)^2]
    # ≈ 85; a finite net with ~3 unsaturated units per example grows at the typical rate, which
    # is lower (Jensen: E ln X <= ln E X). So: at least x2 per layer in std, at most sqrt(chi).
    p = ns("depth_profiles")
    g = p["grad_std"]["tanh", "large"]
    growth = (g[0] / g[-1]) ** (1 / (L - 1))
    g_mf = mean_field("tanh", "large", _q0())[1]
    chi = (g_mf[0] / g_mf[-1]) ** (1 / (L - 1))
    assert g[0] > 1e30
    assert 2 < growth < np.sqrt(chi)


# ---------------------------------------------------------------- he_relu_spread.py


def test_he_relu_spread_across_seeds_matches_5l_over_n():
    s = ns("he_relu_spread")
    assert s["log_q"].shape == (16, L)
    np.testing.assert_allclose(s["spread_predicted"], np.sqrt(5 * L / N), rtol=1e-15)
    # A sample std from 16 seeds has relative standard error ≈ 1/sqrt(2 * 15) ≈ 0.18; the
    # delta-method prediction ignores batch averaging (which can only reduce the spread).
    # Allow 3 standard errors.
    assert abs(s["spread_measured"] / s["spread_predicted"] - 1) <= 3 * 0.18
    # The mean of ln q over seeds is 0 up to its standard error spread / 4 (16 seeds), up to
    # the -sigma^2/2 of a log-normal whose mean is 1; 3 standard errors around -sigma^2/2.
    sigma = s["spread_predicted"]
    assert abs(s["log_q"][:, -1].mean() + sigma**2 / 2) <= 3 * sigma / 4


# ---------------------------------------------------------------- orthogonal_linear.py


def test_orthogonal_linear_net_preserves_every_norm_exactly():
    o = ns("orthogonal_linear")
    # Theory: a product of orthogonal matrices is orthogonal; only rounding (50 layers x
    # 256-term sums, ~1e-16 each) separates the ratio from 1.
    np.testing.assert_allclose(o["norm_ratio"]["orthogonal"], 1.0, atol=1e-12)
    np.testing.assert_allclose(o["singular_values"]["orthogonal"], 1.0, atol=1e-12)
    assert o["orth_max_error"] < 1e-12


def test_gaussian_linear_net_spreads_singular_values():
    o = ns("orthogonal_linear")
    s, r = o["singular_values"]["lecun"], o["norm_ratio"]["lecun"]
    # E over random directions of ||P x||^2 / ||x||^2 equals mean(s^2) exactly (x / ||x|| is
    # uniform on the sphere); the batch average of 128 examples agrees within 5 standard errors.
    se = np.std(r**2, ddof=1) / np.sqrt(r.size)
    assert abs(np.mean(r**2) - np.mean(s**2)) <= 5 * se
    # Var(w) = 1/n keeps the *average* squared gain at 1 (ln of it within 3 sqrt(2 L / n)),
    # but the end-to-end map is hugely ill-conditioned: some directions are all but erased.
    assert abs(np.log(np.mean(s**2))) <= 3 * np.sqrt(2 * L / N)
    assert s.max() / s.min() > 1e12
    assert r.min() < 0.8 and r.max() > 1.25


# ---------------------------------------------------------------- explorer_data.py


def test_explorer_data_layout_and_json():
    e = ns("explorer_data")["explorer_data"]
    assert json.loads(json.dumps(e, allow_nan=False)) == e
    assert (e["width"], e["depth"]) == (N, L)
    np.testing.assert_allclose(e["multipliers"], 2.0 ** (np.arange(-6, 7) / 3), rtol=1e-15)
    assert e["multipliers"][6] == 1.0 and min(e["multipliers"]) == 0.25 and max(e["multipliers"]) == 4
    for key in ("act_std", "grad_std"):
        assert set(e[key]) == {"tanh", "relu"}
        for act in e[key]:
            assert set(e[key][act]) == {"small", "lecun", "he", "large"}
            for rows in e[key][act].values():
                assert len(rows) == 13 and all(len(r) == L for r in rows)
                assert all(np.isfinite(r).all() and min(r) > 0 for r in rows)


def test_explorer_weights_are_init_params_draws():
    # The explorer draws the standard normals once and rescales them; that is exactly what
    # init_params does with the same seed, layer after layer.
    G = ns("explorer_data")["G"]
    params = init_params([N] * (L + 1), "he", np.random.default_rng(0), multiplier=2.0)
    for g, (W, _) in zip(G, params):
        np.testing.assert_allclose(W, 2.0 * init_std("he", N, N) * g, rtol=1e-15)


def test_explorer_json_is_the_full_precision_data_to_four_digits():
    n = ns("explorer_data")
    e = n["explorer_data"]
    for key in ("act_std", "grad_std"):
        for a, act in enumerate(n["ACTS"]):
            for i, init in enumerate(n["INITS"]):
                # 4 significant digits: relative error at most half a unit in the 4th digit
                np.testing.assert_allclose(e[key][act][init], n[key][a, i], rtol=5e-4)


def test_explorer_relu_rows_are_exact_rescalings():
    # ReLU, b = 0: multiplier c scales std(A[l]) by c^l and std(dJ/dA[l]) by c^(L-l).
    n = ns("explorer_data")
    c = np.array(n["explorer_data"]["multipliers"])[:, None]
    relu = n["ACTS"].index("relu")
    for i, init in enumerate(n["INITS"]):
        a = n["act_std"][relu, i]
        g = n["grad_std"][relu, i]
        np.testing.assert_allclose(a, c ** np.arange(1, L + 1) * a[6], rtol=1e-9)
        np.testing.assert_allclose(g, c ** (L - np.arange(L)) * g[6], rtol=1e-9)


def test_explorer_tanh_deep_std_grows_with_multiplier():
    e = ns("explorer_data")["explorer_data"]
    for init in ("small", "lecun", "he"):  # below saturation, a larger scale keeps more signal
        deep = np.array(e["act_std"]["tanh"][init])[:, -1]
        assert np.all(np.diff(deep) > 0)
    # std 10 and above saturates: |a| ≈ 1 everywhere, std within 1 % of 1 at every multiplier.
    np.testing.assert_allclose(np.array(e["act_std"]["tanh"]["large"])[:, -1], 1.0, atol=0.01)


# ---------------------------------------------------------------- figures


def test_plot_depth_profiles_data_and_axes():
    fig = ns("plot_depth_profiles")["fig"]
    p = ns("depth_profiles")
    axes = fig.axes
    assert len(axes) == 4
    for ax in axes:
        assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
    for col, act in enumerate(["tanh", "relu"]):
        fwd, bwd = axes[col].get_lines(), axes[2 + col].get_lines()
        for line, init in zip(fwd, p["INITS"]):
            np.testing.assert_array_equal(line.get_ydata(), p["act_std"][act, init])
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, L + 1))
        for line, init in zip(bwd, p["INITS"]):
            np.testing.assert_array_equal(line.get_ydata(), p["grad_std"][act, init])


def test_plot_tanh_histograms_structure():
    fig = ns("plot_tanh_histograms")["fig"]
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
        assert len(ax.patches) == 4  # one step histogram per layer shown
        lo, hi = ax.get_xlim()
        assert lo <= -1 and hi >= 1


def test_plot_orthogonal_spectrum_data():
    fig = ns("plot_orthogonal_spectrum")["fig"]
    o = ns("orthogonal_linear")
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), o["singular_values"]["lecun"])
    np.testing.assert_array_equal(lines[1].get_ydata(), o["singular_values"]["orthogonal"])
