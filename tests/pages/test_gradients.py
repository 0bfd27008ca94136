"""Tests for docs/gradients.md: backprop through the linear chain a^[l] = W^[l] a^[l-1]."""

import math

import numpy as np
import pytest
from snippet_runs import run_snippet

# Any seed: statistical claims are checked for the page's seed (0) and three others.
SHIFTS = [0, 1, 2, 3]

EPS = np.finfo(float).eps


@pytest.mark.parametrize("shift", SHIFTS)
def test_linear_backprop_shapes_and_chain_rule(shift):
    ns = run_snippet("gradients/linear_backprop.py", seed_shift=shift).namespace
    Ws, X, Y, dA, dW = ns["Ws"], ns["X"], ns["Y"], ns["dA"], ns["dW"]
    acts = ns["forward"](Ws, X)
    # Shapes: dW^[l] like W^[l] (one matrix per layer), dL/da^[l] like a^[l] (n^[l], m).
    assert [d.shape for d in dW] == [W.shape for W in Ws]
    assert [d.shape for d in dA] == [a.shape for a in acts]
    # Closed form for L = 1/2 ||W3 W2 W1 X - Y||^2: dL/dX = (W3 W2 W1)^T R, R = y_hat - Y,
    # dL/dW2 = W3^T R (W1 X)^T.
    R = Ws[2] @ Ws[1] @ Ws[0] @ X - Y
    np.testing.assert_allclose(dA[0], (Ws[2] @ Ws[1] @ Ws[0]).T @ R, rtol=1e-12)
    np.testing.assert_allclose(dW[1], Ws[2].T @ R @ (Ws[0] @ X).T, rtol=1e-12)


def test_gradient_norms_by_layer_follow_a_to_the_L_minus_l():
    ns = run_snippet("gradients/gradient_norms_by_layer.py").namespace
    L, X, Y = ns["L"], ns["X"], ns["Y"]
    layers = np.arange(L + 1)
    for a in ns["scales"]:
        g = ns["grad_a"][a]
        # dL/da^[l] = (a I)^(L-l) (y_hat - y): L - l factors, one per layer l+1 .. L above it.
        np.testing.assert_allclose(g / g[L], a ** (L - layers), rtol=1e-12)
        residual = np.linalg.norm(a**L * X - Y)
        np.testing.assert_allclose(g[L], residual, rtol=1e-12)
        # ||dW^[l]||_F = a^(L-1) ||(y_hat - y) x^T||_F, the same at every layer.
        want = a ** (L - 1) * np.linalg.norm((a**L * X - Y) @ X.T)
        np.testing.assert_allclose(ns["grad_W"][a], want, rtol=1e-12)
    # The printed table: measured ratio, the theory column a^L, and the weight-gradient range.
    result = run_snippet("gradients/gradient_norms_by_layer.py")
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    for a, row in zip(ns["scales"], rows):
        assert float(row[0]) == a
        np.testing.assert_allclose([float(row[1]), float(row[2])], a**L, rtol=1e-3)  # 4 digits
        want = a ** (L - 1) * np.linalg.norm((a**L * X - Y) @ X.T)
        np.testing.assert_allclose([float(row[3]), float(row[5])], want, rtol=1e-3)


def test_plot_gradient_norms():
    ns = run_snippet("gradients/plot_gradient_norms.py").namespace
    ax = ns["fig"].axes[0]
    assert ax.get_yscale() == "log" and "log scale" in ax.get_ylabel() and ax.get_xlabel()
    lines = {line.get_label(): line for line in ax.get_lines()}
    L = ns["L"]
    for a in ns["scales"]:
        measured = lines[f"a = {a}"]
        np.testing.assert_allclose(measured.get_ydata(),
                                   float(a) ** (L - np.asarray(measured.get_xdata())),
                                   rtol=1e-12)
    assert len(ax.get_lines()) == 2 * len(ns["scales"]) + 1   # measured + theory each, key
    # each scale's theory line is a^(L-l) itself (a mutant once drew a*(L-l) unseen)
    theory = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata())]
    assert len(theory) == len(ns["scales"])
    for a, line in zip(ns["scales"], theory):
        l = np.asarray(line.get_xdata())
        np.testing.assert_allclose(line.get_ydata(), float(a) ** (L - l), rtol=1e-12)


@pytest.mark.parametrize("shift", SHIFTS)
def test_gradient_check_error_is_rounding_only(shift):
    ns = run_snippet("gradients/gradient_check.py", seed_shift=shift).namespace
    steps, errors, loss = ns["steps"], ns["max_error"], ns["loss_value"]
    # Central differences err by (h^2 / 6) f''' (truncation) plus about eps |L| / h (rounding
    # of the two loss values, divided by 2h). L is a quadratic in any single entry of X or a
    # W^[l] (y_hat is linear in it), so f''' = 0: the truncation term vanishes even at
    # h = 0.1, and every error sits under the rounding bound (factor 10 for the few
    # operations summed into L).
    for h, err in zip(steps, errors):
        assert err < 10 * EPS * loss / h, (h, err)
    assert errors[0] < 1e-13                # h = 0.1: no truncation error at all
    # Rounding grows as h shrinks: the error is largest at the smallest h.
    assert errors[-1] == max(errors) and errors[-1] > 100 * errors[0]
    assert ns["exact"].size == 3 * 5 + 4 * 3 + 4 * 4 + 2 * 4


def test_exercise_same_weight_gradient():
    ns = run_snippet("gradients/exercise_same_weight_gradient.py").namespace
    for d in ns["dW"]:
        np.testing.assert_allclose(d, ns["predicted"], rtol=1e-13, atol=0)
    assert ns["worst"] < 1e-13


@pytest.mark.parametrize("shift", SHIFTS)
def test_exercise_random_backward_has_the_forward_lyapunov_exponent(shift):
    ns = run_snippet("gradients/exercise_random_backward.py", seed_shift=shift).namespace
    n, L, seeds = ns["n"], ns["L"], ns["seeds"]
    lam = 0.5 * (-np.euler_gamma + 1 + math.log(2 / n))         # digamma(2) = 1 - gamma
    np.testing.assert_allclose(ns["lyapunov_4"], lam, rtol=1e-12)
    # W^T has the law of W, so ln(||dA[0]|| / ||dA[L]||) is a sum of L independent
    # (1/2) ln(chi^2_4 / 4) steps: mean L lambda, sd sqrt(L trigamma(2) / 4).
    sd = math.sqrt(L * (math.pi**2 / 6 - 1) / 4)
    assert abs(ns["log_ratio"].mean() - L * lam) < 4 * sd / math.sqrt(seeds)
    assert abs(ns["log_ratio"].std() - sd) < 4 * sd / math.sqrt(2 * seeds)
    # The typical ratio the page prints is exp(mean log-ratio), the quantity whose theory value
    # e^(L lambda) = 0.017 it quotes beside it: within the same 4 SE, as a ratio.
    np.testing.assert_allclose(np.log(ns["typical_ratio"]), ns["log_ratio"].mean(), rtol=1e-12)
    assert abs(np.log(ns["typical_ratio"] / ns["theory_ratio"])) < 4 * sd / math.sqrt(seeds)
    np.testing.assert_allclose(ns["theory_ratio"], math.exp(L * lam), rtol=1e-12)
    assert ns["typical_ratio"] < 0.05


@pytest.mark.parametrize("shift", SHIFTS)
def test_exercise_batch_sum(shift):
    ns = run_snippet("gradients/exercise_batch_sum.py", seed_shift=shift).namespace
    for b, s in zip(ns["dW_batch"], ns["dW_sum"]):
        np.testing.assert_allclose(b, s, rtol=1e-12, atol=1e-13)
    assert ns["gap"] < 1e-12
