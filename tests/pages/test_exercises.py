"""Tests for docs/exercises.md: each init bug's measured consequence against theory."""

import math

import numpy as np

from sitebuild.runner import run_snippet

# The three deep ReLU exercises (width 256, depth 50, batch 32): finite width makes
# log E[a²] a random walk across layers. Over 30 seeds log10(measured/theory) had an sd of
# 0.18-0.21 decades (max 0.50), so one decade is 5 standard deviations.
DECADES = 1.0


def assert_within_decades(measured, theory, decades=DECADES):
    assert abs(math.log10(measured / theory)) < decades, (measured, theory)


def test_he_missing_factor_two_halves_second_moment_per_layer():
    ns = run_snippet("exercises/he_missing_factor_two.py").namespace
    assert ns["depth"] == 50
    np.testing.assert_allclose(ns["theory_bug"], 2.0**-25, rtol=1e-15)
    assert_within_decades(ns["rms_bug"], ns["theory_bug"])
    assert_within_decades(ns["rms_fix"], 1.0)
    assert ns["rms_fix"] / ns["rms_bug"] > 1e5


def test_uniform_missing_sqrt3_thirds_second_moment_per_layer():
    ns = run_snippet("exercises/uniform_missing_sqrt3.py").namespace
    # Var(U(±√(2/n))) = 2/(3n); through ReLU E[a²] gains n·Var/2 = 1/3 per layer.
    np.testing.assert_allclose(ns["theory_bug"], 3.0**-25, rtol=1e-14)
    assert_within_decades(ns["rms_bug"], ns["theory_bug"])
    assert_within_decades(ns["rms_fix"], 1.0)


def test_std_vs_variance_consequences():
    ns = run_snippet("exercises/std_vs_variance.py").namespace
    n, depth = ns["n"], ns["depth"]
    right, var_as_std, misread = list(ns["scales"])
    np.testing.assert_allclose(ns["scales"][var_as_std] ** 2, 1 / n**2, rtol=1e-12)
    np.testing.assert_allclose(ns["scales"][misread] ** 2, 1 / math.sqrt(n), rtol=1e-12)
    # Var(w) = 1/n²: tanh is linear at this scale, so the std shrinks by √(n·Var) = 1/√n per
    # layer: n^(-depth/2). Over 10 seeds log10(measured/theory) had sd 0.04: allow 0.25.
    assert_within_decades(ns["final_std"][var_as_std], n ** (-depth / 2), decades=0.25)
    assert ns["saturated"][var_as_std] == 0
    # Var(w) = 1/√n, i.e. n·Var = √n = 16: the infinite-width fixed point q* = 16·E[tanh²(√q* z)].
    nodes, weights = np.polynomial.hermite_e.hermegauss(101)
    weights = weights / weights.sum()
    q = 16.0
    for _ in range(depth):
        second = np.sum(weights * np.tanh(np.sqrt(q) * nodes) ** 2)
        q = 16.0 * second
    # Over 10 seeds: std ratio sd 0.2 %, saturated fraction sd 0.007. Allow about 5 sd.
    np.testing.assert_allclose(ns["final_std"][misread], math.sqrt(second), rtol=0.015)
    saturated_theory = math.erfc(math.atanh(0.99) / math.sqrt(2 * q))
    assert abs(ns["saturated"][misread] - saturated_theory) < 0.04
    # The right scale keeps a signal: 50 layers of gain-1 tanh leave std near 0.1, far from both.
    assert 0.03 < ns["final_std"][right] < 0.3


def test_torch_linear_default_sixth_per_layer():
    ns = run_snippet("exercises/torch_linear_default.py").namespace
    # U(±1/√n): Var = 1/(3n); ReLU keeps half the second moment: × 1/6 per layer.
    np.testing.assert_allclose(ns["theory_default"], 6.0**-25, rtol=1e-14)
    assert_within_decades(ns["rms_default"], ns["theory_default"])
    assert_within_decades(ns["rms_kaiming"], 1.0)


def test_transposed_fan_ratio_is_exact():
    ns = run_snippet("exercises/transposed_fan.py").namespace
    widths = ns["widths"]
    expected = np.cumprod([i / o for i, o in zip(widths[:-1], widths[1:])])
    # Same draws, weights scaled by √(n_in/n_out) per layer, and ReLU is positively
    # homogeneous: the ratio is exact up to rounding.
    np.testing.assert_allclose(ns["bug"] / ns["right"], expected, rtol=1e-10)
    np.testing.assert_allclose(expected[-1], 784 / 64, rtol=1e-15)
    # The correct init keeps E[a²] ≈ 1. The last layer has 64 units; about 1/π of E[a²] at a
    # ReLU layer's input comes from the mean of ReLU outputs and reaches each unit through a
    # single Gaussian number, so the relative sd is about √2/π/√64 ≈ 6 %: rtol 0.3 is 5 sd.
    np.testing.assert_allclose(ns["right"], 1.0, rtol=0.3)


def test_unnormalised_pixels():
    ns = run_snippet("exercises/unnormalised_pixels.py").namespace
    # E[x²] for x uniform on {0, …, 255} is Σk²/256 = 255·511/6. Three quarters of it is the
    # mean (127.5²), which reaches each of the 100 units through one Gaussian number
    # 127.5·Σw, so Var(z) over units has relative sd ≈ 0.75·√2/√100 ≈ 11 %, std ≈ 5 %:
    # rtol 0.25 is 5 sd.
    np.testing.assert_allclose(ns["std_raw"], math.sqrt(255 * 511 / 6), rtol=0.25)
    # Normalised inputs: 200,000 (batch × unit) values, sd of the std well under 1 %.
    np.testing.assert_allclose(ns["std_norm"], 1.0, rtol=0.05)
    # Saturation from a normal with the measured std; z pools units of different means,
    # so allow half a percentage point (the measured gap is 0.02 points).
    assert abs(ns["saturated"] - ns["theory_saturated"]) < 0.005
    assert ns["saturated"] > 0.95
