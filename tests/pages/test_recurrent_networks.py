"""Tests for docs/recurrent-networks.md: each claim against theory that is not the snippet's own code.

Kinds of expectation used:
- PyTorch in float64: torch.nn.RNN + autograd for the module's BPTT gradients,
  torch.autograd.functional.jacobian for the tanh Jacobians, torch.nn.utils.clip_grad_norm_ for
  the clipping rule;
- np.linalg.matrix_power (binary powering, a second way to compute W^t) for the linear Jacobian;
- the eigendecomposition bound rho^T <= ||W^T|| <= kappa(V) rho^T (Gelfand), with kappa(V)
  computed here; closed forms for the exercises (mpmath, the 2x2 singular-value formula);
- Bai-Yin and Geman's limits for the largest singular value and spectral radius of Gaussian
  matrices (2 sqrt(n) and sqrt(n));
- for the training claims: the page's seed and seven other seed streams
  (run_snippet(..., seed_shift=k)), with counts and bounds whose margins are stated.
"""

from functools import cache

import mpmath
import numpy as np
import pytest
import torch
from snippet_runs import run_snippet

from recurrent_networks import rnn

SHIFTS = (0, 1, 2, 3)  # the page's seed and three other seed streams (cheap snippets)
TRAIN_SHIFTS = tuple(range(8))  # the page's seed and seven more (about 0.6 s each)


@cache
def ns(name, shift=0):
    return run_snippet(f"recurrent_networks/{name}.py", seed_shift=shift).namespace


# ------------------------------------------------------------------ the module against PyTorch


@pytest.mark.parametrize("n_x,n_h,T,m,rho", [(1, 5, 7, 4, 1.2), (3, 8, 20, 6, 0.9)])
def test_rnn_loss_and_gradients_match_torch_rnn(n_x, n_h, T, m, rho):
    rng = np.random.default_rng(n_h + T)
    params = rnn.init_rnn(n_x, n_h, rho, rng)
    params["b"] = rng.standard_normal((n_h, 1))  # non-zero biases: every gradient exercised
    params["b_y"] = rng.standard_normal((1, 1))
    X = rng.standard_normal((T, n_x, m))
    Y = rng.integers(0, 2, (1, m)).astype(float)
    loss, grads = rnn.loss_and_grads(params, X, Y)

    net = torch.nn.RNN(n_x, n_h, nonlinearity="tanh", dtype=torch.float64)
    head = torch.nn.Linear(n_h, 1, dtype=torch.float64)
    with torch.no_grad():
        net.weight_hh_l0.copy_(torch.tensor(params["W_hh"]))
        net.weight_ih_l0.copy_(torch.tensor(params["W_xh"]))
        net.bias_ih_l0.copy_(torch.tensor(params["b"].ravel()))
        net.bias_hh_l0.zero_()  # torch.nn.RNN has two biases; their sum is the page's b
        head.weight.copy_(torch.tensor(params["W_hy"]))
        head.bias.copy_(torch.tensor(params["b_y"].ravel()))
    states, h_T = net(torch.tensor(X.transpose(0, 2, 1)))  # torch: (T, batch, features)
    logits = head(h_T[0])
    torch_loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.tensor(Y.T))
    torch_loss.backward()

    s, hs = rnn.forward(params, X)
    # float64 round-off over T steps of sums of n_h terms: 1e-12 relative is wide, while a
    # wrong transpose, factor or sign is an O(1) error
    np.testing.assert_allclose(np.array(hs[1:]), states.detach().numpy().transpose(0, 2, 1), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s, logits.detach().numpy().T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(loss, torch_loss.item(), rtol=1e-12)
    pairs = [
        (grads["W_hh"], net.weight_hh_l0.grad),
        (grads["W_xh"], net.weight_ih_l0.grad),
        (grads["b"].ravel(), net.bias_ih_l0.grad),
        (grads["b"].ravel(), net.bias_hh_l0.grad),
        (grads["W_hy"], head.weight.grad),
        (grads["b_y"].ravel(), head.bias.grad),
    ]
    for mine, theirs in pairs:
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("target_norm", [40.0, 0.5])
def test_clip_grad_norm_matches_torch(target_norm):
    rng = np.random.default_rng(1)
    grads = {"W_hh": rng.standard_normal((4, 4)), "b": rng.standard_normal((4, 1)), "V": rng.standard_normal((1, 4))}
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    grads = {k: g * target_norm / norm for k, g in grads.items()}
    clipped, norm_before = rnn.clip_grad_norm(grads, 1.0)

    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm=1.0)
    np.testing.assert_allclose(norm_before, total.item(), rtol=1e-12)
    # torch scales by c / (norm + 1e-6), the module by c / norm: relative difference 1e-6 / norm
    for t, g in zip(tensors, clipped.values()):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=2e-6 / target_norm + 1e-14)
    if target_norm < 1:  # below the threshold nothing changes
        for k in grads:
            assert np.array_equal(clipped[k], grads[k])


def test_init_rnn_has_the_requested_spectral_radius():
    params = rnn.init_rnn(2, 16, 2.5, np.random.default_rng(3))
    np.testing.assert_allclose(np.max(np.abs(np.linalg.eigvals(params["W_hh"]))), 2.5, rtol=1e-12)


# ------------------------------------------------------------------ one matrix, T times


@pytest.mark.parametrize("shift", SHIFTS)
def test_linear_jacobian_is_exactly_the_matrix_power(shift):
    j = ns("jacobian_through_time", shift)
    for i, rho in enumerate((0.9, 1.0, 1.1)):
        lin = (j["lin_09"], j["lin_10"], j["lin_11"])[i]
        for t in (1, 2, 10, 50, 100):
            want = np.linalg.norm(np.linalg.matrix_power(rho * j["G"], t), 2)
            # step-by-step products vs binary powering: rounding of ~100 products of 32x32
            # matrices, ~1e-13 relative, amplified a little by the non-normal W: 1e-8 is ample
            np.testing.assert_allclose(lin[t - 1], want, rtol=1e-8)


@pytest.mark.parametrize("shift", SHIFTS)
def test_tanh_jacobian_matches_autograd(shift):
    j = ns("jacobian_through_time", shift)
    h0 = torch.tensor(j["h0"][:, 0])
    for rho, tanh in ((0.9, j["tanh_09"]), (1.1, j["tanh_11"])):
        W = torch.tensor(rho * j["G"])
        for t in (1, 10, 100):

            def state(h, t=t):
                for _ in range(t):
                    h = torch.tanh(W @ h)
                return h

            J = torch.autograd.functional.jacobian(state, h0).numpy()
            np.testing.assert_allclose(tanh[t - 1], np.linalg.norm(J, 2), rtol=1e-8)


@pytest.mark.parametrize("shift", SHIFTS)
def test_growth_rate_is_gelfand_bounded_by_the_eigenvector_condition_number(shift):
    """rho^T <= ||W^T||_2 <= kappa(V) rho^T, so rho <= ||W^T||^(1/T) <= rho kappa(V)^(1/T)."""
    j = ns("jacobian_through_time", shift)
    _, V = np.linalg.eig(j["G"])
    kappa = np.linalg.cond(V)  # eig normalises each column; any scaling gives a valid bound
    T = j["T"]
    for rho, rate in ((0.9, j["rate_09"]), (1.0, j["rate_10"]), (1.1, j["rate_11"])):
        assert rho * (1 - 1e-9) <= rate <= rho * kappa ** (1 / T) * (1 + 1e-9), (rho, rate, kappa)
    # the page: each line lies above rho^t by a factor that stays below kappa(V), at every t
    t = np.arange(1, T + 1)
    for rho, lin in ((0.9, j["lin_09"]), (1.0, j["lin_10"]), (1.1, j["lin_11"])):
        factor = lin / rho**t
        assert np.all(factor >= 1 - 1e-9) and np.all(factor <= kappa * (1 + 1e-9))
    # the page's words: "Gelfand's formula at T = 100", rates within 2 % of rho
    assert abs(j["rate_11"] / 1.1 - 1) < 0.02 and abs(j["rate_09"] / 0.9 - 1) < 0.02


@pytest.mark.parametrize("shift", SHIFTS)
def test_non_normal_transient_and_the_first_step(shift):
    j = ns("jacobian_through_time", shift)
    W = 0.9 * j["G"]
    np.testing.assert_allclose(j["lin_09"][0], np.linalg.norm(W, 2), rtol=1e-12)  # t = 1: one step
    assert j["norm_W_09"] > 1  # one step stretches some direction although rho < 1
    t = j["t_below_one"]
    assert t > 1 and np.all(j["lin_09"][: t - 1] >= 1) and j["lin_09"][t - 1] < 1


def test_gaussian_largest_singular_value_is_about_twice_the_spectral_radius():
    """Bai-Yin: sigma_max / sqrt(n) -> 2; Geman / circular law: rho / sqrt(n) -> 1. At n = 600 the
    finite-size corrections are a few per cent (sigma_max: O(n^(-2/3)); rho: about
    sqrt(log n / (4n)) ~ 5 %), so a band of 10 % on the ratio is safe."""
    n = 600
    G = np.random.default_rng(5).standard_normal((n, n))
    ratio = np.linalg.norm(G, 2) / np.max(np.abs(np.linalg.eigvals(G)))
    assert abs(ratio / 2 - 1) < 0.1, ratio


@pytest.mark.parametrize("shift", SHIFTS)
def test_tanh_follows_linear_at_09_and_does_not_explode_at_11(shift):
    j = ns("jacobian_through_time", shift)
    T = j["T"]
    h09, h11 = j["h0"], j["h0"]
    for _ in range(T):
        h09, h11 = np.tanh(0.9 * j["G"] @ h09), np.tanh(1.1 * j["G"] @ h11)
    # rho = 0.9: the state decays to 0 (where tanh' = 1) and the Jacobian ends below the linear one
    assert np.linalg.norm(h09) < 1e-3
    assert 0.05 * j["lin_09"][-1] < j["tanh_09"][-1] <= j["lin_09"][-1]
    # rho = 1.1: the linear Jacobian is at least 1.1^t (the lower Gelfand bound, exact);
    # the tanh one never exceeds 1 % of 1.1^100 and ends below 1 % of the linear one, with a
    # state that does not decay (empirical over the seeds tested: the largest seen is about 15,
    # the bound 138)
    assert np.all(j["lin_11"] >= 1.1 ** np.arange(1, T + 1) * (1 - 1e-9))
    assert j["tanh_11"].max() < 0.01 * 1.1**T and j["tanh_11"][-1] < 0.01 * j["lin_11"][-1]
    assert np.linalg.norm(h11) / np.sqrt(j["N"]) > 0.1
    assert np.mean(1 - h11**2) < 1


# ------------------------------------------------------------------ Pascanu et al.'s condition


@pytest.mark.parametrize("seed", range(3))
def test_largest_singular_value_below_one_is_sufficient_for_vanishing(seed):
    """||D_t W|| <= ||W||_2 for tanh (slopes in (0, 1]), whatever the inputs: the product of T
    steps is at most ||W||_2^T. Checked on a driven tanh RNN with autograd's Jacobian."""
    rng = np.random.default_rng(seed)
    n, T = 10, 30
    W = rng.standard_normal((n, n))
    W *= 0.95 / np.linalg.norm(W, 2)
    U, xs = rng.standard_normal((n, 1)), rng.standard_normal((T, 1)) * 3

    def state(h):
        for x in xs:
            h = torch.tanh(torch.tensor(W) @ h + torch.tensor(U @ x))
        return h

    J = torch.autograd.functional.jacobian(state, torch.tensor(rng.standard_normal(n))).numpy()
    assert np.linalg.norm(J, 2) <= 0.95**T


# ------------------------------------------------------------------ clipping on a small RNN


def test_page_run_unclipped_saturates_and_clipped_trains():
    r = ns("train_with_clipping")
    assert r["loss_u"] > 0.1 and r["loss_c"] < 0.01
    assert r["saturated_u"] > 0.99 and r["dW_hh_u"] == 0  # the page: "is 0 at the end"
    # the page's explanation: tanh rounds to exactly 1 beyond |z| = 19, so tanh' = 1 - tanh^2 = 0
    assert np.tanh(19.0) == 1.0 and 1 - np.tanh(19.0) ** 2 == 0 and np.tanh(18.9) < 1
    assert r["big_u"] >= 1 and r["big_c"] > r["big_u"]
    losses_c, norms_c, _ = r["runs"]["clipped"]
    losses_u, norms_u, _ = r["runs"]["unclipped"]
    assert norms_u[0] == norms_c[0] == r["norm_0"]  # the same start
    assert norms_c.max() >= norms_u[0]  # "gradients just as large"
    last_big = np.flatnonzero(norms_c > r["CLIP"])[-1]
    assert np.all(losses_c[last_big + 1 :] < 0.01) or losses_c[-1] < 0.01
    assert r["rho_u"] > 100 * r["RHO"] and r["rho_c"] < 3 * r["RHO"]


def test_clipped_steps_are_at_most_lr_times_c():
    """Replays the page's clipped run and measures each step: ||Δθ|| = LR min(‖g‖, c)."""
    r = ns("train_with_clipping")
    params = {k: v.copy() for k, v in r["start"].items()}
    for _ in range(10):
        _, grads = rnn.loss_and_grads(params, r["X"], r["Y"])
        norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
        clipped, _ = rnn.clip_grad_norm(grads, r["CLIP"])
        new = {k: params[k] - r["LR"] * clipped[k] for k in params}
        step = np.sqrt(sum(np.sum((new[k] - params[k]) ** 2) for k in params))
        np.testing.assert_allclose(step, r["LR"] * min(norm, r["CLIP"]), rtol=1e-9)
        params = new


def test_clipping_after_the_first_unclipped_step_cannot_restore_the_recurrent_gradient():
    """The page: "had the unclipped run above been clipped after its first step, the gradient to
    W_hh would still be 0". After the first (unclipped) step the gradients to W_hh, W_xh and b are
    exactly 0, so those weights and the states never change again, whatever scale clipping
    applies; only the readout moves. Replayed here for a few steps with clipping at c."""
    r = ns("train_with_clipping")
    params = {k: v.copy() for k, v in r["start"].items()}
    _, grads = rnn.loss_and_grads(params, r["X"], r["Y"])
    params = {k: params[k] - r["LR"] * grads[k] for k in params}  # the unclipped first step
    for _ in range(5):
        _, grads = rnn.loss_and_grads(params, r["X"], r["Y"])
        assert all(np.all(grads[k] == 0) for k in ("W_hh", "W_xh", "b"))
        clipped, _ = rnn.clip_grad_norm(grads, r["CLIP"])
        params = {k: params[k] - r["LR"] * clipped[k] for k in params}


def test_training_claims_hold_across_seeds():
    """The page's seed and seven more. Every time: the first gradient is above 10^4 and the
    unclipped run ends with more than 99 % of its units saturated (seen: at least 2e4 and
    99.9 %). The outcomes are allowed exceptions: clipped below 0.01 and unclipped above 0.1 in
    at least 6 of the 8 each. Over about 60 seeds tried while writing the page each kind of
    exception came up once or twice (p about 1/30), so three or more of one kind in 8 has a
    chance of about C(8, 3) p^3 = 0.2 %."""
    runs = [ns("train_with_clipping", k) for k in TRAIN_SHIFTS]
    assert all(r["norm_0"] > 1e4 for r in runs), [r["norm_0"] for r in runs]
    assert all(r["saturated_u"] > 0.99 for r in runs), [r["saturated_u"] for r in runs]
    assert sum(r["loss_c"] < 0.01 for r in runs) >= 6, [r["loss_c"] for r in runs]
    assert sum(r["loss_u"] > 0.1 for r in runs) >= 6, [r["loss_u"] for r in runs]
    # "an unclipped run can end well" (the page): one of these eight does (shift 3); after the
    # jump its states are saturated, so its outcome does not hang on rounding. It still had its
    # recurrent gradient vanish (the page's words)
    assert any(r["loss_u"] < 0.01 for r in runs)
    for r in runs:
        if r["loss_u"] < 0.01:
            assert r["dW_hh_u"] < 1e-6 * r["norm_0"]


@pytest.mark.parametrize("shift", SHIFTS)
def test_trained_network_stores_the_bit_where_the_products_shrink(shift):
    """The page (Bengio, Simard & Frasconi 1994): a network that stores a bit robustly operates
    where the products D_t W_hh shrink. The clipped run's trained network, on its own training
    sequences: ||dh_T/dh_1|| is far below 1 (seen: 1e-13 to 3e-2)."""
    r = ns("train_with_clipping", shift)
    if r["loss_c"] >= 0.01:  # an untrained run (allowed, rarely) says nothing about this
        return
    params = r["runs"]["clipped"][2]
    _, hs = rnn.forward(params, r["X"])
    for i in range(16):
        J = np.eye(len(params["W_hh"]))
        for h in hs[2:]:  # steps 2..T: dh_T/dh_1
            J = (1 - h[:, i : i + 1] ** 2) * (params["W_hh"] @ J)
        assert np.linalg.norm(J, 2) < 0.1


def test_clipping_figure_shows_both_runs_and_the_threshold():
    fig = ns("plot_clipping")["fig"]
    ax_loss, ax_norm = fig.axes
    assert ax_loss.get_yscale() == ax_norm.get_yscale() == "log"
    r = ns("train_with_clipping")
    lines = {line.get_label(): line for line in ax_norm.lines}
    for name in ("unclipped", "clipped"):
        np.testing.assert_array_equal(lines[name].get_ydata(), r["runs"][name][1])
    marks = [line for line in ax_loss.lines if line.get_marker() == "x" and len(line.get_xdata())]
    assert sum(len(m.get_xdata()) for m in marks) == r["big_u"] + r["big_c"]
    assert any(np.allclose(line.get_ydata(), r["CLIP"]) for line in ax_norm.lines)


def test_jacobian_figure_has_both_panels_on_log_scale():
    fig = ns("plot_jacobian_norms")["fig"]
    assert len(fig.axes) == 2 and all(ax.get_yscale() == "log" for ax in fig.axes)
    j = ns("jacobian_through_time")
    left, right = fig.axes
    np.testing.assert_array_equal(left.lines[4].get_ydata(), j["lin_11"])  # ρ = 1.1, measured
    np.testing.assert_array_equal(right.lines[5].get_ydata(), 1.1 ** np.arange(1, 101))  # its ρ^t


# ------------------------------------------------------------------ exercises


def test_exercise_orthogonal_every_direction_grows_by_a_to_the_t():
    e = ns("exercise_orthogonal")
    exact = mpmath.mpf("1.05") ** 100
    np.testing.assert_allclose(e["factor"], float(exact), rtol=1e-13)
    np.testing.assert_allclose(e["singular_values"], float(exact), rtol=1e-10)


def test_exercise_clip_step_matches_torch_and_one_fortieth():
    e = ns("exercise_clip_step")
    np.testing.assert_allclose(e["scale"], 1 / 40, rtol=1e-12)
    np.testing.assert_allclose(e["cosine"], 1, rtol=1e-12)
    tensors = [torch.zeros(g.shape, dtype=torch.float64) for g in e["grads"].values()]
    for t, g in zip(tensors, e["grads"].values()):
        t.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_norm_(tensors, max_norm=1.0)
    for t, g in zip(tensors, e["clipped"].values()):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-7)  # torch's +1e-6: 2.5e-8 relative


def test_exercise_saturation_closed_forms():
    e = ns("exercise_saturation")
    # eigenvalues of [[0.5, 1], [-1, -1.2]]: trace -0.7, det 0.4, complex pair of modulus sqrt(0.4)
    np.testing.assert_allclose(e["rho"], np.sqrt(0.4), rtol=1e-12)
    # 2x2 singular values: sigma^2 = (F^2 ± sqrt(F^4 - 4 det^2)) / 2 with F^2 = 3.69
    F2, det = 0.25 + 1 + 1 + 1.44, 0.4
    np.testing.assert_allclose(e["norm_W"], np.sqrt((F2 + np.sqrt(F2**2 - 4 * det**2)) / 2), rtol=1e-12)
    # (D W)^50 = (-1.2)^49 D W, whose only non-zero row is (-1, -1.2)
    np.testing.assert_allclose(e["grown"], 1.2**49 * np.sqrt(1 + 1.2**2), rtol=1e-12)
    assert e["unsaturated"] < 1e-8 < 1 < e["grown"]  # ||W^50|| <= kappa rho^50 (rho^50 ~ 1e-10)
