"""Tests for docs/symmetry.md: tied units stay tied, zeros move only the output bias, what breaks it.

Kinds of expectation used, none taken from the snippet under test:
- PyTorch's autograd on the same networks (the gradients of a constant start and of an all-zero
  start, which parameters change at which step);
- a second implementation in plain Python floats, where every row is computed by the same
  operations, for the claim that ties hold bit for bit when the arithmetic is the same;
- closed forms: db[L] = 1/2 - p at an all-zero start, b[L] -> log(p / (1 - p)), rank 1,
  a width-1 network with the summed outgoing weights, the pigeonhole count of shared rows;
- the Hessian of the loss (torch.autograd.functional.hessian) along the tied network's path, for
  the growth factor of a gap between units;
- scipy's minimiser for logistic regression's optimum; a Monte Carlo mean over dropout masks.

Random claims run under the page's seed and other seed streams (run_snippet(..., seed_shift=k)).
"""

import math
from itertools import combinations

import numpy as np
import pytest
import torch
from scipy import optimize, special
from snippet_runs import run_snippet

from labs.circles import make_circles
from nets.mlp import backward, forward, init_params, loss_and_grad, train

SHIFTS = (0, 1, 2, 3)
LN2 = math.log(2)


def ns(name, shift=0):
    return run_snippet(f"symmetry/{name}.py", seed_shift=shift).namespace


def torch_net(params, hidden):
    """The same network in PyTorch: nn.Linear layers holding copies of params (float64)."""
    layers = []
    for W, b in params:
        layer = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(W))
            layer.bias.copy_(torch.tensor(b.ravel()))
        layers.append(layer)
    act = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[hidden]

    def logits(X):
        A = torch.tensor(X.T)  # PyTorch: one example per row
        for layer in layers[:-1]:
            A = act(layer(A))
        return layers[-1](A)

    return layers, logits


def torch_grads(params, X, Y, hidden):
    """dJ/dW, dJ/db of the mean binary cross-entropy (sigmoid output), by autograd."""
    layers, logits = torch_net(params, hidden)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits(X), torch.tensor(Y.T))
    loss.backward()
    return [(layer.weight.grad.numpy(), layer.bias.grad.numpy()[:, None]) for layer in layers]


def torch_first_changes(params, X, Y, hidden, lr, steps):
    """Plain SGD in PyTorch: {"W[l]" or "b[l]": first step at which it changed}."""
    layers, logits = torch_net(params, hidden)
    opt = torch.optim.SGD([p for layer in layers for p in layer.parameters()], lr=lr)
    first = {}
    for step in range(1, steps + 1):
        before = [(layer.weight.detach().clone(), layer.bias.detach().clone()) for layer in layers]
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(logits(X), torch.tensor(Y.T)).backward()
        opt.step()
        for l, (layer, (W0, b0)) in enumerate(zip(layers, before), start=1):
            for name, P, P0 in (("W", layer.weight, W0), ("b", layer.bias, b0)):
                if not torch.equal(P.detach(), P0):
                    first.setdefault(f"{name}[{l}]", step)
    return first


def gap(M):
    """Largest difference between two rows: max over i, j, k of |M[i, k] - M[j, k]|."""
    return np.ptp(M, axis=0).max()


# ---------------------------------------------------------------- one step: the proof's pattern


def test_one_step_gradients_are_autograds_and_tied():
    ns_ = ns("one_step")
    expected = torch_grads(ns_["params"], ns_["X"], ns_["Y"], "tanh")
    for (dW, db, _), (tW, tb) in zip(ns_["grads"], expected):
        np.testing.assert_allclose(dW, tW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(db, tb, rtol=1e-12, atol=1e-15)
    (dW1, db1), (dW2, db2), (dW3, _) = expected
    # what the page reads off the output, checked on PyTorch's numbers: 3 equal rows of dW[1],
    # 6 equal entries of dW[2], 2 equal entries of dW[3], equal biases of each hidden layer
    for M in (dW1, db1, dW2.ravel()[:, None], db2, dW3.ravel()[:, None]):
        np.testing.assert_allclose(M, np.broadcast_to(M[:1], M.shape), rtol=1e-13)
    assert np.abs(dW1).min() > 1e-3 and np.abs(dW2).min() > 1e-4  # tied, not zero


# ---------------------------------------------------------------- training from three starts


@pytest.mark.parametrize("shift", SHIFTS)
def test_three_inits_zeros_never_move(shift):
    ns_ = ns("train_three_inits", shift)
    Y, params = ns_["Y"], ns_["params"]
    assert Y.mean() == 0.5  # make_circles: 150 points per circle, so p = 1/2 and db[L] = 1/2 - p = 0
    for l, (W, b) in enumerate(params, start=1):
        assert np.all(W[0] == 0)  # exactly: every hidden activation is tanh(0) = 0
        if l < len(params):
            assert np.all(b[0] == 0)
    # db[3] = mean(1/2 - y) = 0 up to the rounding of a sum of 300 terms of size 1/600
    # (< 300 * 2^-53 / 600 ~ 1e-16 per step), so 1500 steps at lr 0.12 move b[3] by 2e-14 at most.
    # The page says "about 1e-16" (measured: at most 2e-16 over these seeds); allow 1e-15.
    assert abs(params[2][1][0].item()) < 1e-15
    np.testing.assert_allclose(ns_["loss"][:, 0], LN2, atol=1e-13)


@pytest.mark.parametrize("shift", SHIFTS)
def test_three_inits_constant_rows_stay_equal_rank_one(shift):
    ns_ = ns("train_three_inits", shift)
    params, spread = ns_["params"], ns_["spread"]
    W1, W2, W3 = (W[1] for W, _ in params)
    # Exact arithmetic gives 0. A BLAS product may round two equal rows differently, by at most
    # gamma_m * sum|terms| ~ 300 * 1.1e-16 ~ 3e-14 relative per product; summed over 1500 steps
    # without amplification that stays below 1e-10 of the weights. 1e-9 leaves room for the slow
    # growth a saddle could add (measured: none here), and is nine decades below the random
    # start's row spread.
    assert spread[:, 1].max() <= 1e-9 * np.abs(W1).max()
    assert np.abs(W1 - 0.5).max() > 1e-2  # the weights did move, in lockstep
    for W in (W1, W2):
        s = np.linalg.svd(W, compute_uv=False)
        assert s[0] > 0 and s[1] <= 1e-9 * s[0]  # rank 1
    assert ns_["rank"][1].tolist() == [1, 1]
    # layers 2 and 3 see tied inputs as well: all their entries are equal (rows and columns)
    for W in (W2, W3):
        assert np.ptp(W) <= 1e-9 * np.abs(W).max()


@pytest.mark.parametrize("shift", SHIFTS)
def test_three_inits_constant_net_is_a_width_one_chain(shift):
    ns_ = ns("train_three_inits", shift)
    X, params = ns_["X"], ns_["params"]
    (W1, b1), (W2, b2), (W3, b3) = ((W[1], b[1]) for W, b in params)
    # one unit per layer: the shared row of W1 and bias; the sum of a row of W[l] as its weight
    narrow = [(W1[:1], b1[:1]), (W2[:1].sum(keepdims=True), b2[:1]), (W3.sum(keepdims=True), b3)]
    wide_out = forward([(W[1], b[1]) for W, b in params], X, "tanh", "sigmoid")[0]
    narrow_out = forward(narrow, X, "tanh", "sigmoid")[0]
    np.testing.assert_allclose(wide_out, narrow_out, rtol=0, atol=1e-12)
    # a monotone function of one projection u = w.x: sorted by u, the predicted class changes at
    # most once, so the decision boundary is a straight line
    u = (W1[0] @ X).ravel()
    labels = (wide_out.ravel() > 0.5)[np.argsort(u)]
    assert np.count_nonzero(labels[1:] != labels[:-1]) <= 1


@pytest.mark.parametrize("shift", SHIFTS)
def test_three_inits_random_start_learns_and_spreads(shift):
    ns_ = ns("train_three_inits", shift)
    assert ns_["rank"][2].tolist() == [2, 5]  # full rank of a 10x2 and a 5x10 matrix
    # At the start the LeCun rows (std 1/sqrt(2) per entry) have a spread equal to the range of
    # 10 normals in each column; P(range < 0.5) <= 10 (0.5 / sqrt(2 pi) / 0.707)^9 < 1e-6.
    assert ns_["spread"][0, 2] > 0.5 and ns_["spread"][-1, 2] > 0.5
    # the claim: the random start learns, the tied ones stay at the plateau ln 2
    assert ns_["loss_end_random"] < 0.3
    assert abs(ns_["loss_end_constant"] - LN2) < 1e-3 and ns_["loss_start_constant"] > 1.0


@pytest.mark.parametrize("seed", (0, 3))
def test_three_inits_constant_net_does_not_amplify_a_nudge(seed):
    """The page: in the deeper network (2, 10, 5, 1, every weight 0.5, the snippet's learning rate
    and step count) a gap of 1e-15 put into one weight of W1 has not grown after all the steps.
    Measured: the gap ends at 1.0-1.06 times the nudge for data seeds 0-3. Growth at even 1e-3
    per step would multiply it by e^1.5 = 4.5 over 1500 steps, so "below 3 times the nudge" separates
    "does not grow" from slow exponential growth, with room for a few roundings of the weights."""
    page = ns("train_three_inits")
    steps, lr, c, nudge = page["STEPS"], page["LR"], page["C"], 1e-15
    X, Y = make_circles(300, noise=0.05, rng=np.random.default_rng(seed))
    params = init_params([2, 10, 5, 1], "zeros", np.random.default_rng(0))
    for W, _ in params:
        W[...] = c
    params[0][0][0, 0] += nudge
    train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=lr, steps=steps)
    assert 0 < gap(params[0][0]) < 3 * nudge


def test_three_inits_figure_text_matches_page_seed():
    ns_ = ns("train_three_inits")
    loss, spread = ns_["loss"], ns_["spread"]
    # alt text: random falls from about 0.7 to about 0.15; constant from about 1.2 to 0.69;
    # random spread from about 2.5 to about 4.5; 1500 steps
    assert ns_["STEPS"] == 1500
    assert abs(loss[0, 2] - 0.7) < 0.02 and abs(loss[-1, 2] - 0.15) < 0.005
    assert abs(loss[0, 1] - 1.2) < 0.02 and abs(loss[-1, 1] - 0.69) < 0.005
    assert abs(spread[0, 2] - 2.5) < 0.1 and abs(spread[-1, 2] - 4.5) < 0.1
    assert abs(loss[50:, 1] - LN2).max() < 1e-3  # "within the first few dozen steps"


# ---------------------------------------------------------------- bit for bit, in plain Python


def plain_python_training(X, Y, widths, c, lr, steps):
    """Full-batch gradient descent on a tanh/sigmoid network, all in Python floats.

    Every entry of every row is computed by the same sequence of operations, so two rows that
    hold equal numbers get equal results, bit for bit. Returns the weights after every step."""
    m = X.shape[1]
    xs = [list(map(float, X[:, e])) for e in range(m)]
    ys = [float(v) for v in Y.ravel()]
    Ws = [[[c] * n_in for _ in range(n_out)] for n_in, n_out in zip(widths[:-1], widths[1:])]
    bs = [[0.0] * n_out for n_out in widths[1:]]
    history = []
    for _ in range(steps):
        gW = [[[0.0] * len(row) for row in W] for W in Ws]
        gb = [[0.0] * len(b) for b in bs]
        for x, y in zip(xs, ys):
            acts = [x]
            for l, (W, b) in enumerate(zip(Ws, bs)):
                z = [sum(w * a for w, a in zip(row, acts[-1])) + bi for row, bi in zip(W, b)]
                last = l == len(Ws) - 1
                acts.append([0.5 * (1 + math.tanh(v / 2)) if last else math.tanh(v) for v in z])
            dz = [(acts[-1][0] - y) / m]  # sigmoid + cross-entropy, mean over examples
            for l in range(len(Ws) - 1, -1, -1):
                for i, d in enumerate(dz):
                    gb[l][i] += d
                    for k, a in enumerate(acts[l]):
                        gW[l][i][k] += d * a
                if l:
                    da = [sum(Ws[l][i][k] * dz[i] for i in range(len(dz))) for k in range(len(acts[l]))]
                    dz = [d * (1 - a * a) for d, a in zip(da, acts[l])]
        for W, b, dW, db in zip(Ws, bs, gW, gb):
            for i in range(len(W)):
                b[i] -= lr * db[i]
                for k in range(len(W[i])):
                    W[i][k] -= lr * dW[i][k]
        history.append([[row[:] for row in W] for W in Ws])
    return history


@pytest.mark.parametrize("seed", range(3))
def test_rows_stay_bitwise_equal_when_every_row_is_computed_alike(seed):
    X, Y = make_circles(24, noise=0.05, rng=np.random.default_rng(seed))
    widths, c, lr, steps = [2, 3, 3, 1], 0.5, 0.5, 150
    history = plain_python_training(X, Y, widths, c, lr, steps)
    for Ws in history:
        for l, W in enumerate(Ws):
            assert all(row == W[0] for row in W)  # rows bitwise equal (float ==)
            if l:
                assert all(v == W[0][0] for row in W for v in row)  # columns too: all equal
    # and it is the network nets.mlp trains (to rounding): the same numbers, computed differently
    params = init_params(widths, "zeros", np.random.default_rng(0))
    for W, _ in params:
        W[...] = c
    train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=lr, steps=steps)
    for (W, _), Wp in zip(params, history[-1]):
        np.testing.assert_allclose(W, np.array(Wp), rtol=1e-10, atol=1e-13)


# ---------------------------------------------------------------- all zeros


@pytest.mark.parametrize("shift", SHIFTS)
def test_zero_init_gradient_pattern_and_limit(shift):
    ns_ = ns("zero_init_gradients", shift)
    X, Y, p = ns_["X"], ns_["Y"], ns_["p"]
    params0 = init_params([2, 4, 3, 1], "zeros", np.random.default_rng(0))
    expected = torch_grads(params0, X, Y, "tanh")
    for l, ((dW, db, _), (tW, tb)) in enumerate(zip(ns_["grads"], expected), start=1):
        # derived on the page: A[l] = 0 below the output, so dW[L] = dZ[L] A[L-1]^T = 0, and
        # W[L] = 0 makes dA[L-1] = 0, so every gradient below is 0; db[L] = mean(1/2 - y) = 1/2 - p
        assert np.all(tW == 0) and np.all(dW == 0)
        want_db = 0.5 - p if l == 3 else 0.0
        np.testing.assert_allclose(tb, want_db, rtol=1e-12, atol=0 if l < 3 else 1e-15)
        np.testing.assert_allclose(db, tb, rtol=1e-12, atol=0)
    assert 0 < p < 1 and p != 0.5
    assert ns_["moved"] == "b[3]"
    # gradient descent on b alone: b <- b - (sigmoid(b) - p), a contraction with factor
    # 1 - sigmoid'(b) <= 1 - min(p(1-p), 1/4) per step; after 500 steps at lr 1 and p in (0.05, 0.95)
    # the error is below 0.96^500 |logit p| < 1e-8
    np.testing.assert_allclose(ns_["b_out"], special.logit(p), rtol=0, atol=1e-8)
    np.testing.assert_allclose(ns_["y_hat"], p, rtol=0, atol=1e-8)
    assert np.ptp(ns_["y_hat"]) == 0  # one output for every input: the input is ignored


def test_sigmoid_hidden_units_move_from_the_top_unless_balanced():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((2, 40))
    params = init_params([2, 4, 3, 1], "zeros", rng)
    Y = np.zeros((1, 40))
    Y[0, :12] = 1  # p = 0.3
    first = torch_first_changes(params, X, Y, "sigmoid", lr=1.0, steps=4)
    # sigmoid(0) = 1/2: dW[3] = dZ[3] A[2]^T = (1/2)(1/2 - p) != 0 at step 1; dA[l-1] = W[l]^T dZ[l]
    # is zero until W[l] has moved, so layer l starts one step after layer l + 1
    assert first == {"W[3]": 1, "b[3]": 1, "W[2]": 2, "b[2]": 2, "W[1]": 3, "b[1]": 3}
    trained = init_params([2, 4, 3, 1], "zeros", rng)
    train(trained, X, Y, hidden="sigmoid", output="sigmoid", loss="bce", lr=1.0, steps=50)
    for W, _ in trained[:2]:
        assert np.abs(W).max() > 1e-6 and gap(W) <= 1e-12 * np.abs(W).max()  # moved, still tied
    Y[0, :20] = 1  # p = 1/2 exactly: the first gradient is 0 (to rounding), nothing moves
    grads = torch_grads(params, X, Y, "sigmoid")
    assert max(np.abs(g).max() for pair in grads for g in pair) < 1e-16


def test_logistic_regression_from_zero_reaches_the_optimum():
    rng = np.random.default_rng(12)
    X = rng.standard_normal((2, 200))
    Y = (rng.random((1, 200)) < special.expit(1.5 * X[0] - X[1] + 0.3)).astype(float)

    def loss(theta):  # mean cross-entropy of sigmoid(w.x + b), convex in (w, b)
        z = theta[:2] @ X + theta[2]
        return np.mean(np.logaddexp(0, z) - Y.ravel() * z)

    best = optimize.minimize(loss, np.zeros(3), method="BFGS", options={"gtol": 1e-12}).fun
    finals = []
    for init in ("zeros", "lecun"):
        params = init_params([2, 1], init, rng)
        if init == "zeros":
            _, caches = forward(params, X, "linear", "sigmoid")
            dW = backward(params, caches, loss_and_grad(caches, Y, "bce")[1])[0][0]
            assert np.abs(dW).min() > 1e-3  # dW = dZ X^T is not zero at the zero start
        finals.append(train(params, X, Y, hidden="linear", output="sigmoid", loss="bce", lr=2.0, steps=3000)[-1])
    # both starts reach the unique minimum of a strictly convex loss (to the optimiser's precision)
    np.testing.assert_allclose(finals, best, rtol=0, atol=1e-9)


# ---------------------------------------------------------------- rounding and the saddle


def plateau_hessian_eigs(X, Y, lr, steps_at):
    """Eigen-decompositions of the loss Hessian (PyTorch autograd) at the tied [2, 10, 1] network
    (every weight 0.5, trained by nets.mlp with lr) after each step count in steps_at. The units
    are re-tied after every step (rows set to row 0), so the path is the exactly tied one."""
    n = 10
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(theta):
        W1, b1 = theta[: 2 * n].reshape(n, 2), theta[2 * n : 3 * n].reshape(n, 1)
        W2, b2 = theta[3 * n : 4 * n].reshape(1, n), theta[4 * n :].reshape(1, 1)
        Z = W2 @ torch.tanh(W1 @ Xt + b1) + b2
        return torch.mean(torch.nn.functional.softplus(Z) - Yt * Z)

    params = init_params([2, n, 1], "zeros", np.random.default_rng(0))
    for W, _ in params:
        W[...] = 0.5
    out = {}
    for step in range(max(steps_at) + 1):
        if step in steps_at:
            theta = torch.tensor(np.concatenate([P.ravel() for layer in params for P in layer]))
            hessian = torch.autograd.functional.hessian(loss, theta).numpy()
            gradient = torch.autograd.functional.jacobian(loss, theta).numpy()
            out[step] = (*np.linalg.eigh(hessian), np.linalg.norm(gradient))
        train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=lr, steps=1)
        (W1, b1), (W2, _) = params
        W1[...], b1[...], W2[...] = W1[0], b1[0], W2[0, 0]
    return out


@pytest.mark.parametrize("shift", (0, 1))
def test_rounding_gap_grows_by_one_minus_lr_lambda(shift):
    ns_ = ns("rounding_growth", shift)
    lr, n = ns_["LR"], 10
    steps_at = list(range(1000, 2001, 100))
    eigs = plateau_hessian_eigs(ns_["X"], ns_["Y"], lr, steps_at)
    log_factor = []
    for step in steps_at:
        values, vectors, gradient_norm = eigs[step]
        lam = values[0]
        assert gradient_norm < 1e-3  # "almost zero" (0.53 at the start, on the page's seed)
        assert lam < 0  # a saddle: the loss curves down
        # repeated n - 1 = 9 times, and clearly apart from the next eigenvalue
        np.testing.assert_allclose(values[:9], lam, rtol=1e-6)
        assert values[9] > lam / 2
        for v in vectors[:, :9].T:  # each eigenvector moves the units apart: per-unit pattern sums to 0
            per_unit = np.column_stack([v[: 2 * n].reshape(n, 2), v[2 * n : 3 * n], v[3 * n : 4 * n]])
            assert np.abs(per_unit.sum(axis=0)).max() < 1e-8 and abs(v[4 * n]) < 1e-8
        log_factor.append(np.log(1 - lr * lam))
    # the measured factor is the geometric mean over steps 1000-2000 of 1 - lr lambda(t) (lambda
    # sampled every 100 steps, trapezoid rule). Allowed: 1 % of the growth rate log(factor) ~ 0.01,
    # for the sampling of lambda(t) and the slow turning of the eigenvector (both measured far
    # below that: the trapezoid with every 200 steps differs by < 1e-6).
    predicted = np.trapezoid(log_factor, dx=100) / 1000
    coarse = np.trapezoid(log_factor[::2], dx=200) / 1000
    assert abs(predicted - coarse) < 1e-5
    assert abs(np.log(ns_["growth_per_step"]) - predicted) < 0.01 * predicted


@pytest.mark.parametrize("shift", SHIFTS)
def test_rounding_gap_is_exponential_and_ends_the_plateau(shift):
    ns_ = ns("rounding_growth", shift)
    spread, loss, apart = ns_["spread"], ns_["loss"], ns_["step_apart"]
    # nearly the same factor every 500 steps between steps 1000 and 2500 (within 20 %, i.e.
    # 4e-4 in the per-step factor: lambda drifts slowly along the path)
    ratios = [spread[t + 500, 1] / spread[t, 1] for t in (1000, 1500, 2000)]
    assert max(ratios) / min(ratios) < 1.2
    assert spread[apart, 1] > 0.01 >= spread[apart - 1, 1]
    assert abs(loss[apart, 1] - LN2) < 1e-3  # still on the plateau when the units come apart ...
    assert loss[min(apart + 500, len(loss) - 1), 1] < LN2 - 0.005  # ... and off it soon after
    outcome = ns_["rounding_outcome"]
    assert outcome == ("rounding alone broke the tie" if spread[-1, 0] > 0.01 else "its units were still tied")


def test_rounding_figure_text_matches_page_seed():
    ns_ = ns("rounding_growth")
    spread, loss = ns_["spread"], ns_["loss"]
    assert ns_["STEPS"] == 4200 and ns_["NUDGE"] == 1e-15
    # alt: from about 1e-14 at step 500 to 1 shortly before step 3600, then a few units; loss 1.12,
    # plateau until about 3500, then both fall, the nudged copy to about 0.64 at the end
    assert 3e-15 < spread[500, 1] < 3e-14 and 3500 < np.argmax(spread[:, 1] > 1) < 3600
    assert 1 < spread[-1, 1] < 10
    assert abs(loss[0, 1] - 1.12) < 0.005 and abs(loss[3400, 1] - LN2) < 1e-3 and abs(loss[-1, 1] - 0.64) < 0.01
    assert np.all(loss[-1] < LN2 - 0.02)


# ---------------------------------------------------------------- what breaks it


@pytest.mark.parametrize("shift", SHIFTS)
def test_what_breaks_it(shift):
    closest = ns("what_breaks_it", shift)["closest"]
    # all constant: tied exactly (to rounding, see the three-inits test); every other start:
    # no two rows within 1e-4, far above rounding
    assert closest[0] <= 1e-9
    assert np.all(closest[1:] > 1e-4)


@pytest.mark.parametrize("seed", range(4))
def test_orthogonal_and_random_rows_are_distinct_and_zero_biases_come_apart(seed):
    rng = np.random.default_rng(seed)
    for n_out, n_in in ((10, 2), (5, 10)):
        ((W, _),) = init_params([n_in, n_out], "orthogonal", rng)
        if n_out <= n_in:
            np.testing.assert_allclose(W @ W.T, np.eye(n_out), atol=1e-12)  # orthonormal rows
        else:
            np.testing.assert_allclose(W.T @ W, np.eye(n_in), atol=1e-12)  # orthonormal columns
        assert min(np.abs(W[i] - W[j]).max() for i, j in combinations(range(n_out), 2)) > 1e-6
    # random W, b = 0: after one step the biases of layer 1 all differ
    X, Y = make_circles(300, noise=0.05, rng=rng)
    params = init_params([2, 10, 5, 1], "lecun", rng)
    train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=0.1, steps=1)
    b1 = params[0][1].ravel()
    assert min(abs(b1[i] - b1[j]) for i, j in combinations(range(10), 2)) > 1e-12


@pytest.mark.parametrize("shift", SHIFTS)
def test_dropout_unties_only_the_masked_layer(shift):
    ns_ = ns("dropout_one_layer", shift)
    assert ns_["spread_W1"] > 1e-3
    # layer 2's units are tied by (R), (B), (C) whatever layer 1 outputs: equal to rounding,
    # bounded as in the three-inits test
    assert ns_["spread_W2"] <= 1e-9 * np.abs(ns_["W2"]).max()
    assert np.ptp(ns_["W3"]) <= 1e-9 * np.abs(ns_["W3"]).max()


@pytest.mark.parametrize("seed", range(2))
def test_dropout_mean_gradient_is_tied(seed):
    """Averaged over masks every unit of the masked layer gets the same gradient (its masks are
    exchangeable); one mask gives different gradients."""
    rng = np.random.default_rng(seed)
    X, Y = make_circles(300, noise=0.05, rng=rng)
    n, keep, K, m = 6, 0.8, 3000, 300
    W1, W2, W3 = np.full((n, 2), 0.5), np.full((n, n), 0.5), np.full((1, n), 0.5)
    M = (rng.random((K, n, m)) < keep) / keep
    H1 = np.tanh(W1 @ X)
    A2 = np.tanh(W2 @ (H1 * M))
    dZ3 = (special.expit(W3 @ A2) - Y) / m
    dZ1 = (W2.T @ ((W3.T @ dZ3) * (1 - A2**2))) * M * (1 - H1**2)
    dW1 = dZ1 @ X.T  # (K, n, 2), one gradient per mask
    assert gap(dW1[0]) > 1e-3 * np.abs(dW1[0]).max()
    for i, j in combinations(range(n), 2):
        d = dW1[:, i] - dW1[:, j]  # K independent draws of the difference, mean 0 in theory
        z = d.mean(axis=0) / (d.std(axis=0, ddof=1) / np.sqrt(K))
        assert np.all(np.abs(z) < 5)  # 5 standard errors: 30 checks, false alarm ~ 30 * 6e-7


# ---------------------------------------------------------------- exercises


@pytest.mark.parametrize("shift", SHIFTS)
def test_exercise_relu_zeros(shift):
    ns_ = ns("exercise_relu_zeros", shift)
    X, Y, first = ns_["X"], ns_["Y"], ns_["first_change"]
    p = Y.mean()
    assert p != 0.5
    assert first[0.0] == {"b[3]": 1}
    # derived: with biases 0.1, A[l] = 0.1 everywhere, dW[3] != 0 at step 1; dA[l-1] = W[l]^T dZ[l]
    # is zero until W[l] has moved: layer 2 at step 2, layer 1 at step 3
    expected = {"W[3]": 1, "b[3]": 1, "W[2]": 2, "b[2]": 2, "W[1]": 3, "b[1]": 3}
    assert first[0.1] == expected
    for b_start, want in ((0.0, {"b[3]": 1}), (0.1, expected)):  # the same in PyTorch's SGD
        params = init_params([2, 10, 5, 1], "zeros", np.random.default_rng(0))
        for _, b in params:
            b[...] = b_start
        assert torch_first_changes(params, X, Y, "relu", lr=0.5, steps=4) == want
    for W, _ in ns_["nets"][0.1][:2]:  # tied throughout
        assert gap(W) <= 1e-12 * np.abs(W).max()
    # output -> p: contraction factor <= 1 - 0.5 min(p(1-p), 1/4) per step, 300 steps: < 1e-6
    np.testing.assert_allclose(ns_["y_hat_zero"], p, rtol=0, atol=1e-6)


@pytest.mark.parametrize("shift", SHIFTS)
def test_exercise_width_one(shift):
    ns_ = ns("exercise_width_one", shift)
    assert ns_["rank_W1"] == 1
    sv = ns_["sv"]
    assert sv[1] <= 1e-9 * sv[0]
    # four tied units add the same number four times: one unit with the summed outgoing weight.
    # Written out here (not with nets.mlp): σ((Σ_i W2_i) tanh(W1_0 · x + b1_0) + b2), against the
    # wide net's outputs from PyTorch; float64 rounding of a 4-term sum, so 1e-12
    (W1, b1), (W2, b2) = ns_["params"]
    X = ns_["X"]
    narrow = special.expit(W2.sum() * np.tanh(W1[0] @ X + b1[0, 0]) + b2[0, 0])
    _, logits = torch_net(ns_["params"], "tanh")
    wide = torch.sigmoid(logits(X)).detach().numpy().ravel()
    np.testing.assert_allclose(narrow, wide, rtol=0, atol=1e-12)
    assert np.ptp(W1, axis=0).max() <= 1e-12 * np.abs(W1).max()  # the four rows are still equal
    assert ns_["max_gap"] <= 1e-12


@pytest.mark.parametrize("shift", range(6))
def test_exercise_sign_ties(shift):
    ns_ = ns("exercise_sign_ties", shift)
    # 8 units, 4 possible rows: at least 4 pairs share one (two units per row is the fewest)
    assert ns_["n_same_row"] >= 4
    assert ns_["predicted"] == ns_["still_equal"]
    W1 = ns_["W1"]
    gaps = {(i, j): np.abs(W1[i] - W1[j]).max() for i, j in combinations(range(8), 2)}
    tied = set(ns_["predicted"])
    # the prediction read off the start: the same row of W1 (from the listed pairs) and the same
    # column of the starting W2, which the namespace keeps as W2
    W2 = ns_["W2"]
    assert tied == {(i, j) for i, j in ns_["same_row"] if np.array_equal(W2[:, i], W2[:, j])}
    # the threshold 1e-9 separates two clear groups: rounding-level ties, and real gaps
    assert all(gaps[pair] <= 1e-12 for pair in tied)
    assert all(g > 1e-4 for pair, g in gaps.items() if pair not in tied)
