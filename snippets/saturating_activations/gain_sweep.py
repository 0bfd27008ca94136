from math import erfc

import numpy as np

from saturating_activations.deep_stack import ACTS
from saturating_activations.saturation_theory import Z_SAT, mean_square

GAINS = 2.0 ** np.arange(0, 5.01, 1 / 4)  # weight std = gain / √n, so n Var(w) = gain²
sweep = {}
for act in Z_SAT:
    g, dg, _ = ACTS[act]
    lo, hi = 0 * GAINS, GAINS**2  # the fixed point q* = gain² E[g(z)²] lies in [0, gain²]
    for _ in range(45):  # bisection, all gains at once
        mid = (lo + hi) / 2
        up = GAINS**2 * mean_square(g, mid) > mid
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    chi = GAINS**2 * mean_square(dg, lo)  # per-layer factor on E[δ²]
    sat = np.array([erfc(Z_SAT[act] / np.sqrt(2 * q)) if q > 0 else 0.0 for q in lo])
    sweep[act] = {"q": lo, "factor": np.sqrt(chi), "saturated": sat}
s = sweep["sigmoid"]
sigmoid_lecun_factor = s["factor"][0]  # gain 1 is LeCun
# the sigmoid's gain with √χ = 1, interpolating ln √χ linearly in ln gain
crossing_gain = np.exp(np.interp(0.0, np.log(s["factor"]), np.log(GAINS)))
crossing_saturated = np.interp(crossing_gain, GAINS, s["saturated"])

print("gain   sigmoid: √χ  saturated    tanh: √χ  saturated")
for i in range(0, len(GAINS), 4):
    print(
        f"{GAINS[i]:4g} {s['factor'][i]:14.3f} {s['saturated'][i]:10.1%} "
        f"{sweep['tanh']['factor'][i]:11.3f} {sweep['tanh']['saturated'][i]:10.1%}"
    )
print(f"sigmoid: √χ = 1 at gain {crossing_gain:.1f}, with {crossing_saturated:.0%} saturated")
