"""Tests for docs/exercises.md: each init bug's measured consequence against theory.

Every statistical check runs the snippet under several seeds (``run_snippet(...,
seed_shift=k)``) with a tolerance derived from the sampling distribution; every expected
value is a closed form written here, a second numerical method (scipy quadrature) or PyTorch.
"""

import math
import re

import numpy as np
import pytest
from pages import DOCS, includes
from scipy import integrate
from snippet_runs import run_snippet

SEEDS = range(1, 5)  # seed_shift values: four independent draws besides the page's own


def relu_walk_decades(n, depth, sigmas=4.0, kurtosis=3.0):
    """Band (in decades of an RMS) for `depth` ReLU layers of width n at finite width.

    Given the previous layer, E[a²] of the next is a mean over n units of m·g², with g the
    unit's pre-activation and m = 1[g > 0]; by the sign symmetry of zero-mean weights,
    E[m g²] = E[g²]/2 and E[m g⁴] = E[g⁴]/2, so the per-layer ratio has relative variance
    (2κ - 1)/n, κ = E[g⁴]/E[g²]² (3 for a Gaussian g; a uniform-weight sum has κ ≤ 3). For a
    single input row this is exact; a batch can only average it down, so it is an upper
    bound. ln E[a²] is then a sum of `depth` such ratios: mean drift -depth·v/2 (v = per-layer
    relative variance, from E[ln r] ≈ ln E[r] - v/2) and standard deviation √(depth·v). The
    band allows the drift plus `sigmas` standard deviations, halved and in log10 for an RMS.
    """
    v = (2 * kurtosis - 1) / n
    return (depth * v / 2 + sigmas * math.sqrt(depth * v)) / 2 / math.log(10)


def assert_within_decades(measured, theory, decades):
    assert abs(math.log10(measured / theory)) < decades, (measured, theory, decades)


def printed_theory(stdout, label):
    """The number printed after `label` (the snippet's own theory column)."""
    match = re.search(re.escape(label) + r"\s*([-+0-9.e]+)", stdout)
    assert match, (label, stdout)
    return float(match[1])


@pytest.mark.parametrize("k", SEEDS)
def test_he_missing_factor_two_halves_second_moment_per_layer(k):
    result = run_snippet("exercises/he_missing_factor_two.py", seed_shift=k)
    ns = result.namespace
    n, depth = ns["n"], ns["depth"]
    assert (n, depth) == (256, 50)
    band = relu_walk_decades(n, depth)  # ≈ 0.97 decades at n = 256, 50 layers
    # Var(w) = 1/n: E[a²] halves per ReLU layer, RMS 2^(-25); He: Var(w) = 2/n keeps it at 1.
    assert ns["theory_bug"] == 2.0**-25
    assert_within_decades(ns["rms_bug"], 2.0**-25, band)
    assert_within_decades(ns["rms_fix"], 1.0, band)
    # The printed theory is the closed form, to the 3 digits printed.
    np.testing.assert_allclose(printed_theory(result.stdout, "theory 2^-25 ="), 2.0**-25, rtol=2e-3)


@pytest.mark.parametrize("k", SEEDS)
def test_uniform_missing_sqrt3_thirds_second_moment_per_layer(k):
    result = run_snippet("exercises/uniform_missing_sqrt3.py", seed_shift=k)
    ns = result.namespace
    band = relu_walk_decades(ns["n"], ns["depth"])
    # Var(U(±√(2/n))) = (2/n)/3; through ReLU E[a²] gains n·Var/2 = 1/3 per layer.
    assert ns["theory_bug"] == pytest.approx(3.0**-25, rel=1e-14)
    assert_within_decades(ns["rms_bug"], 3.0**-25, band)
    assert_within_decades(ns["rms_fix"], 1.0, band)
    np.testing.assert_allclose(printed_theory(result.stdout, "theory 3^-25 ="), 3.0**-25, rtol=2e-3)


def gaussian_mean(f, var):
    """E[f(h)] for h ~ N(0, var), by adaptive quadrature (not the snippets' Gauss–Hermite)."""
    s = math.sqrt(var)
    return integrate.quad(lambda z: f(s * z) * math.exp(-z * z / 2), -40, 40,
                          epsabs=1e-13, epsrel=1e-12, limit=400)[0] / math.sqrt(2 * math.pi)


def tanh_trajectory(var_w_times_n, depth, q0=1.0):
    """Mean-field E[a²] after each tanh layer: q ← σ²·E[tanh(h)²], h ~ N(0, σ²·q)."""
    q, out = q0, []
    for _ in range(depth):
        q = gaussian_mean(lambda h: math.tanh(h) ** 2, var_w_times_n * q)
        out.append(q)
    return np.array(out)


@pytest.mark.parametrize("k", SEEDS)
def test_std_vs_variance_consequences(k):
    ns = run_snippet("exercises/std_vs_variance.py", seed_shift=k).namespace
    n, depth, batch = ns["n"], ns["depth"], 32
    right, var_as_std, misread = list(ns["scales"])
    assert (n, depth) == (256, 50)
    np.testing.assert_allclose(ns["scales"][right] ** 2, 1 / n, rtol=1e-12)
    np.testing.assert_allclose(ns["scales"][var_as_std] ** 2, 1 / n**2, rtol=1e-12)
    np.testing.assert_allclose(ns["scales"][misread] ** 2, 1 / math.sqrt(n), rtol=1e-12)
    # Var(w) = 1/n²: tanh is linear at this scale, so the std shrinks by √(n·Var) = 1/√n per
    # layer: n^(-depth/2). A Gaussian linear layer multiplies the mean square by a ratio of
    # relative variance at most 2/n (a χ²_n over n for one row; a batch only averages it),
    # so over 50 layers ln E[a²] has sd ≤ √(2·50/n) = 0.63 and drift ≥ -50/n = -0.2: in
    # decades of a std, 5 sd + drift = (5·0.63 + 0.2)/2/ln 10 = 0.73.
    band = (5 * math.sqrt(2 * depth / n) + depth / n) / 2 / math.log(10)
    assert_within_decades(ns["final_std"][var_as_std], n ** (-depth / 2), band)
    assert ns["saturated"][var_as_std] == 0
    # Var(w) = 1/√n, n·Var = 16: the infinite-width fixed point of q ← 16·E[tanh(√q z)²].
    q = tanh_trajectory(16.0, depth)[-1]  # E[a²] at depth 50 (converged within a few layers)
    # Finite width: E[a²] is a mean of tanh² over n units × 32 rows. At n·Var = 16 the map
    # drives the correlation between different inputs to 0 (tanh is odd, no bias), so the
    # 8192 values are close to independent; the relative sd of their mean is
    # √(Var(tanh²)/E[tanh²]²/8192). The map's slope at q* damps what earlier layers add:
    # stationary variance ≤ per-layer variance/(1 - λ²), λ = d q_next/d q at q*.
    e2 = q
    e4 = gaussian_mean(lambda h: math.tanh(h) ** 4, 16.0 * q)
    per_layer = (e4 - e2**2) / e2**2 / (n * batch)
    dq = 1e-4 * q
    lam = (gaussian_mean(lambda h: math.tanh(h) ** 2, 16.0 * (q + dq)) - q) / dq
    rel_sd_std = math.sqrt(per_layer / (1 - lam**2)) / 2  # std = √E[a²]: half the relative sd
    # Allow 5 of those, and double it for the rows' residual correlation (order 1/√n each).
    np.testing.assert_allclose(ns["final_std"][misread], math.sqrt(q), rtol=10 * rel_sd_std)
    # Saturated fraction: P(|h| > atanh 0.99), h ~ N(0, 16 q). Binomial sd over the 8192 values
    # √(p(1-p)/8192) ≈ 0.0055; allow 5 of them, widened by 1.2 for residual correlations.
    p_sat = math.erfc(math.atanh(0.99) / math.sqrt(2 * 16.0 * q))
    assert abs(ns["saturated"][misread] - p_sat) < 5 * 1.2 * math.sqrt(p_sat * (1 - p_sat) / 8192)
    # The right scale (gain-1 tanh) shrinks slowly: compare with the mean-field trajectory.
    # At gain 1 the relative fluctuations of E[a²] are damped by (1 - 1/l) per layer (the map
    # q - 2q² near q = 0), so after L layers their variance is ≤ Σ_l (2/n)(l/L)² ≈ 2L/(3n)
    # for one row (χ² bound, 2/n per layer): sd 0.36 in E[a²], 0.18 in the std. Allow 5.
    gain_one = math.sqrt(tanh_trajectory(1.0, depth)[-1])
    assert abs(math.log(ns["final_std"][right] / gain_one)) < 5 * math.sqrt(2 * depth / (3 * n)) / 2


SPLIT_SNIPPET = "exercises/nn_linear_default_numpy.py"


@pytest.mark.parametrize("k", SEEDS)
def test_torch_linear_default_floor_and_vanishing_nudge(k):
    result = run_snippet(SPLIT_SNIPPET, seed_shift=k)
    ns = result.namespace
    n, depth = ns["n"], ns["depth"]
    assert (n, depth) == (256, 50)
    # Weight and bias U(±1/√n): Var(z) = E[a²]/3 + 1/(3n); z is symmetric, so ReLU keeps
    # half: E[a²] ← E[a²]/6 + 1/(6n), exactly in expectation at any width (each unit's z is
    # symmetric given the previous layer). Fixed point 1/(5n).
    floor = math.sqrt(1 / (5 * n))
    # Fluctuation of the last layer's mean square around the fixed point: a mean over n
    # independent units of relu(z)², relative variance 2κ_z - 1 with κ_z the kurtosis of z.
    # z = (uniform bias, variance 1/(3n)) + (≈ Gaussian w·a, variance E[a²]/3 = 1/(15n)): its
    # fourth cumulant is the uniform's, -6/5·(1/(3n))², so κ_z = 3 - 6/5·(5/6)² = 13/6. The
    # previous layer's fluctuation enters with weight 1/6 (factor 1 + 1/36). All 32 rows share
    # the floor (their difference is the vanishing nudge), so n values, not 32·n.
    kappa_z = 3 - 6 / 5 * (5 / 6) ** 2
    rel_sd_ms = math.sqrt((2 * kappa_z - 1) / n * (1 + 1 / 36))
    rel_sd_rms = rel_sd_ms / 2  # ≈ 0.058
    np.testing.assert_allclose(ns["rms_default"][-1], floor, rtol=5 * rel_sd_rms)
    # The floor is reached within a few layers: by layer 10 the input's share is 6^-10 of it.
    np.testing.assert_allclose(ns["rms_default"][9:], floor, rtol=5 * rel_sd_rms)
    # The nudge (Jacobian times v): t ← 1[z > 0]·(W t). E[(Wt)²] = E[t²]/3 and, by the sign
    # symmetry, the mask keeps exactly half in expectation: ×1/6 per layer, 6^-25 in RMS.
    # Per-layer relative variance as for a ReLU layer (Gaussian Wt, κ = 3).
    assert_within_decades(ns["nudge_default"][-1], 6.0**-25, relu_walk_decades(n, depth))
    # He weights, default bias: E[a²] ← E[a²] + 1/(6n) in expectation: 1 + 50/(6n) at the end;
    # the nudge keeps its mean square (×2·½ per layer).
    assert_within_decades(ns["rms_kaiming"][-1], math.sqrt(1 + depth / (6 * n)),
                          relu_walk_decades(n, depth))
    assert_within_decades(ns["nudge_kaiming"][-1], 1.0, relu_walk_decades(n, depth))
    # The printed theory: 1/√(5n) and 6^-25, against the closed forms.
    np.testing.assert_allclose(printed_theory(result.stdout, "1/√(5n) ="), floor, atol=0.5e-4)  # 4 decimals
    np.testing.assert_allclose(printed_theory(result.stdout, "6^-25 ="), 6.0**-25, rtol=2e-3)
    np.testing.assert_allclose(ns["nudge_theory"], 6.0**-25, rtol=1e-14)


def torch_default_relu_stack(torch, n, depth, bias=True):
    layers = []
    for _ in range(depth):
        layers += [torch.nn.Linear(n, n, bias=bias), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers)


# torch's forward-mode AD registers its decompositions with torch.jit.script, which warns in
# torch 2.13 (a library-internal DeprecationWarning, nothing this test does).
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_torch_linear_default_in_pytorch():
    """PyTorch itself: a 50-layer stack of default nn.Linear + ReLU, width 256."""
    torch = pytest.importorskip("torch")
    n, depth, nets = 256, 50, 8
    floor = math.sqrt(1 / (5 * n))
    mean_squares, log_nudges, log_grads, log_nobias = [], [], [], []
    for seed in range(nets):
        torch.manual_seed(1000 + seed)
        net = torch_default_relu_stack(torch, n, depth).double()  # float64 copies of the draws
        x = torch.randn(32, n, dtype=torch.float64)
        v = torch.randn(32, n, dtype=torch.float64)
        out, nudge = torch.func.jvp(net, (x,), (v,))  # forward-mode: J v, no rounding floor
        u = torch.randn(32, n, dtype=torch.float64)
        _, vjp = torch.func.vjp(net, x)
        (grad_x,) = vjp(u)  # backward: Jᵀ u, the gradient at the input for output gradient u
        mean_squares.append(out.pow(2).mean().item())
        log_nudges.append(math.log10(nudge.pow(2).mean().sqrt().item()))
        log_grads.append(math.log10(grad_x.pow(2).mean().sqrt().item()))
        no_bias = torch_default_relu_stack(torch, n, depth, bias=False).double()
        log_nobias.append(math.log10(no_bias(x).pow(2).mean().sqrt().item()))
    # E[mean square] = 1/(5n) exactly in expectation (see the NumPy test). One net's relative
    # sd is √((2κ_z - 1)/n·(1 + 1/36)) ≈ 0.116; the mean of 8 nets: ≈ 0.041. Allow 5 sd.
    kappa_z = 3 - 6 / 5 * (5 / 6) ** 2
    rel_sd = math.sqrt((2 * kappa_z - 1) / n * (1 + 1 / 36) / nets)
    np.testing.assert_allclose(np.mean(mean_squares), floor**2, rtol=5 * rel_sd)
    # REFERENCE.md: torch 2.13 gives 0.026 at width 256, 50 layers (one draw): inside 5 sd of
    # one net's RMS (0.058 relative each).
    assert abs(0.026 / floor - 1) < 5 * rel_sd * math.sqrt(nets) / 2
    # The input-dependent part: forward nudge and backward gradient both ~ 6^-25 (mean of
    # log10 over 8 nets: sd of one ≤ 0.21 decades, of the mean ≤ 0.08; drift ≤ 0.11).
    band = relu_walk_decades(n, depth) / math.sqrt(nets) + 0.11
    assert abs(np.mean(log_nudges) + 25 * math.log10(6)) < band
    assert abs(np.mean(log_grads) + 25 * math.log10(6)) < band
    # Without biases the whole output vanishes like 6^-25 (the page's contrast case).
    assert abs(np.mean(log_nobias) + 25 * math.log10(6)) < band


@pytest.mark.parametrize("k", SEEDS)
def test_transposed_fan_ratio_is_exact(k):
    ns = run_snippet("exercises/transposed_fan.py", seed_shift=k).namespace
    widths = ns["widths"]
    assert widths == [784, 512, 256, 128, 64]
    expected = np.cumprod([784 / 512, 512 / 256, 256 / 128, 128 / 64])
    # Same draws, weights scaled by √(n_in/n_out) per layer, and ReLU is positively
    # homogeneous: the ratio is exact up to rounding.
    np.testing.assert_allclose(ns["bug"] / ns["right"], expected, rtol=1e-10)
    np.testing.assert_allclose(ns["ratio_at_output"], 784 / 64, rtol=1e-10)
    # The correct init keeps E[a²] ≈ 1. Each layer's E[a²] is a mean over its n_l units of
    # u_i = mean over the 2000 rows of relu(z_i)², and the units are independent given the
    # previous layer. For layers 2-4 the input is a ReLU output whose mean vector reaches
    # unit i as one Gaussian offset m_i of variance q/π (E[relu]² / E[relu²] = 1/π), the rest
    # (variance q(1 - 1/π)) averages over the 2000 rows: u(m) = E[relu(m + sε)²]. Its
    # relative variance over m, divided by n_l, is each layer's; layer 1 (zero-mean inputs)
    # adds only the row average, ≤ 5/(2000·512).
    s2, m2 = 1 - 1 / math.pi, 1 / math.pi

    def u(m):
        s = math.sqrt(s2)
        return (m * m + s2) * 0.5 * math.erfc(-m / s / math.sqrt(2)) + m * s * math.exp(
            -m * m / (2 * s2)) / math.sqrt(2 * math.pi)

    e1 = gaussian_mean(u, m2)
    e2 = gaussian_mean(lambda m: u(m) ** 2, m2)
    v = e2 / e1**2 - 1
    np.testing.assert_allclose(e1, 0.5, rtol=1e-9)  # E[relu(z)²] = q/2, a check on u
    rel_var = 5 / (2000 * 512) + v * (1 / 256 + 1 / 128 + 1 / 64)
    np.testing.assert_allclose(ns["right"][-1], 1.0, rtol=5 * math.sqrt(rel_var))


@pytest.mark.parametrize("k", SEEDS)
def test_unnormalised_pixels(k):
    result = run_snippet("exercises/unnormalised_pixels.py", seed_shift=k)
    ns = result.namespace
    theory_raw = math.sqrt(255 * 511 / 6)  # E[x²] for x uniform on {0, …, 255}: Σk²/256
    assert sum(x * x for x in range(256)) / 256 == pytest.approx(255 * 511 / 6, rel=1e-15)
    # Three quarters of E[x²] is the mean (127.5²), which reaches each of the 100 units
    # through one Gaussian number 127.5·Σw: the pooled Var(z) has relative variance
    # 2·0.749²/100 (a χ² over 100 units), sd 0.106, the std half that: 0.053. Allow 5 sd.
    share = 127.5**2 / (255 * 511 / 6)
    np.testing.assert_allclose(ns["std_raw"], theory_raw, rtol=5 * share * math.sqrt(2 / 100) / 2)
    # Normalised inputs: Var(z) = mean over units of wᵀCw with C the pixels' sample
    # correlation over 2000 rows, relative sd ≤ √(2/2000) per unit, ≤ 0.0032 over 100; the
    # std half that. rtol 0.02 is more than 5 sd.
    np.testing.assert_allclose(ns["std_norm"], 1.0, rtol=0.02)
    # Saturation, from the snippet's normal model with its measured std, by another method:
    # 2·P(h > atanh 0.99) for h ~ N(0, std²), by quadrature of the density.
    tail = integrate.quad(lambda h: math.exp(-h * h / (2 * ns["std_raw"] ** 2)),
                          math.atanh(0.99), np.inf)[0]
    theory_sat = 2 * tail / (ns["std_raw"] * math.sqrt(2 * math.pi))
    np.testing.assert_allclose(ns["theory_saturated"], theory_sat, rtol=1e-9)
    # Measured vs that model: pooled z mixes units with offsets m_i (sd 127.5) and
    # within-unit sd ≈ 74, so the unsaturated fraction (≈ 1.4 %) varies between units with
    # relative sd √((1+r)/√(1+2r) - 1) ≈ 0.71 (r = 127.5²/74² ≈ 3), 0.071 over 100 units:
    # sd ≈ 0.001 in the fraction. Allow 5.
    assert abs(ns["saturated"] - theory_sat) < 0.005
    assert ns["saturated"] > 0.95
    # The printed theory values, against the closed forms.
    np.testing.assert_allclose(printed_theory(result.stdout, "(theory"), theory_raw, atol=0.006)
    assert "(theory 1)" in result.stdout
    printed_sat = re.search(r"saturated on raw pixels: ([0-9.]+)%  \(theory ([0-9.]+)%\)",
                            result.stdout)
    assert abs(float(printed_sat[2]) / 100 - theory_sat) < 0.0006


EXERCISES = DOCS / "exercises.md"


def test_every_solution_shows_what_it_printed():
    """Each solution snippet that prints shows its output on the page (prose quotes it)."""
    text = EXERCISES.read_text(encoding="utf-8")
    for target in includes(text):
        if "print(" in (DOCS.parent / "snippets" / target).read_text(encoding="utf-8"):
            assert "{{ output: " + target + " }}" in text, target
    # Exercise 5's prose refers to the printout: it must be there, right after the code.
    fifth = text[text.index('"Exercise 5'):text.index('"Exercise 6')]
    assert "{{ output: exercises/transposed_fan.py }}" in fifth
    assert "printout above has every layer" in fifth


def test_vocabulary_and_link_to_names():
    text = EXERCISES.read_text(encoding="utf-8")
    assert "initialisation-variants.md#names-used-on-this-site" in text
    # LeCun is 1/n; Xavier is Glorot's 2/(n_in + n_out) and never a name for 1/n.
    assert "Xavier initialisation as" not in text
    third = text[text.index('"Exercise 3'):text.index('"Exercise 4')]
    assert "LeCun initialisation as $w \\sim N(0, 1/n)$" in third
    # "multiplier" only as "variance multiplier" (a std factor is a gain).
    for match in re.finditer(r"(\S+)\s+multiplier", text):
        assert match[1].strip("\"*(") == "variance", text[match.start() - 60:match.end()]
    assert len(re.findall("multiplier", text)) == len(re.findall(r"variance\s+multiplier", text))


def test_exercise_4_states_the_floor_and_the_vanishing_part():
    text = EXERCISES.read_text(encoding="utf-8")
    fourth = text[text.index('"Exercise 4'):text.index('"Exercise 5')]
    assert "its bias from $U(\\pm 1/\\sqrt{n})$" in fourth
    assert "E[a^2] = 1/(5n)" in fourth and "1/\\sqrt{5n}" in fourth
    assert "What vanishes is the part\n        of the output that depends on the input." in fourth
    assert "exercises/nn_linear_default_numpy.py:nudge_default_50" in fourth
