import numpy as np

from normalisation.norm import BATCH, LAYER, backward, forward

DEPTH, WIDTH, BATCH_SIZE = 50, 64, 128
GAINS = (0.1, 1.0, 10.0)  # each weight's std is gain * He's sqrt(2/n)
rng = np.random.default_rng(0)
X = rng.standard_normal((WIDTH, BATCH_SIZE))  # normalised, example per column
he_std = np.sqrt(2 / WIDTH)
draw = [rng.standard_normal((WIDTH, WIDTH)) * he_std for _ in range(DEPTH)]
draw[0] /= np.sqrt(2)  # layer 1 sees X, not ReLU outputs: LeCun's 1/n there
d_out = rng.standard_normal((WIDTH, BATCH_SIZE))  # injected, E[d²] = 1
rms = lambda a: np.sqrt(np.mean(a**2))  # noqa: E731
z_rms, grad_rms = {}, {}  # (norm, gain) -> RMS of Z[l], of dJ/dZ[l], l = 1..50
for norm, axis in {"none": None, "batch": BATCH, "layer": LAYER}.items():
    for g in GAINS:
        Ws = [g * W for W in draw] + [np.eye(WIDTH)]  # one draw, every gain
        with np.errstate(over="ignore", under="ignore"):  # g^100 fits float64
            _, caches = forward(Ws, X, axis)
            dZs = backward(Ws, caches, d_out)[1]
        z_rms[norm, g] = np.array([rms(c[1]) for c in caches[:-1]])
        grad_rms[norm, g] = np.array([rms(dZ) for dZ in dZs])
plain_small_top, plain_large_top = (z_rms["none", g][-1] for g in (0.1, 10.0))
per_gain = {k: [z_rms[k, g] / g for g in GAINS] for k in ("batch", "layer")}
bn_low, bn_high = np.min(per_gain["batch"]), np.max(per_gain["batch"])
ln_low, ln_high = np.min(per_gain["layer"]), np.max(per_gain["layer"])
# the gradient at layer 1 over the gradient at layer 50, g = 1:
growth = {k: grad_rms[k, 1.0][0] / grad_rms[k, 1.0][-1] for k in per_gain}
bn_growth, ln_growth = growth["batch"], growth["layer"]
if __name__ == "__main__":  # printed when this file runs, not when imported
    at = (1, 25, 50)
    print(f"{'':12}{'RMS of Z[l]':^24}{'RMS of dJ/dZ[l]':^24}")
    print(f"{'norm':>6}{'gain':>6}" + "".join(f"{f'l={l}':>8}" for l in at * 2))
    for (norm, g), r in z_rms.items():
        cells = [r[l - 1] for l in at] + [grad_rms[norm, g][l - 1] for l in at]
        print(f"{norm:>6}{g:6g}" + "".join(f"{c:8.2g}" for c in cells))
