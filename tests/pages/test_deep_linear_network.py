"""Tests for docs/deep-linear-network.md: shapes, and loop == matrix product."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from snippet_runs import run_snippet

# Any seed: statistical claims are checked for the page's seed (0) and three others.
SHIFTS = [0, 1, 2, 3]



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


@pytest.mark.parametrize("shift", SHIFTS)
def test_forward_pass_loop_matches_product_and_exact_value(shift):
    ns = run_snippet("deep_linear_network/forward_pass.py", seed_shift=shift).namespace
    W, X, L, n = ns["W"], ns["X"], ns["L"], ns["layer_sizes"]
    exact, magnitude = X.tolist(), np.abs(X).tolist()
    for l in range(1, L + 1):
        exact = _exact_matmul(W[l].tolist(), exact)
        magnitude = _exact_matmul(np.abs(W[l]).tolist(), magnitude)  # |W^[L]|...|W^[1]||X|
    # Rounding bound, rigorous and in exact arithmetic: a float64 product A @ B with inner
    # size k is off by at most gamma_k |A||B| entrywise, gamma_k = k u / (1 - k u), and
    # |fl(A B)| <= (1 + gamma_k) |A||B|. By induction over the multiplications, any
    # bracketing of L products is off by at most ((1 + gamma_k)^L - 1) |W^[L]|...|W^[1]||X|,
    # k the largest inner size. (To first order that is L gamma_k; the page says so.)
    u = Fraction(1, 2**53)
    k = max(n[:-1])                                  # inner sizes are n^[0] .. n^[L-1]
    gamma = k * u / (1 - k * u)
    factor = (1 + gamma) ** L - 1
    assert L * gamma < factor < L * gamma * (1 + L * gamma)  # first order, and how close
    for computed in (ns["y_hat_loop"], ns["y_hat_product"]):
        for i, row in enumerate(computed.tolist()):
            for j, value in enumerate(row):
                assert abs(Fraction(value) - exact[i][j]) <= factor * magnitude[i][j], (i, j)
    # Both are within the bound of the exact value, so within twice it of each other.
    for i, (row_loop, row_product) in enumerate(zip(ns["y_hat_loop"].tolist(),
                                                    ns["y_hat_product"].tolist())):
        for j, (a, b) in enumerate(zip(row_loop, row_product)):
            assert abs(Fraction(a) - Fraction(b)) <= 2 * factor * magnitude[i][j], (i, j)
    assert Fraction(ns["max_difference"]) <= 2 * factor * max(max(r) for r in magnitude)


def test_page_states_the_rigorous_bound_and_calls_L_gamma_first_order():
    # The page's rounding paragraph: (1 + gamma_k)^L - 1 is the bound, L gamma_k only its
    # first-order approximation.
    page = (Path(__file__).parents[2] / "docs" / "deep-linear-network.md").read_text()
    assert r"(1 + \gamma_k)^L - 1\big)" in page
    assert r"To first order $(1 + \gamma_k)^L - 1 \approx L \gamma_k$" in page
    assert "the test allows $L \\gamma_k" not in page


def test_forward_pass_prints_each_layer_shape():
    result = run_snippet("deep_linear_network/forward_pass.py")
    n, m = result.namespace["layer_sizes"], result.namespace["m"]
    for l in range(1, len(n)):
        assert f"layer {l}: W{l} ({n[l]}, {n[l - 1]}) -> a{l} ({n[l]}, {m})" in result.stdout
