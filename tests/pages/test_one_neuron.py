"""Tests for docs/one-neuron.md: Var(z) = n·Var(w)·Var(x) and what breaks it."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from snippet_runs import run_snippet

# Any seed: statistical claims are checked for the page's seed (0) and three others.
SHIFTS = [0, 1, 2, 3]


@pytest.mark.parametrize("shift", SHIFTS)
def test_dot_product_1000_std_is_sqrt_n(shift):
    ns = run_snippet("one_neuron/dot_product_1000.py", seed_shift=shift).namespace
    n, trials = ns["n"], ns["trials"]
    assert n == 1000
    # z is a sum of 1000 iid terms, so it is close to normal (excess kurtosis 6/n): the
    # standard error of a sample std over N draws is σ/√(2N); allow 5 of them.
    rtol = 5 / math.sqrt(2 * trials)
    np.testing.assert_allclose(ns["std_unit"], math.sqrt(1000), rtol=rtol)
    np.testing.assert_allclose(ns["std_scaled"], 1.0, rtol=rtol)
    out = run_snippet("one_neuron/dot_product_1000.py", seed_shift=shift).stdout
    assert f"{ns['std_unit']:6.2f}" in out and "31.62" in out


@pytest.mark.parametrize("shift", SHIFTS)
def test_plot_variance_vs_n_points_follow_theory(shift):
    ns = run_snippet("one_neuron/plot_variance_vs_n.py", seed_shift=shift).namespace
    n, trials = ns["ns"], ns["trials"]
    # z = Σ wᵢxᵢ with w, x iid N(0, 1): kurtosis of wx is 9, of z it is 3 + 6/n, so the
    # standard error of the sample variance is Var(z)·√((2 + 6/n)/N). Allow 5 of them.
    rse = np.sqrt((2 + 6 / n) / trials)
    assert np.all(np.abs(ns["var_unit"] / n - 1) < 5 * rse)
    assert np.all(np.abs(ns["var_scaled"] - 1) < 5 * rse)


def test_plot_variance_vs_n_figure_structure():
    ns = run_snippet("one_neuron/plot_variance_vs_n.py").namespace
    ax = ns["fig"].axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "log scale" in ax.get_xlabel() and "log scale" in ax.get_ylabel()
    lines = ax.get_lines()
    assert len(lines) == 4
    np.testing.assert_array_equal(lines[0].get_ydata(), ns["ns"])   # theory line n
    np.testing.assert_array_equal(lines[1].get_ydata(), ns["var_unit"])
    np.testing.assert_array_equal(lines[2].get_ydata(), 1.0)         # theory line 1
    np.testing.assert_array_equal(lines[3].get_ydata(), ns["var_scaled"])
    plt.close(ns["fig"])


@pytest.mark.parametrize("shift", SHIFTS)
def test_nonzero_mean_inputs_add_mean_squared(shift):
    ns = run_snippet("one_neuron/nonzero_mean.py", seed_shift=shift).namespace
    trials = ns["trials"]
    # Var(wx) = Var(w)(Var(x) + E[x]²) for zero-mean w independent of x, so n·(1/n)·(1 + μ²).
    # z sums n = 256 iid terms, so it is close to normal: the sample variance has a relative
    # standard error √(2/N) ≈ 2.2 % for N = 4000; allow 5 of them.
    rtol = 5 * math.sqrt(2 / trials)
    for mu, raw, norm in zip(ns["mus"], ns["var_raw"], ns["var_normalised"]):
        np.testing.assert_allclose(raw, 1 + mu**2, rtol=rtol)
        np.testing.assert_allclose(norm, 1.0, rtol=rtol)  # normalising removes the μ² term
    # The printed theory column is 1 + E[x]^2 (a planted wrong formula must fail here).
    out = run_snippet("one_neuron/nonzero_mean.py", seed_shift=shift).stdout.splitlines()[1:]
    assert [float(line.split()[2]) for line in out] == [1.0, 2.0, 10.0]
