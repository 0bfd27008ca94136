"""Tests for docs/gradient-descent.md: what badly scaled initial weights do to training.

The runs are deterministic (seeded data and weights, full-batch gradient descent), so the
thresholds below are claims about these runs, with the measured values in the comments.
"""

import numpy as np

from sitebuild.runner import run_snippet


def test_linear_regression_data():
    ns = run_snippet("gradient_descent/linear_regression_data.py").namespace
    np.testing.assert_allclose(ns["Y"], ns["A"] @ ns["X"], rtol=1e-12)
    assert ns["X"].shape == (ns["n"], ns["m"])


def test_train_deep_linear_three_behaviours():
    ns = run_snippet("gradient_descent/train_deep_linear.py").namespace
    loss, steps = ns["loss"], ns["steps"]
    assert all(len(curve) == steps + 1 for curve in loss.values())
    # Well scaled (a = 1): after 500 steps the loss is below 1e-3 of its start (measured 4.7e-4).
    well = loss["well scaled"]
    assert np.all(np.isfinite(well)) and well[-1] < 1e-3 * well[0]
    assert well[-1] < well[-50]                       # "and still falling"
    # Too small (a = 0.5): the loss barely moves, > 0.9 of its start after 500 steps
    # (measured 0.993) ...
    small = loss["too small"]
    assert small[-1] > 0.9 * small[0]
    # ... and the little it moves is the output bias learning the mean of Y: it ends within
    # 1e-3 of the way from the start to the best constant prediction, and never below it.
    gap = small[0] - ns["best_constant"]
    assert gap > 0 and 0 <= small[-1] - ns["best_constant"] < 1e-3 * gap
    # Too large (a = 1.5): finite at steps 0 and 1, non-finite from step 2 on, for good.
    big = loss["too large"]
    assert ns["first_nonfinite"] == 2
    assert np.all(np.isfinite(big[:2])) and not np.any(np.isfinite(big[2:]))
    assert big[1] > 1e100 * big[0]                    # step 1 already ~1e198
    # Orthogonal layers scaled by a: at step 0 the output is exactly a^L Q X, so the
    # initial loss of the too-large run is about a^(2L) = 1.5^40 = 1.1e7 times mean(X^2).
    assert 1e6 < big[0] < 1e8


def test_train_deep_relu_three_behaviours():
    ns = run_snippet("gradient_descent/train_deep_relu.py").namespace
    loss = ns["loss"]
    # He (multiplier 1): loss below 1e-2 of its start after 1000 steps (measured 7.3e-3).
    he = loss["He"]
    assert np.all(np.isfinite(he)) and he[-1] < 1e-2 * he[0]
    # 0.25 x He: above 0.99 of its start (measured 0.9993); it ends within 1e-5 of the best
    # constant prediction (measured 9e-7 below it): beyond the output bias, almost nothing
    # has been learned.
    small = loss["too small"]
    assert small[-1] > 0.99 * small[0]
    assert abs(small[-1] - ns["best_constant"]) < 1e-5
    # ReLU is positively homogeneous and b = 0 at step 0: output scale c^10 times He's, so
    # the 4 x He loss starts near 4^20 = 1.1e12 times the output's mean square.
    assert 1e10 < loss["too large"][0] < 1e13
    # 4 x He: non-finite from step 2 on.
    assert ns["first_nonfinite"] == 2 and not np.any(np.isfinite(loss["too large"][2:]))


def test_first_step_sizes_match_closed_form():
    ns = run_snippet("gradient_descent/first_step_sizes.py").namespace
    data = run_snippet("gradient_descent/linear_regression_data.py").namespace
    X, Y, n, L = data["X"], data["Y"], data["n"], data["L"]
    from nets.mlp import init_params
    for name, a in ns["scales"].items():
        # W^[l] = a Q^[l] with Q orthogonal: y_hat = a^L P X (P orthogonal), and
        # dW^[l] = U^T (2 R / (n m)) (V X)^T a^(L-1) with U, V orthogonal, so
        # ||dW^[l]||_F = a^(L-1) (2 / (n m)) ||R X^T||_F at every layer, R = y_hat - Y.
        Qs = [W / a for W, _ in init_params([n] * (L + 1), "orthogonal",
                                            np.random.default_rng(1), multiplier=a)]
        P = np.linalg.multi_dot(Qs[::-1])
        R = a**L * P @ X - Y
        want = a ** (L - 1) * 2 / Y.size * np.linalg.norm(R @ X.T)
        np.testing.assert_allclose(ns["relative_step"][name], ns["lr"] * want / (a * np.sqrt(n)),
                                   rtol=1e-9)
    # One step moves a too-small layer by < 1e-6 of its size, a too-large one by > 1e3 times.
    assert ns["step_small"] < 1e-6 < 1e-2 < ns["step_well"] < 0.1 < 1e3 < ns["step_large"]


def test_plot_loss_curves():
    ns = run_snippet("gradient_descent/plot_loss_curves.py").namespace
    fig = ns["fig"]
    lin = run_snippet("gradient_descent/train_deep_linear.py").namespace
    for ax in fig.axes:
        assert ax.get_yscale() == "log" and ax.get_xlabel()
    assert "log scale" in fig.axes[0].get_ylabel()
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_allclose(lines["a = 1.0"].get_ydata(), lin["loss"]["well scaled"])
    np.testing.assert_allclose(lines["best constant"].get_ydata(), lin["best_constant"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert sum("NaN from step 2" in t for t in texts) == 2
