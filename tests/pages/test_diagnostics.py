"""Tests for docs/diagnostics.md: the tools, and each claim against theory, not the snippets' code.

Kinds of expectation used:
- the tools (watch, update_ratio) against an independent forward and backward pass written out
  by hand in float64 NumPy, against autograd's own .grad and retain_grad tensors, and against
  the SGD and Adam update rules (torch.optim.SGD / Adam, the formula for their first step);
- the NumPy snippet against PyTorch, on the same weights (float64 vs float32 rounding);
- the infinite-width ("mean-field") recursion q[l+1] = n Var(w) E[tanh(z)²] + Var(b) and
  χ[l] = n Var(w) E[tanh'(z)²], z ~ N(0, q[l]), by adaptive quadrature; the saturated
  fraction of layer l is then erfc(artanh 0.99 / √(2 q[l]));
- E[log Σ_k exp(s Z_k)] for independent standard normal Z_k by Frullani's integral,
  log S = ∫ (e^-t - e^-tS) dt/t, which reduces the C-dimensional expectation to a double integral
  (a second method, not the snippet's Monte Carlo), and the scatter of one network's batch loss
  by redrawing its last layer;
- log C and the entropy H(p) exactly (to float32 rounding).

Random claims are checked under the page's seeds and under other seed streams (seed_shift), with
each tolerance derived in a comment from the sampling distribution at width n = 128.
"""

import copy
import math
from functools import cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import special
from scipy.integrate import quad
from snippet_runs import run_snippet

SHIFTS = (0, 1, 2, 3)
Z_SAT = math.atanh(0.99)  # |tanh z| > 0.99  <=>  |z| > artanh 0.99 = ½ ln 199
INIT_NAMES = ("PyTorch default", "LeCun, gain 5/3", "std 1")


def ns(name, shift=0):
    return run_snippet(f"diagnostics/{name}.py", seed_shift=shift).namespace


# ------------------------------------------------------------------ independent theory


def gauss_even(h, q):
    """E[h(z)] for z ~ N(0, q) and an even h, by adaptive quadrature with break points where
    h(√q u) changes (u ~ 1/√q), so that a narrow feature is not missed."""
    s = math.sqrt(q)
    points = sorted({min(c / s, 39.0) for c in (0.5, 2.0, 8.0, 30.0)})
    value, _ = quad(lambda u: h(s * u) * math.exp(-u * u / 2), 0, 40, points=points, limit=400, epsrel=1e-11)
    return 2 * value / math.sqrt(2 * math.pi)


def tanh_sq(z):
    return math.tanh(z) ** 2


def tanh_slope_sq(z):
    e = math.exp(-2 * abs(z))  # tanh'(z) = sech² z = 4 e^-2|z| / (1 + e^-2|z|)², no overflow
    return (4 * e / (1 + e) ** 2) ** 2


@cache
def mean_field(init, n_in=32, n=128, layers=12):
    """Per hidden layer l = 1..12: (q[l], std of a[l], saturated fraction, χ[l]) at infinite width.

    n Var(w) and Var(b) of each initialisation: the default U(±1/√n_in) has Var = 1/(3 n_in) for
    the weights (n Var(w) = 1/3) and for the biases; kaiming_normal_ with the tanh gain has
    n Var(w) = 25/9; normal_(std=1) has n Var(w) = n_in. The inputs have E[x²] = 1.
    """
    sw_first, sw, sb_first, sb = {
        "PyTorch default": (1 / 3, 1 / 3, 1 / (3 * n_in), 1 / (3 * n)),
        "LeCun, gain 5/3": (25 / 9, 25 / 9, 0.0, 0.0),
        "std 1": (n_in, n, 0.0, 0.0),
    }[init]
    q = [sw_first * 1.0 + sb_first]
    for _ in range(layers - 1):
        q.append(sw * gauss_even(tanh_sq, q[-1]) + sb)
    std = [math.sqrt(gauss_even(tanh_sq, v)) for v in q]  # a[l] has mean 0 by symmetry
    sat = [special.erfc(Z_SAT / math.sqrt(2 * v)) for v in q]
    chi = [sw * gauss_even(tanh_slope_sq, v) for v in q]  # square layers: fan-out Var = fan-in's
    return q, std, sat, chi


def expected_lse(s, C=10):
    """E[log Σ_k exp(s Z_k)], Z_k iid N(0, 1), by Frullani: log S = ∫_R (exp(-e^u) - exp(-e^u S)) du,
    so E[log S] = ∫_R (exp(-e^u) - φ(e^u)^C) du with φ(t) = E[exp(-t e^{sZ})], a 1-d integral
    (trapezoid rules, spectrally accurate for these smooth integrands: the inner one is a smooth
    step of width ~1/s in z; doubling both grids changes the result by < 1e-10 for s ≤ 8)."""
    z = np.linspace(-10, 10, 1601)
    w = np.exp(-(z**2) / 2)
    w /= w.sum()
    u = np.linspace(-(s * s / 2 + 45), 6, 1201)  # below: the integrand is < e^-40 C e^{s²/2}
    phi = np.exp(-np.exp(np.minimum(u[:, None] + s * z[None, :], 50))) @ w
    integrand = np.exp(-np.exp(u)) - phi**C
    return float(np.sum((integrand[1:] + integrand[:-1]) / 2 * np.diff(u)))


def manual_pass(net, X, y):
    """Forward and backward by hand in float64 NumPy from the net's weights: per hidden layer
    the activations a[l] and dL/da[l], per layer dL/dW[l]."""
    layers = [
        (m.weight.detach().double().numpy(), m.bias.detach().double().numpy())
        for m in net
        if isinstance(m, torch.nn.Linear)
    ]
    x, labels = X.double().numpy(), y.numpy()
    acts = [x]
    for W, b in layers[:-1]:
        acts.append(np.tanh(acts[-1] @ W.T + b))
    W, b = layers[-1]
    logits = acts[-1] @ W.T + b
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    N = len(labels)
    delta = (P - np.eye(P.shape[1])[labels]) / N  # dL/dz[L] of the mean cross-entropy
    grad_a, grad_W = [], []
    for l in range(len(layers), 0, -1):
        W = layers[l - 1][0]
        grad_W.append(delta.T @ acts[l - 1])
        da = delta @ W  # dL/da[l-1]
        if l > 1:
            grad_a.append(da)
            delta = da * (1 - acts[l - 1] ** 2)
    return acts[1:], grad_a[::-1], grad_W[::-1]


# ------------------------------------------------------------------ the tools


def compare_with_manual(rows, acts, grad_a, grad_W, rtol_fwd, rtol_grad):
    assert len(rows["activations"]) == len(acts) == 12 and len(rows["weights"]) == len(grad_W) == 13
    for row, a, da in zip(rows["activations"], acts, grad_a):
        np.testing.assert_allclose(row["std"], a.std(ddof=1), rtol=rtol_fwd)
        assert abs(row["mean"] - a.mean()) < rtol_fwd * a.std()
        np.testing.assert_allclose(row["grad"], np.linalg.norm(da), rtol=rtol_grad)
        # the count of |a| > 0.99 may differ only by entries within rounding of the cut
        near_cut = np.sum(np.abs(np.abs(a) - 0.99) < 10 * rtol_fwd)
        assert abs(row["saturated"] - np.mean(np.abs(a) > 0.99)) * a.size <= near_cut
    for row, dW in zip(rows["weights"], grad_W):
        np.testing.assert_allclose(row["grad"], np.linalg.norm(dW), rtol=rtol_grad)


@pytest.mark.parametrize("name", INIT_NAMES)
def test_watch_equals_a_pass_by_hand_exactly_in_float64(name):
    # the same network in float64: watch's numbers and a NumPy pass agree to float64 rounding
    n = ns("diagnose_init")
    net = copy.deepcopy(n["nets"][name]).double()
    with n["watch"](net) as stats:
        F.cross_entropy(net(n["X"].double()), n["y"]).backward()
    compare_with_manual(stats, *manual_pass(net, n["X"], n["y"]), rtol_fwd=1e-10, rtol_grad=1e-9)


@pytest.mark.parametrize("name", INIT_NAMES)
def test_page_tables_equal_a_pass_by_hand(name):
    # The page's float32 tables against the float64 pass: float32 rounding through 13 layers is
    # ~1e-6 relative, checked at 1e-4, except the backward pass where units saturate. There the
    # slope 1 - a² of a unit with a ≈ ±1 is computed from a rounded a, a relative error of
    # ~2^-24/(1 - a²), and the std 1 network has most of its units there, through 11 layers:
    # its gradients agree to 1 % (measured: 0.4 % at layer 1), not to 1e-4.
    n = ns("diagnose_init")
    rtol_grad = 1e-2 if name == "std 1" else 1e-4
    compare_with_manual(n["stats"][name], *manual_pass(n["nets"][name], n["X"], n["y"]), 1e-4, rtol_grad)


@pytest.mark.parametrize("name", INIT_NAMES)
def test_watch_gradients_equal_autograd_and_its_hooks_are_removed(name):
    n = ns("diagnose_init")
    torch.manual_seed(11)
    net = n["mlp"](n["INITS"][name])
    with n["watch"](net) as stats:
        F.cross_entropy(net(n["X"]), n["y"]).backward()
    # the same pass again, with retain_grad on every tanh output: autograd's own .grad tensors
    net.zero_grad()
    h, tanh_outputs = n["X"], []
    for module in net:
        h = module(h)
        if isinstance(module, torch.nn.Tanh):
            h.retain_grad()
            tanh_outputs.append(h)
    F.cross_entropy(h, n["y"]).backward()
    weights = [p for p in net.parameters() if p.dim() > 1]
    for row, p in zip(stats["weights"], weights):
        assert row["grad"] == pytest.approx(p.grad.norm().item(), rel=1e-6)
        assert row["norm"] == pytest.approx(p.norm().item(), rel=1e-6)
    for row, a in zip(stats["activations"], tanh_outputs):
        assert row["grad"] == pytest.approx(a.grad.norm().item(), rel=1e-6)
    # the block removed every hook it added
    assert all(not m._forward_hooks for m in net.modules())
    assert all(not p._backward_hooks for p in net.parameters())


def test_numpy_snippet_agrees_with_watch_on_the_same_weights():
    n, d = ns("watch_numpy"), ns("diagnose_init")
    net = d["mlp"]()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for m, (W, b) in zip(linears, n["params"]):
            m.weight.copy_(torch.from_numpy(W))
            m.bias.copy_(torch.from_numpy(b[:, 0]))
    with d["watch"](net) as stats:
        loss = F.cross_entropy(net(d["X"]), d["y"])
        loss.backward()
    # float32 (PyTorch) against float64 (NumPy) through 13 layers: 1e-4 relative
    assert loss.item() == pytest.approx(n["loss"], rel=1e-5)
    for l, row in enumerate(stats["activations"], start=1):
        a = n["caches"][l - 1][2]
        assert row["std"] == pytest.approx(a.std(ddof=1), rel=1e-4)
        assert row["grad"] == pytest.approx(np.linalg.norm(n["grads"][l][2]), rel=1e-4)
    for l, row in enumerate(stats["weights"], start=1):
        assert row["grad"] == pytest.approx(np.linalg.norm(n["grads"][l - 1][0]), rel=1e-4)


@pytest.mark.parametrize("name", INIT_NAMES)
def test_update_ratio_is_lr_times_gradient_over_weight_for_sgd(name):
    n = ns("diagnose_init")
    lr = 0.1
    torch.manual_seed(12)
    net = n["mlp"](n["INITS"][name])
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    F.cross_entropy(net(n["X"]), n["y"]).backward()
    weights = [p for p in net.parameters() if p.dim() > 1]
    expected = [lr * p.grad.norm().item() / p.norm().item() for p in weights]
    bounds = [2.0**-24 * p.abs().max().item() * p.numel() ** 0.5 for p in weights]
    with ns("update_ratios")["update_ratio"](net) as ratios:
        opt.step()
    # ΔW = -lr g exactly, up to float32 rounding of W - lr g: at most half an ulp of |W| per
    # entry, so the norm of the rounding error is below 2^-24 max|W| √numel.
    for r, e, bound, p in zip(ratios.values(), expected, bounds, weights):
        assert abs(r - e) <= 1e-6 * e + bound / p.norm().item() * (1 + 1e-6)


@pytest.mark.parametrize("name", INIT_NAMES)
def test_adam_first_update_is_lr_times_g_over_abs_g_plus_eps(name):
    n = ns("diagnose_init")
    lr, eps = 1e-3, 1e-8
    torch.manual_seed(13)
    net = n["mlp"](n["INITS"][name])
    opt = torch.optim.Adam(net.parameters(), lr=lr, eps=eps)
    F.cross_entropy(net(n["X"]), n["y"]).backward()
    weights = [p for p in net.parameters() if p.dim() > 1]
    # Adam's first step: m̂ = g and v̂ = g² after bias correction, so ΔW = -lr g / (|g| + eps)
    expected = [lr * (p.grad / (p.grad.abs() + eps)).norm().item() / p.norm().item() for p in weights]
    with ns("update_ratios")["update_ratio"](net) as ratios:
        opt.step()
    np.testing.assert_allclose(list(ratios.values()), expected, rtol=1e-4)


# ------------------------------------------------------------------ the three networks


@pytest.mark.parametrize("shift", SHIFTS)
@pytest.mark.parametrize("name", INIT_NAMES)
def test_activations_follow_the_variance_recursion(name, shift):
    rows = ns("diagnose_init", shift)["stats"][name]["activations"]
    q, std, sat, _ = mean_field(name)
    measured_std = np.array([r["std"] for r in rows])
    measured_sat = np.array([r["saturated"] for r in rows])
    # Width 128: given the layer below, a layer's q is a mean over n = 128 units of per-unit
    # variances; each has relative sd at most √2 (one Gaussian direction) and far less when the
    # layer's inputs vary across examples, so q is off by a few per cent per layer, and the
    # errors do not compound because every recursion here contracts toward its fixed point:
    # 10 % on the std. The default's floor is different: there a[l] hardly depends on the input,
    # so the std over all entries is the spread over 128 units of one vector b + w·a, with
    # Var(b) = 2q/3 (uniform, kurtosis 9/5) and Var(w·a) = q/3 (normal): E[x⁴] = 2.47 q², so q
    # has relative sd √(1.47/128) ≈ 11 %, the std half that, and 5 sd ≈ 27 %: 30 % from layer 5.
    rtol = np.where(np.arange(12) >= 4, 0.30, 0.10) if name == "PyTorch default" else 0.10
    assert np.all(np.abs(measured_std / np.array(std) - 1) < rtol), (measured_std, std)
    # The saturated fraction of a layer averages the units' fractions; units are independent
    # given the layer below, so its sd is at most √(p(1-p)/n). Averaged over the 11 layers
    # 2..12 the sd is at most √(p(1-p)/(11 n)); 5 of those, plus 5 per cent of the fraction
    # itself for the ~1 % error of q fed through erfc.
    p = np.mean(sat[1:])
    tol = 5 * math.sqrt(p * (1 - p) / (11 * 128)) + 0.05 * p
    assert abs(np.mean(measured_sat[1:]) - p) < tol + 1e-4
    # layer 1 alone: its inputs are the data, whose E[x²] is 1 up to 32 x 256 draws
    assert abs(measured_sat[0] - sat[0]) < 5 * math.sqrt(sat[0] * (1 - sat[0]) / 128) + 0.05 * sat[0] + 1e-4


@pytest.mark.parametrize("shift", SHIFTS)
def test_the_texts_claims_about_each_network(shift):
    n = ns("diagnose_init", shift)
    q_d, std_d, sat_d, _ = mean_field("PyTorch default")
    # default: the bias floor q = q/3 + 1/(3n) -> 1/(2n) = 1/256, a std of 1/16 (tanh ~ linear)
    assert q_d[-1] == pytest.approx(1 / 256, rel=0.01) and std_d[-1] == pytest.approx(1 / 16, rel=0.01)
    stds = [r["std"] for r in n["stats"]["PyTorch default"]["activations"]]
    assert all(b < a for a, b in zip(stds[:6], stds[1:6]))  # falls for six layers
    # layers 7..12 are six nearly independent draws of the floor (the recursion contracts by 1/3
    # per layer): their mean std has relative sd ≈ 5.4 %/√6 ≈ 2.2 %, and 5 sd is 11 %
    floor = np.mean(stds[6:])
    assert floor == pytest.approx(1 / 16, rel=0.11) and n["std_default"] == pytest.approx(1 / 16, rel=0.30)
    assert all(r["saturated"] == 0 for r in n["stats"]["PyTorch default"]["activations"][1:])
    # std 1: most units saturated, and the variance of z more than 100 (theory: 128 E[tanh²])
    q_s, _, sat_s, _ = mean_field("std 1")
    assert min(q_s[1:]) > 100 and n["sat_std1"] > 0.7 and sat_s[-1] > 0.7
    # LeCun with gain 5/3: the hidden layers' E[a²] is about 0.4, so layer 1 (E[x²] = 1) has more
    _, std_l, _, _ = mean_field("LeCun, gain 5/3")
    assert 0.35 < std_l[-1] ** 2 < 0.45 and n["sat1_lecun"] > 3 * n["sat_lecun"]
    # the figure's caption: LeCun keeps the weight gradients within a small factor (here < 3)
    grads = [r["grad"] for r in n["stats"]["LeCun, gain 5/3"]["weights"]]
    assert max(grads) / min(grads) < 3
    assert n["spread_default"] < 0.05 and n["spread_std1"] > 1e3


@pytest.mark.parametrize("shift", SHIFTS)
@pytest.mark.parametrize("name", INIT_NAMES)
def test_gradient_changes_by_the_mean_field_factor_per_layer(name, shift):
    n = ns("diagnose_init", shift)
    down = dict(zip(INIT_NAMES, (n["down_default"], n["down_lecun"], n["down_std1"])))[name]
    _, _, _, chi = mean_field(name)
    # ‖dL/da[l-1]‖² ≈ χ[l] ‖dL/da[l]‖² for l = 12 .. 2: the per-layer factor is the geometric
    # mean of √χ over those 11 layers. Each factor's squared norm ratio has relative variance at
    # most 2/n (a chi-square with n = 128 degrees of freedom for one gradient direction; a batch
    # averages over directions), so the log of the product of 11 norm ratios has sd at most
    # √(11 · 2/n) / 2 ≈ 0.21; 5 of those, shared over 11 factors, is 9 % per layer.
    theory = math.exp(np.mean(np.log(chi[1:])) / 2)
    assert abs(math.log(down / theory)) < 5 * math.sqrt(11 * 2 / 128) / 2 / 11
    if name == "PyTorch default":  # close to 1/√3: n Var(w) = 1/3 and tanh' ≈ 1
        assert theory == pytest.approx(1 / math.sqrt(3), rel=0.02)


def test_lecun_gradient_factor_matches_the_gains_page():
    # the page quotes √χ* from initialisation_variants/tanh_gain_theory.py next to this network's
    _, _, _, chi = mean_field("LeCun, gain 5/3")
    sqrt_chi_star = run_snippet("initialisation_variants/tanh_gain_theory.py").namespace["sqrt_chi_star_53"]
    assert math.sqrt(chi[-1]) == pytest.approx(sqrt_chi_star, rel=0.01)
    assert sqrt_chi_star**11 < 3  # "over the 11 steps from layer 12 down to layer 1 ... less than 3"


def test_diagnosis_figure_shows_the_tables():
    n = ns("plot_diagnosis")
    stats = ns("diagnose_init")["stats"]
    ax_a, ax_g = n["fig"].axes
    for ax in (ax_a, ax_g):
        assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
    for line, name in zip(ax_a.get_lines(), INIT_NAMES):
        np.testing.assert_allclose(line.get_ydata(), [r["std"] for r in stats[name]["activations"]])
    for line, name in zip(ax_g.get_lines(), INIT_NAMES):
        np.testing.assert_allclose(line.get_ydata(), [r["grad"] for r in stats[name]["weights"]])
        assert list(line.get_xdata()) == list(range(1, 14))


# ------------------------------------------------------------------ the loss at initialisation


def test_log_c_and_the_zero_last_layer_exactly():
    n = ns("initial_loss")
    assert n["log_C"] == math.log(10)
    # every logit is the bias, 0: the loss is log C up to float32 rounding of log and mean
    assert abs(n["loss_zero"] - math.log(10)) <= 4 * np.spacing(np.float32(math.log(10)))


def test_frullani_integral_against_the_expansions():
    # the second method itself: small s, log C + s²(C-1)/(2C); large s, s E[max Z] + small
    assert expected_lse(0.05) == pytest.approx(math.log(10) + 0.05**2 * 9 / 20, rel=1e-6)
    e_max, _ = quad(lambda x: x * 10 * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) * special.ndtr(x) ** 9, -12, 12)
    assert 0 < expected_lse(30.0) - 30 * e_max < 0.2  # lse - max is in [0, log C], small here
    assert 1.45 < e_max < 1.55  # "E[max Z_k] is about 1.5 for C = 10"


def last_layer_scatter(n, sigma, draws=1000, seed=0):
    """The snippet's hidden activations A (N x 128) with a fresh N(0, σ²) last layer, many
    times: the batch loss for each draw, in float64."""
    with torch.no_grad():
        A = n["net"][:-1](n["X"]).double()
    gen = torch.Generator().manual_seed(seed)
    W = sigma * torch.randn(draws, 10, A.shape[1], generator=gen, dtype=torch.float64)
    logits = torch.einsum("kcn,in->kic", W, A)
    label = n["y"].view(1, -1, 1).expand(draws, -1, 1)
    return (torch.logsumexp(logits, 2) - logits.gather(2, label).squeeze(2)).mean(1).numpy(), A


@pytest.mark.parametrize("shift", SHIFTS)
def test_large_last_layer_loss_matches_random_logit_theory(shift):
    n = ns("initial_loss", shift)
    losses, A = last_layer_scatter(n, sigma=1.0)  # the std 1 last layer
    # Given the hidden activations a_i, example i's logits are iid N(0, ‖a_i‖²) over the draw of
    # the last layer, and its label does not depend on that draw: E[loss_i] = F(‖a_i‖) with F
    # the Frullani integral. F is smooth, so a cubic through 7 points spans the s_i.
    s_i = A.norm(dim=1).numpy()
    grid = np.linspace(s_i.min(), s_i.max(), 7)
    theory = np.mean(np.polyval(np.polyfit(grid, [expected_lse(s) for s in grid], 3), s_i))
    sd = losses.std(ddof=1)
    # the theory is the mean of the redraws (5 standard errors of that mean) ...
    assert abs(losses.mean() - theory) < 5 * sd / math.sqrt(len(losses))
    # ... and the page's one network lies within 5 sd of the redraws' scatter around it
    assert abs(n["loss_std1"] - theory) < 5 * sd
    assert n["loss_std1"] > 3 * math.log(10)  # "several times log C"
    # the snippet's E[loss] column: its Monte Carlo mean of 10^5 draws within 5 standard errors
    # (sd of lse(sZ) < s) of the integral at the same s
    for name in ("std 1", "LeCun, gain 5/3"):
        s = n["logit_std"][name]
        assert abs(n["expected"][name] - expected_lse(s)) < 5 * s / math.sqrt(100_000)


@pytest.mark.parametrize("shift", SHIFTS[:2])
def test_lecun_last_layer_loss_matches_random_logit_theory(shift):
    n = ns("initial_loss", shift)
    sigma = (5 / 3) / math.sqrt(128)  # kaiming_normal_ with the tanh gain, fan-in 128
    losses, A = last_layer_scatter(n, sigma=sigma)
    s_i = sigma * A.norm(dim=1).numpy()
    grid = np.linspace(s_i.min(), s_i.max(), 5)
    theory = np.mean(np.polyval(np.polyfit(grid, [expected_lse(s) for s in grid], 3), s_i))
    sd = losses.std(ddof=1)
    assert abs(losses.mean() - theory) < 5 * sd / math.sqrt(len(losses))
    assert abs(n["loss_lecun"] - theory) < 5 * sd
    # "a little above log C, as the small-s formula says": s ≈ 1 adds about s²(C-1)/(2C)
    assert 0 < theory - math.log(10) < 0.6 * np.mean(s_i**2)


@pytest.mark.parametrize("shift", SHIFTS)
def test_small_last_layer_and_default_net_start_near_log_c(shift):
    n = ns("initial_loss", shift)
    # last layer x 0.01: logits N(0, s²) with s ≈ 0.01; the loss is log C + O(s) (a first-order
    # term from the labels, sd ≤ s·√2 even if all examples move together) + O(s²)
    s = n["logit_std"]["LeCun x 0.01"]
    assert abs(n["loss_small"] - math.log(10)) < 5 * s * math.sqrt(2) + s**2
    # The default network: its hidden layers sit at the bias floor, so its logits are nearly one
    # vector c for every input (checked: the spread across examples is a small part of c's).
    # Then loss - log C = [lse(c) - log C - c̄] + Σ_k (1/C - p_k) c_k, p the label frequencies:
    # the first term is (C-1)s²/(2C) to leading order (s the sd of c's entries), the second is
    # N(0, s² ‖1/C - p‖²) over the draw of the last layer's bias and weights (its entries are
    # independent with variance s²). Five of its sd, plus the spread's own first-order effect.
    d = ns("diagnose_init", shift)
    with torch.no_grad():
        logits = d["nets"]["PyTorch default"](d["X"]).double()
    c = logits.mean(0)
    s_c = c.std().item()
    spread = (logits - c).abs().max().item()
    assert spread < 0.1 * s_c * math.sqrt(10)
    p = torch.bincount(d["y"], minlength=10).double() / len(d["y"])
    bound = 0.45 * s_c**2 + 5 * s_c * (p - 0.1).norm().item() + 2 * spread
    assert abs(d["loss_default"] - math.log(10)) < bound
    assert bound < 0.06  # "within a few hundredths of log C"


# ------------------------------------------------------------------ the zero last layer


@pytest.mark.parametrize("shift", SHIFTS)
def test_zero_last_layer_blocks_every_gradient_below_it_at_the_start(shift):
    n = ns("zero_last_layer", shift)
    g0, g1 = n["grads"]["zero"][0], n["grads"]["zero"][1]
    # dL/da[L-1] = W[L]ᵀ dL/dz[L] = 0 exactly, so every gradient below is an exact 0.0
    assert all(g == 0.0 for g in g0[:-1]) and g0[-1] > 0
    assert all(g > 0 for g in g1)  # after one update W[L] = -lr dL/dW[L] is not 0
    # after one update, W[L] has norm lr ‖dL/dW[L]‖ ≈ 0.06 against ≈ 5.3 for the LeCun head
    # ((5/3)/√128 · √1280): about 1 %; the gradient into the layers below is linear in W[L],
    # and the first update is aligned with the error signal, so allow 20 % rather than 1 %
    assert n["grad1_zero"] < 0.2 * n["grad1_lecun"]
    assert n["loss10_zero"] > n["loss10_lecun"] + 0.5  # "still ... against ..." after 10 updates
    assert n["losses"]["zero"][0] == pytest.approx(math.log(10), abs=4e-6)


def test_small_last_layer_trains_like_the_zero_one():
    # "A last layer scaled down by 0.01 behaves almost the same, without the exact zeros": the
    # same hidden layers (the snippet's seed), last layer x 0.01, the same 10 SGD updates
    z = ns("zero_last_layer")
    torch.manual_seed(3)
    net = z["mlp"](z["INITS"]["LeCun, gain 5/3"])
    with torch.no_grad():
        net[-1].weight.mul_(0.01)
    losses = []
    for t in range(11):
        net.zero_grad()
        loss = F.cross_entropy(net(z["X"]), z["y"])
        loss.backward()
        if t == 0:
            assert all(p.grad.norm() > 0 for p in net.parameters() if p.dim() > 1)
        losses.append(loss.item())
        with torch.no_grad():
            for p in net.parameters():
                p -= 0.1 * p.grad
    # the head's own weights are 1 % of the LeCun head's: they change the loss curve by a few
    # per cent of the zero head's distance from log C, far less than the gap to the LeCun head
    assert abs(losses[10] - z["loss10_zero"]) < 0.1 * (z["loss10_zero"] - z["loss10_lecun"])


def test_zero_last_layer_gradient_equals_the_closed_form():
    # With W[L] = 0 and b[L] = 0 the softmax is 1/C for every example, so
    # dL/dW[L] = (1/N) (1/C - onehot(y))ᵀ A, with A the last hidden activations.
    d = ns("diagnose_init")
    torch.manual_seed(14)
    net = d["mlp"](d["INITS"]["LeCun, gain 5/3"])
    torch.nn.init.zeros_(net[-1].weight)
    with d["watch"](net) as stats:
        F.cross_entropy(net(d["X"]), d["y"]).backward()
    with torch.no_grad():
        A = net[:-1](d["X"]).double().numpy()
    onehot = np.eye(10)[d["y"].numpy()]
    closed = (1 / 10 - onehot).T @ A / len(A)
    assert stats["weights"][-1]["grad"] == pytest.approx(np.linalg.norm(closed), rel=1e-5)
    assert all(row["grad"] == 0.0 for row in stats["weights"][:-1])


# ------------------------------------------------------------------ update ratios


@pytest.mark.parametrize("shift", SHIFTS)
def test_update_ratio_patterns(shift):
    n = ns("update_ratios", shift)
    default, lecun, std1 = (r[0] for r in n["ratios"].values())
    # Orders of magnitude, which is all the page claims. Default: layers 1..6 far below 1e-3
    # (the text: about 1e-5); a learning rate 100x larger puts layer 1 near 1e-3 (within 3x)
    assert max(default[:6]) < 1e-4 and 3e-4 < 100 * n["r1_default"] < 3e-3
    assert n["r13_default"] > 30 * n["r1_default"]
    # std 1: the first update is larger than layer 1's weights
    assert n["r1_std1"] > 5
    # LeCun with gain 5/3: every layer "within about an order of magnitude above 1e-3" (< 30x)
    assert 1e-3 < n["lecun_min"] and n["lecun_max"] < 3e-2
    assert n["lecun20_hidden_max"] < 1e-3
    # the losses: the default's output hardly depends on its input (its lower layers do not
    # move), so it can reach at best the best constant prediction, the entropy of the class
    # frequencies (Gibbs; exercise 2), which it approaches as its top layers learn them
    freq = torch.bincount(n["y"], minlength=10).double() / len(n["y"])
    entropy = -(freq * freq.log()).sum().item()
    assert entropy - 0.01 < n["loss19_default"] < n["loss0_default"]
    assert n["loss19_std1"] > 3 * math.log(10)
    assert n["loss19_lecun"] < n["loss0_lecun"] / 5


def test_update_ratio_figure_shows_the_ratios():
    n = ns("plot_update_ratios")
    u = ns("update_ratios")
    ax_r, ax_l = n["fig"].axes
    assert ax_r.get_yscale() == "log" and ax_l.get_yscale() == "log"
    lines = ax_r.get_lines()
    for i, r in enumerate(u["ratios"].values()):
        np.testing.assert_allclose(lines[2 * i].get_ydata(), r[0])
        np.testing.assert_allclose(lines[2 * i + 1].get_ydata(), r[-1])
    rule = [line for line in lines if line.get_label() == "1e-3"]
    assert len(rule) == 1 and set(rule[0].get_ydata()) == {1e-3}
    for line, v in zip(ax_l.get_lines(), u["losses"].values()):
        np.testing.assert_allclose(line.get_ydata(), v)


# ------------------------------------------------------------------ exercises


def test_adam_exercise_ratio_is_lr_over_rms_of_w():
    n = ns("exercise_adam_ratio")
    # ΔW = -lr g/(|g| + eps) moves each entry by lr |g|/(|g| + eps) ≤ lr: ‖ΔW‖ ≤ lr √numel (up
    # to float32 rounding of W + ΔW, 1e-4 here), with equality but for the entries whose |g| is
    # within a few eps. The LeCun and std 1 networks' gradient entries are far above eps = 1e-8:
    # 0.1 %. The default's are ~1e-6 and below, and a share of them is near eps: 1 %.
    for name in INIT_NAMES:
        ratio, predicted = np.array(n["ratios"][name]), n["LR"] / np.array(n["rms_w"][name])
        assert np.all(ratio <= predicted * (1 + 1e-4))
        np.testing.assert_allclose(ratio, predicted, rtol=1e-2 if name == "PyTorch default" else 1e-3)
    assert n["ratios"]["std 1"][0] == pytest.approx(1e-3, rel=0.05)  # RMS(W) = 1 ± sampling


def test_imbalanced_bias_gives_the_entropy():
    n = ns("exercise_imbalanced")
    freq = np.array([96, 48, 32, 24, 16, 12, 10, 8, 6, 4]) / 256
    entropy = -np.sum(freq * np.log(freq))
    assert n["loss_zero_bias"] == pytest.approx(math.log(10), abs=4e-6)
    assert n["loss_log_freq"] == pytest.approx(entropy, abs=4e-6)
    assert n["entropy"] == pytest.approx(entropy, abs=4e-6)
    # Gibbs: any other constant prediction softmax(b) gives a larger loss
    rng = np.random.default_rng(0)
    for _ in range(100):
        b = np.log(freq) + rng.normal(0, 0.3, 10)
        log_softmax = b - np.log(np.sum(np.exp(b)))
        assert -np.sum(freq * log_softmax) > entropy


@pytest.mark.parametrize("shift", SHIFTS)
def test_unnormalised_inputs_saturate_layer_one(shift):
    n = ns("exercise_unnormalised", shift)
    # normalised: z ~ N(0, 25/9) in layer 1; mean 3: E[x²] = 10, so z ~ N(0, 250/9) over the
    # draw of the weights. The fraction averages 128 units, independent given the inputs: its sd
    # is at most the sd of one unit's fraction, √(Var_unit)/√128. With the shared mean, unit j's
    # z is μ_j + ε with μ_j = 3 Σ_k w_jk ~ N(0, 25) fixed and ε ~ N(0, 25/9): Var_unit is the
    # variance over μ of P(|μ + ε| > z*), computed here; for the normalised inputs it is at most
    # p(1 - p).
    p_norm = special.erfc(Z_SAT / math.sqrt(2 * 25 / 9))
    p_raw = special.erfc(Z_SAT / math.sqrt(2 * 250 / 9))
    sd_e = math.sqrt(25 / 9)

    def unit_p(mu):
        return special.ndtr((-Z_SAT - mu) / sd_e) + special.ndtr((mu - Z_SAT) / sd_e)

    mean_p = quad(lambda m: unit_p(m) * math.exp(-m * m / 50) / math.sqrt(50 * math.pi), -60, 60)[0]
    var_p = quad(lambda m: (unit_p(m) - mean_p) ** 2 * math.exp(-m * m / 50) / math.sqrt(50 * math.pi), -60, 60)[0]
    assert mean_p == pytest.approx(p_raw, rel=1e-6)  # the same marginal, two ways
    assert abs(n["sat1_raw"] - p_raw) < 5 * math.sqrt(var_p / 128) + 0.01
    assert abs(n["sat1_normalised"] - p_norm) < 5 * math.sqrt(p_norm * (1 - p_norm) / 128) + 0.01
    # the deeper layers hardly change: from layer 4 on within 2 points of the normalised run
    raw, norm = n["saturated"]["mean 3"], n["saturated"]["normalised"]
    assert max(abs(a - b) for a, b in zip(raw[3:], norm[3:])) < 0.02
