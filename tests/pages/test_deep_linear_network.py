"""Tests for docs/deep-linear-network.md: shapes, and loop == matrix product."""

from fractions import Fraction

import numpy as np

from sitebuild.runner import run_snippet

U = 2.0**-53  # unit roundoff of float64


def _exact_matmul(A, B):
    """A @ B in exact rational arithmetic (every float is a rational number)."""
    return [[sum((Fraction(A[i][k]) * Fraction(B[k][j]) for k in range(len(B))), Fraction(0))
             for j in range(len(B[0]))] for i in range(len(A))]


def test_forward_pass_shapes():
    ns = run_snippet("deep_linear_network/forward_pass.py").namespace
    n, L, m = ns["layer_sizes"], ns["L"], ns["m"]
    assert ns["X"].shape == (n[0], m)
    for l in range(1, L + 1):
        assert ns["W"][l].shape == (n[l], n[l - 1])  # W^[l] is n^[l] x n^[l-1]
    assert ns["W_product"].shape == (n[L], n[0])
    assert ns["y_hat_loop"].shape == ns["y_hat_product"].shape == (n[L], m)


def test_forward_pass_first_layer_is_linear():
    ns = run_snippet("deep_linear_network/forward_pass.py").namespace
    np.testing.assert_array_equal(ns["z1"], ns["W"][1] @ ns["X"])
    assert ns["a1"] is ns["z1"]  # g(z) = z: the activation is z itself, not a copy


def test_forward_pass_loop_matches_product_and_exact_value():
    ns = run_snippet("deep_linear_network/forward_pass.py").namespace
    W, X, L, n = ns["W"], ns["X"], ns["L"], ns["layer_sizes"]
    exact = X.tolist()
    for l in range(1, L + 1):
        exact = _exact_matmul(W[l].tolist(), exact)
    exact = np.array([[float(v) for v in row] for row in exact])
    # Rounding bound: a float64 product A @ B with inner size k is off by at most
    # gamma_k |A||B| elementwise, gamma_k = k u / (1 - k u). Chaining L products adds these
    # errors (first order), so |computed - exact| <= L gamma_kmax |W^[L]|...|W^[1]||X|.
    k = max(n)
    gamma = k * U / (1 - k * U)
    magnitude = np.abs(X)
    for l in range(1, L + 1):
        magnitude = np.abs(W[l]) @ magnitude
    bound = 1.01 * L * gamma * magnitude  # 1 % slack for the dropped second-order terms
    for computed in (ns["y_hat_loop"], ns["y_hat_product"]):
        assert np.all(np.abs(computed - exact) <= bound)
    # Both are within `bound` of the exact value, so within 2 * bound of each other.
    np.testing.assert_allclose(ns["y_hat_loop"], ns["y_hat_product"], rtol=0,
                               atol=2 * bound.max())
    assert ns["max_difference"] <= 2 * bound.max()


def test_forward_pass_prints_each_layer_shape():
    result = run_snippet("deep_linear_network/forward_pass.py")
    n, m = result.namespace["layer_sizes"], result.namespace["m"]
    for l in range(1, len(n)):
        assert f"layer {l}: W{l} ({n[l]}, {n[l - 1]}) -> a{l} ({n[l]}, {m})" in result.stdout
