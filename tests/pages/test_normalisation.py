"""Tests for docs/normalisation.md: each claim against theory that is not the snippet's own code.

Kinds of expectation used:
- PyTorch (nn.BatchNorm1d in training mode, nn.LayerNorm, autograd) in float64, for the module
  normalisation/norm.py and, as a second method, for every number of the depth profiles;
- exact identities derived on the page: positive homogeneity of a bias-free ReLU net (g^l),
  BN_eps(g z) = BN_(eps/g^2)(z) and the 1/g gradient that follows from it, orthogonality of
  the gradient to the weights at eps = 0, the exactness of "learning rate eta g^2" training;
- closed forms: the normalised values of small examples, the output's quadratic dependence on
  the output gain, the chi-square law of a batch variance (scipy);
- sampling bands derived in comments (the W -> -W symmetry, chi-square spreads), under the
  page's seed and three other seed streams.
"""

from functools import cache

import numpy as np
import pytest
import torch
from scipy import stats
from snippet_runs import run_snippet

from normalisation import norm

SHIFTS = (0, 1, 2, 3)  # the page's seed and three other seed streams
EPS = 1e-5


@cache
def ns(name, shift=0):
    return run_snippet(f"normalisation/{name}.py", seed_shift=shift).namespace


def t64(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


# ------------------------------------------------------------------ the module against PyTorch


def torch_norm_layer(kind, n, eps=EPS):
    """PyTorch's layer, in training mode, acting on (m, n) inputs: one example per row."""
    if kind == "batch":
        layer = torch.nn.BatchNorm1d(n, eps=eps, dtype=torch.float64)
    else:
        layer = torch.nn.LayerNorm(n, eps=eps, dtype=torch.float64)
    return layer.train()


@pytest.mark.parametrize("kind,axis", [("batch", norm.BATCH), ("layer", norm.LAYER)])
@pytest.mark.parametrize("seed", range(4))
def test_normalise_matches_pytorch_forward_and_backward(kind, axis, seed):
    rng = np.random.default_rng(100 + seed)
    n, m = (5, 7) if seed % 2 else (12, 3)
    Z = rng.standard_normal((n, m)) * rng.uniform(0.01, 10) + rng.standard_normal()
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    dY = rng.standard_normal((n, m))
    Y, cache_ = norm.normalise(Z, axis, gamma, beta)
    dZ, dgamma, dbeta = norm.normalise_backward(dY, cache_)
    layer = torch_norm_layer(kind, n)
    with torch.no_grad():
        layer.weight.copy_(t64(gamma[:, 0]))
        layer.bias.copy_(t64(beta[:, 0]))
    Zt = t64(Z.T, grad=True)
    Yt = layer(Zt)
    Yt.backward(t64(dY.T))
    # float64 rounding of O(1) values through a few operations: 1e-12 is ~1e4 ulps
    np.testing.assert_allclose(Y, Yt.detach().numpy().T, rtol=0, atol=1e-12)
    np.testing.assert_allclose(dZ, Zt.grad.numpy().T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dgamma[:, 0], layer.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dbeta[:, 0], layer.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


def torch_net(Ws, X, kind, eps=EPS):
    """The page's network in PyTorch: hidden Z = W A, normalisation, ReLU; last layer linear.
    Returns the last hidden activation and the hidden Z (with retained gradients)."""
    A, Zs = t64(X, grad=True), []  # a leaf that needs a gradient, so every Z keeps one
    for W in Ws[:-1]:
        Z = t64(W) @ A
        Z.retain_grad()
        Zs.append(Z)
        if kind is not None:
            Z = torch_norm_layer(kind, W.shape[0], eps)(Z.T).T
        A = torch.relu(Z)
    return A, Zs


@pytest.mark.parametrize("kind,axis", [(None, None), ("batch", norm.BATCH), ("layer", norm.LAYER)])
def test_network_backward_matches_autograd(kind, axis):
    rng = np.random.default_rng(7)
    dims = [3, 6, 5, 4, 2]
    Ws = [rng.standard_normal((o, i)) for i, o in zip(dims, dims[1:])]
    X, d_out = rng.standard_normal((3, 9)), rng.standard_normal((2, 9))
    out, caches = norm.forward(Ws, X, axis)
    dWs, dZs = norm.backward(Ws, caches, d_out)
    Wt = [t64(W, grad=True) for W in Ws]
    A = t64(X)
    for W in Wt[:-1]:
        Z = W @ A
        if kind is not None:
            Z = torch_norm_layer(kind, W.shape[0])(Z.T).T
        A = torch.relu(Z)
    out_t = Wt[-1] @ A
    (out_t * t64(d_out)).sum().backward()
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    for dW, W in zip(dWs, Wt):
        np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_pytorch_defaults_the_page_states():
    """eps 1e-5 for both; momentum 0.1; running variance with m - 1; eval uses running stats."""
    bn, ln = torch.nn.BatchNorm1d(3, dtype=torch.float64), torch.nn.LayerNorm(3, dtype=torch.float64)
    assert bn.eps == EPS and ln.eps == EPS and bn.momentum == 0.1
    assert bn.training and ln.training  # a new module is in training mode: model.train()
    assert torch.all(bn.weight == 1) and torch.all(bn.bias == 0)  # gamma = 1, beta = 0
    assert torch.all(ln.weight == 1) and torch.all(ln.bias == 0)
    x = t64(np.random.default_rng(0).standard_normal((8, 3)) * 3 + 2)
    bn.train()(x)
    var_unbiased = x.var(dim=0, unbiased=True)
    np.testing.assert_allclose(bn.running_var.numpy(), (0.9 * 1 + 0.1 * var_unbiased).numpy(), rtol=1e-12)
    np.testing.assert_allclose(bn.running_mean.numpy(), (0.1 * x.mean(dim=0)).numpy(), rtol=1e-12)
    y_eval = bn.eval()(x).detach().numpy()
    by_hand = (x.numpy() - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + EPS)
    np.testing.assert_allclose(y_eval, by_hand, rtol=1e-12)
    # layer norm: the same output in training and in evaluation mode
    np.testing.assert_array_equal(ln.train()(x).detach().numpy(), ln.eval()(x).detach().numpy())


# ------------------------------------------------------------------ the small example


def test_two_axes_closed_forms():
    s = ns("two_axes")
    Z = s["Z"]
    # row 1 = (1, 2, 3, 6): mean 3, variance (4 + 1 + 0 + 9)/4 = 7/2
    np.testing.assert_allclose(s["bn"][0], (np.array([1, 2, 3, 6]) - 3) / np.sqrt(3.5 + EPS), rtol=1e-14)
    # row 2 = 10 x row 1: BN_eps(10 z) = BN_(eps/100)(z), which differs from row 1 by a relative
    # (eps/2)(1/sigma^2 - 1/(100 sigma^2)) < eps/(2 * 3.5) ≈ 1.4e-6
    np.testing.assert_allclose(s["bn"][1], s["bn"][0], rtol=1.5e-6)
    # every row: mean 0, variance sigma^2/(sigma^2 + eps); every layer-norm column likewise
    for out, axis in ((s["bn"], 1), (s["ln"], 0)):
        var = Z.var(axis=axis)
        np.testing.assert_allclose(out.mean(axis=axis), 0, atol=1e-15)
        np.testing.assert_allclose(out.var(axis=axis), var / (var + EPS), rtol=1e-13)
    # layer norm keeps the ratio between units 1 and 2 of an example's centred values
    centred = Z - Z.mean(axis=0)
    np.testing.assert_allclose(s["ln"], centred / np.sqrt(Z.var(axis=0) + EPS), rtol=1e-13)


# ------------------------------------------------------------------ depth profiles


@pytest.mark.parametrize("shift", SHIFTS)
def test_depth_profiles_no_normalisation_is_exactly_g_to_the_l(shift):
    s = ns("depth_profiles", shift)
    layers = np.arange(1, s["DEPTH"] + 1)
    for g in s["GAINS"]:
        # relu(g z) = g relu(z) for g > 0 and no biases: Z[l] scales by exactly g^l
        np.testing.assert_allclose(s["z_rms"]["none", g], g**layers * s["z_rms"]["none", 1.0], rtol=1e-12)
    # He at g = 1: E[RMS²] = 1 per layer; at finite width one input's ln ||a||² is a random walk
    # with step variance <= 5/n (deep-nets page), so ln RMS at layer 50 has sd <= sqrt(50 * 5/64)/2
    # ≈ 0.99 and drifts by at most 50 * 5/(4 * 64) ≈ 0.98 (a batch average spreads less): 5 sd.
    n, L = s["WIDTH"], s["DEPTH"]
    assert abs(np.log(s["z_rms"]["none", 1.0][-1])) < 5 * np.sqrt(L * 5 / n) / 2 + L * 5 / (4 * n)


@pytest.mark.parametrize("shift", SHIFTS)
def test_depth_profiles_normalised_rms_is_g(shift):
    s = ns("depth_profiles", shift)
    for kind in ("batch", "layer"):
        # Layer 1 sees the inputs (LeCun): E[RMS²] = E[x²] = 1 for every kind. For l >= 2, given the
        # normalised input A (mean square 1/2 on average: W -> -W is as likely and flips the sign of
        # every normalised value, so the ReLU keeps half of E[ŷ²] = 1/(1 + eps/σ²)), He weights give
        # E[RMS(Z)²] = 2 g² mean(A²) ≈ g². Spread per layer: the chi-square part of ||W A||² has
        # relative sd sqrt(2/n) ||AAᵀ||_F / tr(AAᵀ) <= sqrt(2/64) = 0.18; the skew of the ReLU'd
        # values adds at most ~0.11 (sqrt(E ŷ⁴/n)/2 with E ŷ⁴ ≈ 3). Layers are independent, so
        # the mean over 49 layers has sd <= 0.29/7 ≈ 0.04: 5 sd is 0.2.
        ms = s["z_rms"][kind, 1.0][1:] ** 2
        assert abs(ms.mean() - 1) < 0.2, (kind, ms.mean())
        # no trend with depth: the first and the second half agree within the same bands
        assert abs(ms[:24].mean() - ms[24:].mean()) < 2 * 0.29 / np.sqrt(24) * 5, kind


@pytest.mark.parametrize("shift", SHIFTS)
def test_depth_profiles_against_pytorch_and_the_eps_identity(shift):
    """Every RMS in the table, recomputed in PyTorch; and the net at gain g with eps equals the
    net at gain 1 with eps/g² (Z scaled by g, dJ/dZ by 1/g), which is why the gradient growth
    does not depend on g."""
    s = ns("depth_profiles", shift)
    draw, X, d_out = s["draw"], s["X"], s["d_out"]
    rms = lambda t: float(torch.sqrt(torch.mean(t.detach() ** 2)))  # noqa: E731
    for kind in ("none", "batch", "layer"):
        for g, eps in [(g, EPS) for g in s["GAINS"]] + [(1.0, EPS / g**2) for g in s["GAINS"]]:
            A, Zs = torch_net(
                [g * W for W in draw] + [np.eye(s["WIDTH"])], X, None if kind == "none" else kind, eps
            )
            (A * t64(d_out)).sum().backward()
            z = np.array([rms(Z) for Z in Zs])
            dz = np.array([rms(Z.grad) for Z in Zs])
            if eps == EPS:
                np.testing.assert_allclose(s["z_rms"][kind, g], z, rtol=1e-9)
                np.testing.assert_allclose(s["grad_rms"][kind, g], dz, rtol=1e-9)
            elif kind != "none":
                gain = np.sqrt(EPS / eps)
                np.testing.assert_allclose(s["z_rms"][kind, gain], gain * z, rtol=1e-8)
                np.testing.assert_allclose(s["grad_rms"][kind, gain], dz / gain, rtol=1e-8)


@pytest.mark.parametrize("shift", SHIFTS)
def test_batch_norm_gradient_grows_through_the_net(shift):
    # Yang et al. (2019): exponential growth of the gradient in deep plain batch-norm nets at
    # initialisation. The page's mechanism: a normalised unit's ReLU output has mean 1/√(2π), so
    # the next layer's unit i gets a batch-constant offset w_i·ā with E[(w_i·ā)²] = (2/n) n/(2π)
    # = 1/π of its mean square 2 E[a²] = 1; the batch variance is (π-1)/π, and dividing by its
    # root multiplies the gradient's mean square by π/(π-1) (He's W and the ReLU mask together
    # keep it). The backward pass of batch norm also projects out 2 of the m batch directions,
    # a factor 1 - 2/m. So ln(RMS ratio) per layer is ½ ln(π/(π-1)) + ½ ln(1 - 2/m).
    s = ns("depth_profiles", shift)
    g, m = s["grad_rms"]["batch", 1.0], s["BATCH_SIZE"]
    per_layer = np.log(g[:-1] / g[1:])  # 49 log growth factors, nearly independent layers
    theory = 0.5 * np.log(np.pi / (np.pi - 1)) + 0.5 * np.log(1 - 2 / m)
    # their mean against the theory: 5 standard errors estimated from their own spread, plus
    # sd² for the second-order (Jensen, E ln X vs ln E X) terms of a ratio of that spread
    sd = per_layer.std(ddof=1)
    assert abs(per_layer.mean() - theory) < 5 * sd / np.sqrt(len(per_layer)) + sd**2
    np.testing.assert_allclose(np.log(s["bn_growth"]), per_layer.sum(), rtol=1e-12)
    assert s["ln_growth"] < 10  # layer norm, same nets: no such growth (the page quotes the value)


# ------------------------------------------------------------------ scale invariance


@pytest.mark.parametrize("shift", SHIFTS)
def test_scale_invariance_is_exact_with_eps_over_g_squared(shift):
    s = ns("scale_invariance", shift)
    out_1, grads_1 = s["run"](1.0)
    for g in s["GAINS"] + (1e3,):
        out_g, grads_g = s["run"](g)
        out_eq, grads_eq = s["run"](1.0, EPS / g**2)
        # BN_eps(g z) = BN_(eps/g²)(z): same outputs, and J(gW) = J_(eps/g²)(W) gives
        # g dJ/dW(gW) = dJ/dW(W) at eps/g². Float64 rounding only.
        np.testing.assert_allclose(out_g, out_eq, rtol=1e-10, atol=1e-12)
        for d_g, d_eq in zip(grads_g, grads_eq):
            np.testing.assert_allclose(g * d_g, d_eq, rtol=1e-8, atol=1e-12 * np.abs(d_eq).max())
    # the quoted ratios: at g = 10 the eps effect is eps (1 - 1/g²)/(2σ²) ~ 1e-5 per unit;
    # the gradient, more sensitive, stays within 1e-3 of 1/g on every draw.
    assert np.all(np.abs(s["grad_ratio"][10.0] - 1) < 1e-3)


@pytest.mark.parametrize("shift", SHIFTS)
def test_gradient_is_orthogonal_to_the_weights(shift):
    s = ns("scale_invariance", shift)
    # eps = 0: J(cW) = J(W) for every c > 0, row by row, so <dJ/dw_i, w_i> = 0 up to rounding
    _, grads = s["run"](1.0, 0.0)
    for d, W in zip(grads, s["draw"]):
        cos = np.sum(d * W, axis=1) / np.linalg.norm(d, axis=1) / np.linalg.norm(W, axis=1)
        assert np.all(np.abs(cos) < 1e-10)
    # eps > 0: J(cW) at eps equals J(W) at eps/c², so sum <dJ/dW, W> = -2 eps dJ/deps (all layers
    # share eps). dJ/deps by a central difference (step 1e-3 eps: truncation ~1e-6 relative).
    J = lambda eps: np.mean((s["run"](1.0, eps)[0] - s["y"]) ** 2)  # noqa: E731
    h = 1e-3 * EPS
    dJ_deps = (J(EPS + h) - J(EPS - h)) / (2 * h)
    total = sum(np.sum(d * W) for d, W in zip(s["grads_1"], s["draw"]))
    np.testing.assert_allclose(total, -2 * EPS * dJ_deps, rtol=1e-3)


def test_eps_correction_of_one_unit():
    """The page's first-order correction and the floor when g σ is near sqrt(eps)."""
    rng = np.random.default_rng(11)
    z = rng.standard_normal((1, 64)) * 0.7
    var = z.var()
    base = norm.normalise(z, norm.BATCH)[0]
    for g in (10.0, 0.1, 0.01):
        ratio = norm.normalise(g * z, norm.BATCH)[0] / base
        exact = np.sqrt((var + EPS) / (var + EPS / g**2))
        np.testing.assert_allclose(ratio, exact, rtol=1e-12)
        if g > 0.05:  # first order in eps/(g² σ²), error of second order
            first = 1 + EPS / (2 * var) * (1 - 1 / g**2)
            assert abs(exact - first) < (EPS * max(1, 1 / g**2) / var) ** 2
    # g σ far below sqrt(eps): output std -> g σ / sqrt(eps)
    g = 1e-5
    out_std = norm.normalise(g * z, norm.BATCH)[0].std()
    # (relative error g²σ²/(2 eps) from expanding 1/sqrt(g²σ² + eps))
    np.testing.assert_allclose(out_std, g * np.sqrt(var) / np.sqrt(EPS), rtol=g**2 * var / EPS)


def test_page_quotes_the_floor_gain():
    s = ns("scale_invariance")
    # g = 0.001: eps/g² = 10 dwarfs the unit variances (order 1), so the output is another function
    assert s["change_tiny"] > 0.1


# ------------------------------------------------------------------ the effective learning rate


@pytest.mark.parametrize("shift", SHIFTS[:2])  # an exact identity: two draws suffice
def test_learning_rate_times_g_squared_is_the_same_run(shift):
    s = ns("effective_lr", shift)
    base = s["train"](1.0, s["LR"])
    for g in (0.1, 10.0):
        # W = g V, step eta g²: g V - eta g² (1/g) dJ(V) = g (V - eta dJ(V)), exactly when eps
        # is scaled too (eps g²). 200 steps of float64 rounding: 1e-10 relative is generous.
        losses, growth = s["train"](g, s["LR"] * g**2, eps=EPS * g**2)
        np.testing.assert_allclose(losses, base[0], rtol=1e-10)
        np.testing.assert_allclose(growth, base[1], rtol=1e-10)


@pytest.mark.parametrize("shift", SHIFTS)
def test_large_gain_learns_slowly(shift):
    s = ns("effective_lr", shift)
    # effective rate eta/100 at g = 10: the hidden weights move by a relative step 100x smaller
    # than at g = 1, and the loss after 200 steps is higher on every draw (16 to 66 times here)
    assert s["slow_10"] > 3
    assert np.all(np.abs(s["same_lr"][10.0][1] - 1) < 1e-3)


def test_weights_only_grow_at_eps_zero():
    """One gradient step at eps = 0: ||W + dW||² = ||W||² + eta² ||dJ/dW||² for every hidden
    layer, since the gradient is orthogonal to W."""
    s = ns("effective_lr")
    Ws = [W.copy() for W in s["draw"]] + [s["head"].copy()]
    out, caches = norm.forward(Ws, s["X"], norm.BATCH, eps=0.0)
    dWs = norm.backward(Ws, caches, 2 * (out - s["y"]) / s["X"].shape[1])[0]
    eta = 0.3
    for W, dW in zip(Ws[:-1], dWs[:-1]):
        new = W - eta * dW
        np.testing.assert_allclose(np.sum(new**2), np.sum(W**2) + eta**2 * np.sum(dW**2), rtol=1e-12)


# ------------------------------------------------------------------ the last layer


@pytest.mark.parametrize("shift", SHIFTS)
def test_last_layer_scale_is_the_initialisations(shift):
    s = ns("last_layer", shift)
    y = s["y"]
    gains = s["OUT_GAINS"]
    # the output is g_out times the gain-1 output, so the loss is a quadratic in g_out:
    # mean(y²) - 2 g c + g² r² with r the gain-1 RMS; c follows from the loss at gain 1
    r = s["rms_out"][1.0]
    c = (np.mean(y**2) + r**2 - s["loss"][1.0]) / 2
    for g in gains:
        np.testing.assert_allclose(s["rms_out"][g], g * r, rtol=1e-12)
        np.testing.assert_allclose(s["loss"][g], np.mean(y**2) - 2 * g * c + g**2 * r**2, rtol=1e-10)
    assert s["loss"][0.0] == np.mean(y**2)
    # a zero output layer: dJ/dA[L] = W_outᵀ (...) = 0, so every hidden gradient is exactly 0
    Ws = s["hidden"] + [0.0 * s["head"]]
    out, caches = norm.forward(Ws, s["X"], norm.BATCH)
    dWs = norm.backward(Ws, caches, 2 * (out - y) / y.shape[1])[0]
    assert all(np.all(dW == 0) for dW in dWs[:-1]) and np.any(dWs[-1] != 0)
    # over the output layer's draw (w ~ N(0, 1/n)): E[mean(ŷ²)] = mean of the last hidden layer's
    # squared output = a_ms; Var = 2 tr(C²)/n² with C = A Aᵀ/m. A is recomputed with the module
    # (checked against PyTorch above). 5 sd.
    A = norm.forward(s["hidden"] + [s["head"]], s["X"], norm.BATCH)[1][-1][0]
    n, m = A.shape
    C = A @ A.T / m
    np.testing.assert_allclose(np.mean(A**2), s["a_ms"], rtol=1e-12)
    assert abs(r**2 - s["a_ms"]) < 5 * np.sqrt(2 * np.trace(C @ C)) / n
    # a_ms ≈ 1/2 (W -> -W symmetry: the ReLU keeps half of a normalised unit's second moment);
    # per unit the kept fraction has sd <= sqrt(3/m)/2 ≈ 0.05, over 64 units ≈ 0.007: 5 sd
    assert abs(s["a_ms"] - 0.5) < 5 * np.sqrt(3 / m) / 2 / np.sqrt(n) + EPS


# ------------------------------------------------------------------ the residual branch


@pytest.mark.parametrize("shift", SHIFTS)
def test_pre_norm_mean_square_grows_linearly(shift):
    s = ns("pre_norm_growth", shift)
    L, n = s["BLOCKS"], s["WIDTH"]
    ms0 = s["ms"]["1"][0]
    np.testing.assert_array_equal(s["ms"]["0"], ms0)  # alpha = 0: every block is the identity
    for name, alpha in s["ALPHAS"].items():
        if alpha == 0:
            continue
        # Each block adds delta = 2 x·F/n + ||F||²/n with E[delta] = alpha² (||LN(x)||² = n up to
        # eps; He W1 keeps it, ReLU halves, ×2; LeCun W2 keeps it). For one example,
        # Var(2 x·F/n) = 4 alpha² ms_l/n and Var(||F||²/n) ≈ 7 alpha⁴/n (2/n from W2's
        # chi-square, 5/n from the ReLU's fourth moment), ms_l = ms0 + l alpha²; a batch
        # average spreads no more. 5 sd of the sum over L blocks.
        var = sum(4 * alpha**2 * (ms0 + l * alpha**2) + 7 * alpha**4 for l in range(L)) / n
        assert abs(s["ms"][name][-1] - (ms0 + L * alpha**2)) < 5 * np.sqrt(var), name


# ------------------------------------------------------------------ symmetry


@pytest.mark.parametrize("shift", SHIFTS)
def test_constant_starts_stay_tied(shift):
    s = ns("constant_init", shift)
    # zeros: Z = 0, normalised 0, every gradient exactly 0: the loss never changes
    assert len(set(s["losses"]["zeros"])) == 1
    assert s["losses"]["zeros"][0] == pytest.approx(s["mean_y2"], rel=1e-14)
    # equal weights: equal rows stay equal (tied units get equal statistics and gradients);
    # rounding of identical operations: exactly 0 or within 1e-12
    assert s["largest_gap"] < 1e-12
    assert s["losses"]["all 0.5"][-1] < s["losses"]["all 0.5"][0]  # it does train


# ------------------------------------------------------------------ batch statistics


@pytest.mark.parametrize("shift", SHIFTS)
def test_batch_variance_noise(shift):
    s = ns("batch_noise", shift)
    for m in s["SIZES"]:
        # the biased batch variance of N(0, 1) data is chi²_(m-1)/m: std sqrt(2(m-1))/m (scipy)
        np.testing.assert_allclose(s["theory"][m], stats.chi2(m - 1).std() / m, rtol=1e-12)
        # sample std over R = 4000 batches: relative standard error sqrt((κ - 1)/(4R)), κ the
        # kurtosis of chi²_(m-1), 3 + 12/(m-1); 5 standard errors
        kurt = 3 + 12 / (m - 1)
        assert abs(s["measured"][m] / s["theory"][m] - 1) < 5 * np.sqrt((kurt - 1) / (4 * s["DRAWS"]))


# ------------------------------------------------------------------ exercises


def test_exercise_gain_ten():
    s = ns("exercise_gain_ten")
    assert s["eps_gap"] < 1e-14  # BN_eps(10 Z) = BN_(eps/100)(Z)
    # gradient ratio 1/10 up to eps: the relative change is of order eps/σ², σ² of order 1 here
    Z = s["W"] @ s["X"]
    bound = EPS / Z.var(axis=1).min()
    assert abs(10 * s["grad_ratio"] - 1) < 10 * bound
    assert s["largest_change"] < 10 * bound


def test_exercise_layer_norm_1234():
    out = ns("exercise_layer_norm_1234")["out"].ravel()
    # mean 5/2, variance 5/4: (z - 5/2)/sqrt(5/4 + eps) = (-3, -1, 1, 3)/sqrt(5) / sqrt(1 + 4 eps/5)
    np.testing.assert_allclose(out, np.array([-3, -1, 1, 3]) / np.sqrt(5) / np.sqrt(1 + 0.8 * EPS), rtol=1e-14)
    assert abs(1 / np.sqrt(1 + 0.8 * EPS) - 1) == pytest.approx(4e-6, rel=1e-3)  # the page's 4 x 10^-6


def test_exercise_batch_of_two():
    s = ns("exercise_batch_of_two")
    Z, out = s["Z"], s["out"]
    d = Z[:, 0] - Z[:, 1]
    size = 1 / np.sqrt(1 + 4 * EPS / d**2)
    np.testing.assert_allclose(out[:, 0], np.sign(d) * size, rtol=1e-13)
    np.testing.assert_allclose(out[:, 1], -np.sign(d) * size, rtol=1e-13)
    np.testing.assert_allclose(4 * EPS / d[[0, 3]] ** 2, [0.025, 40], rtol=1e-9)  # the page's numbers
    np.testing.assert_allclose(abs(out[3, 0]), 1 / np.sqrt(41), rtol=1e-12)


# ------------------------------------------------------------------ the figure


def test_figure_plots_the_table():
    s = run_snippet("normalisation/plot_depth_profiles.py").namespace
    fig, data = s["fig"], ns("depth_profiles")
    plain, normed = fig.axes
    assert plain.get_yscale() == normed.get_yscale() == "log"
    plotted = [line.get_ydata() for line in plain.lines]
    for y, g in zip(plotted, data["GAINS"]):
        np.testing.assert_array_equal(y, data["z_rms"]["none", g])
    lines = [line.get_ydata() for line in normed.lines if len(line.get_ydata())]
    expected = [data["z_rms"][kind, g] for g in data["GAINS"] for kind in ("batch", "layer")]
    assert len(lines) == len(expected)
    for y, e in zip(lines, expected):
        np.testing.assert_array_equal(y, e)
    low, high = normed.get_ylim()
    assert low < min(data["GAINS"]) * data["bn_low"] and high > max(data["GAINS"]) * data["bn_high"]
