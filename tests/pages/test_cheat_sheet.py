"""Tests for docs/cheat-sheet.md: every formula in its table against samples, and the gains."""

import math

import numpy as np

from sitebuild.runner import run_snippet


def test_formula_check_every_row():
    result = run_snippet("cheat_sheet/formula_check.py")
    ns = result.namespace
    n_in, n_out = ns["n_in"], ns["n_out"]
    size = n_in * n_out
    independent = {  # the same formulas, written again from the papers / framework docs
        "LeCun normal": 1 / n_in,
        "Glorot normal": 2 / (n_in + n_out),
        "Glorot uniform": math.sqrt(6 / (n_in + n_out)) ** 2 / 3,
        "He normal": 2 / n_in,
        "He uniform": math.sqrt(6 / n_in) ** 2 / 3,
        "Orthogonal": min(n_in, n_out) / (n_in * n_out),
        "nn.Linear default": (1 / math.sqrt(n_in)) ** 2 / 3,
    }
    assert [row[0] for row in ns["rows"]] == list(independent)
    for name, text, value, _ in ns["rows"]:
        np.testing.assert_allclose(value, independent[name], rtol=1e-12)
        sampled = ns["sampled"][name]
        if name == "Orthogonal":
            # The sum of squares of an orthogonal matrix is fixed; only the tiny sample mean
            # (≈ 1/√size of the std) separates .var() from it.
            np.testing.assert_allclose(sampled, value, rtol=1e-4)
        else:
            # Standard error of a sample variance: σ²·√((κ - 1)/N); κ = 3 (normal), 9/5
            # (uniform). Allow 5 of them.
            kurtosis = 9 / 5 if "uniform" in text or "b²/3" in text else 3.0
            assert abs(sampled - value) < 5 * value * math.sqrt((kurtosis - 1) / size), name
        assert f"{name:18} {text:29} {value:10.3e} {sampled:10.3e}" in result.stdout


def test_gains_from_second_moment():
    ns = run_snippet("cheat_sheet/gains.py").namespace
    gains, n = ns["gain_from_moment"], ns["z"].size
    # 1/√E[φ²]: E[φ²] is 1, 1/2, (1 + a²)/2 for the piecewise-linear ones (exact theory).
    # The sample second moment over N = 10⁶ draws has relative SE √Var(φ²)/E[φ²]/√N, largest
    # for ReLU: √(5/4)/(1/2)/1000 ≈ 0.22 %. The gain 1/√E inherits half: rtol 0.006 > 5 SE.
    np.testing.assert_allclose(gains["linear"], 1.0, rtol=0.006)
    np.testing.assert_allclose(gains["relu"], math.sqrt(2), rtol=0.006)
    np.testing.assert_allclose(gains["leaky_relu a=0.01"], math.sqrt(2 / (1 + 0.01**2)), rtol=0.006)
    # tanh has no exact gain: 1/√E[tanh(z)²] for unit-variance z, by quadrature.
    nodes, weights = np.polynomial.hermite_e.hermegauss(101)
    tanh_theory = 1 / math.sqrt(np.sum(weights * np.tanh(nodes) ** 2) / weights.sum())
    np.testing.assert_allclose(gains["tanh"], tanh_theory, rtol=0.006)
    assert gains["tanh"] < 5 / 3  # PyTorch's 5/3 is a choice, a little above this
    for name, (_, torch_gain) in ns["activations"].items():
        if name != "tanh":
            np.testing.assert_allclose(torch_gain, gains[name], rtol=0.006)
