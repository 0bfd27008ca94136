"""Tests for docs/index.md: the summary figure's data is a^l."""

import matplotlib.pyplot as plt
import numpy as np

from sitebuild.runner import run_snippet

U = 2.0**-53  # unit roundoff of float64


def test_plot_activation_size_follows_a_to_the_l():
    ns = run_snippet("home/plot_activation_size.py").namespace
    fig = ns["fig"]
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert "log scale" in ax.get_ylabel() and "layer" in ax.get_xlabel()
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == [f"a = {a}" for a in ns["scales"]]
    for a, ln in zip(ns["scales"], lines):
        layer, size = ln.get_data()
        np.testing.assert_array_equal(layer, np.arange(ns["depth"] + 1))
        # RMS of [a^l, a^l] is a^l. Up to 50 rounded multiplications plus a square, a mean
        # and a square root each add at most u relative error: 60 u covers it.
        np.testing.assert_allclose(size, float(a) ** layer, rtol=60 * U)
    plt.close(fig)


def test_plot_activation_size_ordering():
    ns = run_snippet("home/plot_activation_size.py").namespace
    final = [ln.get_ydata()[-1] for ln in ns["fig"].axes[0].get_lines()]
    assert final == sorted(final)           # larger a, larger activation at every depth
    assert final[2] == 1.0                  # a = 1: the identity keeps size exactly 1
    # the page says: after 50 layers 1.1 is over 100 times larger, 0.9 over 100 times smaller
    assert final[3] > 100 and final[1] < 1 / 100  # 1.1^50 ~ 117, 0.9^50 ~ 0.005
    plt.close(ns["fig"])
