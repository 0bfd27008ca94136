"""Tests for docs/exploding-vanishing.md against closed-form theory (W = a*I is exact)."""

import math
from fractions import Fraction

import matplotlib.pyplot as plt
import mpmath
import numpy as np
import pytest
from snippet_runs import run_snippet

U = 2.0**-53  # unit roundoff of float64

# IEEE 754 binary formats: (largest exponent emax, stored mantissa bits p).
# largest = (2 - 2^-p) 2^emax, smallest normal = 2^(1 - emax), smallest subnormal = 2^(1 - emax - p)
IEEE = {"float16": (15, 10), "bfloat16": (127, 7), "float32": (127, 23), "float64": (1023, 52)}


def test_power_of_identity_all_layers_vs_last_apart():
    ns = run_snippet("exploding_vanishing/power_of_identity.py").namespace
    assert ns["L"] == 10
    # Multiplying by 1.5 = 3/2 or 0.5 is exact in binary while 3^L < 2^53, so these are
    # exact equalities with the rational closed form, not approximations.
    assert Fraction(ns["y_all_15"]) == Fraction(3, 2) ** 10       # 1.5^L
    assert Fraction(ns["y_last_15"]) == Fraction(3, 2) ** 9       # W^[L] 1.5^(L-1) X
    assert Fraction(ns["y_all_05"]) == Fraction(1, 2) ** 10
    assert Fraction(ns["y_last_05"]) == Fraction(1, 2) ** 9
    # The numbers the course quotes for L = 10 with the last layer apart.
    assert round(ns["y_last_15"], 2) == 38.44
    assert round(ns["y_last_05"], 5) == 0.00195


def test_power_of_identity_printed_table():
    out = run_snippet("exploding_vanishing/power_of_identity.py").stdout
    assert "57.665" in out and "38.4434" in out
    assert "0.000976562" in out and "0.00195312" in out


def test_halving_table_is_exact():
    result = run_snippet("exploding_vanishing/halving_table.py")
    acts = result.namespace["activations"]
    assert acts.shape == (10, 2)
    for l in range(1, 11):
        # 2^-l is a power of two: exact in binary floating point, so compare with ==.
        assert acts[l - 1, 0] == acts[l - 1, 1] == 2.0**-l
        assert Fraction(acts[l - 1, 0]) == Fraction(1, 2**l)
        assert f"[{'1/' + str(2**l):>6}, {'1/' + str(2**l):>6}]" in result.stdout


def test_values_at_depth_match_a_to_the_L():
    ns = run_snippet("exploding_vanishing/values_at_depth.py").namespace
    y = ns["y"]
    for i, a in enumerate(ns["scales"]):
        for j, L in enumerate(ns["depths"]):
            # One rounded multiplication per layer (the 0 * h term and the sum are exact),
            # so the relative error against the exact rational a^L is at most L u (1 % slack).
            exact = Fraction(a) ** L
            assert abs(Fraction(y[i, j]) - exact) <= Fraction(1.01 * L * U) * exact
    np.testing.assert_allclose(ns["y_30_15"], 1.5**30, rtol=30 * U)
    np.testing.assert_allclose(ns["y_150_05"], 0.5**150, rtol=0)  # powers of 2 are exact


def test_values_at_depth_below_identity_vanishes_above_explodes():
    ns = run_snippet("exploding_vanishing/values_at_depth.py").namespace
    for a, row in zip(ns["scales"], ns["y"]):
        if a < 1:  # W = a I with a < 1 vanishes: the output shrinks with depth
            assert np.all(np.diff(row) < 0) and row[-1] < 1
        else:      # a > 1 explodes
            assert np.all(np.diff(row) > 0) and row[-1] > 1


def test_plot_power_law_lines_and_limits():
    ns = run_snippet("exploding_vanishing/plot_power_law.py").namespace
    fig = ns["fig"]
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert "log scale" in ax.get_ylabel() and ax.get_xlabel()
    lines = [ln for ln in ax.get_lines() if ln.get_label().startswith("a = ")]
    assert [ln.get_label() for ln in lines] == [f"a = {a}" for a in ns["scales"]]
    for a, ln in zip(ns["scales"], lines):
        L, y = ln.get_data()
        np.testing.assert_allclose(y, a ** np.asarray(L, dtype=float), rtol=4 * U)
    f32 = np.finfo(np.float32)
    levels = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if ln not in lines)
    np.testing.assert_allclose(levels, [f32.smallest_normal, f32.max], rtol=0)
    plt.close(fig)


def _round_to_format(q: Fraction, emax: int, p: int):
    """q > 0 rounded to nearest, ties to even, in the binary format with largest exponent emax
    and p stored mantissa bits (subnormals included); float("inf") past the largest value.
    Exact rational arithmetic: an independent model of what the hardware does."""
    if q == 0:
        return Fraction(0)
    e = q.numerator.bit_length() - q.denominator.bit_length()   # 2^e <= q < 2^(e+2)
    if Fraction(2) ** e > q:
        e -= 1
    if Fraction(2) ** (e + 1) <= q:
        e += 1                                                   # now 2^e <= q < 2^(e+1)
    quantum = Fraction(2) ** (max(e, 1 - emax) - p)              # spacing of the format here
    rounded = round(q / quantum) * quantum                       # Fraction rounds half to even
    return float("inf") if rounded >= Fraction(2) ** (emax + 1) else rounded


def _exact_model(emax, p):
    """Depths where the format's own repeated multiplication (rounded at every layer)
    first gives inf for 1.5^L, first goes below the smallest normal and first gives 0
    for 0.5^L."""
    x, L = Fraction(1), 0
    while x != float("inf"):
        x, L = _round_to_format(x * Fraction(3, 2), emax, p), L + 1
    inf_from = L
    x, L, subnormal_from = Fraction(1), 0, None
    while x != 0:
        x, L = _round_to_format(x / 2, emax, p), L + 1
        if subnormal_from is None and x < Fraction(2) ** (1 - emax):
            subnormal_from = L
    return inf_from, subnormal_from, L


@pytest.mark.parametrize("name", list(IEEE))
def test_float_limits_against_ieee_formulas_and_an_exact_model(name):
    ns = run_snippet("exploding_vanishing/float_limits.py").namespace
    emax, p = IEEE[name]
    row = ns["limits"][name]
    assert row["largest value"] == (2 - 2.0**-p) * 2.0**emax
    assert row["smallest normal"] == 2.0 ** (1 - emax)
    # Second method for the crossing depth: 50-digit mpmath instead of float64 logs.
    with mpmath.workdps(50):
        depth = mpmath.log((2 - mpmath.mpf(2) ** -p) * mpmath.mpf(2) ** emax) / mpmath.log(1.5)
    np.testing.assert_allclose(row["1.5^L reaches it at L ="], float(depth), rtol=1e-14)
    # The depths the snippet measured by multiplying in the format, against an exact-rational
    # model of round-to-nearest-even with subnormals and overflow.
    inf_from, subnormal_from, zero_from = _exact_model(emax, p)
    assert row["1.5^L is inf from L ="] == inf_from
    assert row["0.5^L subnormal from L ="] == subnormal_from == emax
    assert row["0.5^L is 0 from L ="] == zero_from == emax + p
    # Where the per-layer rounding does not matter, that is the first whole L past the
    # crossing, at which the exact 1.5^L passes the overflow threshold (largest + half a
    # spacing). bfloat16 keeps only 8 significant bits, and its rounded products drift below
    # the exact power (test below), so its first inf comes one layer later.
    threshold = (2 - Fraction(1, 2 ** (p + 1))) * Fraction(2) ** emax
    first_exact = next(L for L in range(1, 3000) if Fraction(3, 2) ** L >= threshold)
    assert first_exact == math.floor(float(depth)) + 1
    assert inf_from == first_exact + (1 if name == "bfloat16" else 0)


def test_float_limits_bfloat16_against_torch_and_ml_dtypes():
    import ml_dtypes
    import torch  # a reference install (requirements-references.lock), never skipped
    row = run_snippet("exploding_vanishing/float_limits.py").namespace["limits"]["bfloat16"]
    for info in (torch.finfo(torch.bfloat16), ml_dtypes.finfo(ml_dtypes.bfloat16)):
        assert row["largest value"] == float(info.max)
        assert row["smallest normal"] == float(info.smallest_normal)
    # Repeated multiplication in real bfloat16 arithmetic (torch's CPU kernels; ml_dtypes'
    # NumPy type), one rounding per layer, as a network does.
    for one, mul in [(torch.tensor(1.0, dtype=torch.bfloat16), lambda x, a: x * a),
                     (ml_dtypes.bfloat16(1.0),
                      lambda x, a: ml_dtypes.bfloat16(np.float32(x) * np.float32(a)))]:
        x, L = one, 0
        with np.errstate(over="ignore"):
            while not math.isinf(float(x)):
                x, L = mul(x, 1.5), L + 1
        assert row["1.5^L is inf from L ="] == L == 220
        x, L, subnormal_from = one, 0, None
        while float(x) != 0:
            x, L = mul(x, 0.5), L + 1
            if subnormal_from is None and float(x) < row["smallest normal"]:
                subnormal_from = L
        assert row["0.5^L subnormal from L ="] == subnormal_from == 127
        assert row["0.5^L is 0 from L ="] == L == 134
    # The page: by L = 219 bfloat16's rounded 1.5^L is "about a fifth" below the exact power.
    x = torch.tensor(1.0, dtype=torch.bfloat16)
    for _ in range(219):
        x = x * 1.5
    assert 0.75 < float(x) / float(Fraction(3, 2) ** 219) < 0.85


def test_bfloat16_rounding_matches_torch_bit_for_bit():
    import torch  # a reference install (requirements-references.lock), never skipped
    result = run_snippet("exploding_vanishing/bfloat16_rounding.py")
    ns = result.namespace
    rng = np.random.default_rng(2024)
    x = np.concatenate([rng.standard_normal(20_000) * 10.0 ** rng.integers(-40, 39, 20_000),
                        np.float32([1.5, 3.3895314e38, 3.39e38, 1e-40, 9.2e-41, 0.0])])
    x = x.astype(np.float32)
    want = torch.from_numpy(x).to(torch.bfloat16).to(torch.float32).numpy()
    with np.errstate(over="ignore", under="ignore"):
        got = np.array([ns["bfloat16"](v) for v in x])
    np.testing.assert_array_equal(got, want)
    # What it printed: 1.5^9 = 38.443... has 8 significant bits in bfloat16, so 38.5; 1.5^10 =
    # 57.665... becomes 57.75; 0.1 becomes 0.10009765625 (= 205 / 2048), all as torch rounds.
    for x in [1.5**9, 1.5**10, 0.1]:
        want = torch.tensor(x, dtype=torch.float32).to(torch.bfloat16).item()
        assert f"in bfloat16: {want:.10g}" in result.stdout
    assert "38.5\n" in result.stdout and "57.75\n" in result.stdout


def test_float_limits_quoted_numbers():
    ns = run_snippet("exploding_vanishing/float_limits.py").namespace
    assert round(ns["f16_overflow_depth"], 1) == 27.4 and ns["f16_inf_from"] == 28
    assert round(ns["f32_overflow_depth"], 1) == 218.8 and ns["f32_inf_from"] == 219
    assert ns["bf16_inf_from"] == 220 and ns["bf16_zero_from"] == 134
    # "crosses its largest value at float32's depth (to one decimal)"
    bf16 = ns["limits"]["bfloat16"]["1.5^L reaches it at L ="]
    assert f"{bf16:.1f}" == f"{ns['f32_overflow_depth']:.1f}"
    assert ns["f32_subnormal_from"] == 127 and ns["f32_zero_from"] == 150
    assert ns["f32_last_normal"] == 126 and ns["f32_last_nonzero"] == 149
    f32 = np.finfo(np.float32)
    with np.errstate(under="ignore"):
        assert np.float32(0.5) ** 126 == f32.smallest_normal      # still normal at L = 126
        assert np.float32(0.5) ** 149 == f32.smallest_subnormal   # the last non-zero power
        assert np.float32(0.5) ** 150 == 0


def test_log_space_gives_right_log10_where_direct_overflows():
    result = run_snippet("exploding_vanishing/log_space.py")
    ns = result.namespace
    assert ns["direct_overflowed"] and np.isinf(ns["direct"])
    assert "overflowed" in result.stdout
    # Exact reference from Python integers: floor(1.5^10000) = 3^10000 // 2^10000.
    digits = str(3**10000 // 2**10000)
    assert ns["exponent"] == len(digits) - 1
    # log10_y = 10000 * log10(1.5) carries an absolute error of a few 1e-13 (relative u on a
    # value near 1761), so the mantissa is good to ~1e-12 relative; 1e-10 leaves room.
    np.testing.assert_allclose(ns["mantissa"], int(digits[:16]) / 10**15, rtol=1e-10)
    np.testing.assert_allclose(ns["log10_y"], math.log10(int(digits[:16])) + len(digits) - 16,
                               rtol=1e-14)


def test_exercise_overflow_depth():
    ns = run_snippet("exploding_vanishing/exercise_overflow_depth.py").namespace
    emax, p = IEEE["float32"]
    depth = (emax + math.log2(2 - 2.0**-p)) / math.log2(1.1)
    np.testing.assert_allclose(ns["depth_exact"], depth, rtol=1e-13)
    assert ns["first_inf_depth"] == math.floor(depth) + 1 == 931
    assert np.isfinite(ns["sizes"][-2]) and np.isinf(ns["sizes"][-1])


def test_exercise_depth_below_threshold():
    ns = run_snippet("exploding_vanishing/exercise_depth_below_threshold.py").namespace
    L = ns["max_depth"]
    # exact decimal arithmetic: 0.9^L >= 1/1000 > 0.9^(L+1)
    assert Fraction(9, 10) ** L >= Fraction(1, 1000) > Fraction(9, 10) ** (L + 1)
    assert L == 65


def test_exercise_alternating_layers():
    ns = run_snippet("exploding_vanishing/exercise_alternating_layers.py").namespace
    assert ns["mean_scale"] == 1.0
    # each pair of layers multiplies by 1.5 * 0.5 = 3/4; 3^15 < 2^53, so this is exact
    assert Fraction(ns["y"]) == Fraction(3, 4) ** 15
    np.testing.assert_allclose(ns["per_layer"] ** 2, 0.75, rtol=2 * U)
