"""Per-layer activation and gradient std for every activation x init x multiplier, at depth 50.

explorer_data (JSON-serialisable) has the keys
  width, depth, batch: the net (width units in every layer) and the number of examples;
  multipliers: 13 log-spaced factors 2^(k/3), k = -6..6 (0.25 .. 4), applied to the init's std;
  init_std: {init: weight std before the multiplier}, inits "small", "lecun", "he", "large";
  act_std[act][init][i]: std of A[l] for l = 1..depth, with multiplier multipliers[i];
  grad_std[act][init][i]: std of dJ/dA[l] for l = 0..depth-1, for a unit random dJ/dZ[depth].
The stds are rounded to 4 significant digits (the page shows 3), which halves the page;
act_std and grad_std arrays [act, init, multiplier, layer] keep full precision.
"""
import numpy as np

from nets.mlp import backward, forward, init_std

WIDTH, DEPTH, BATCH = 256, 50, 32
multipliers = 2.0 ** (np.arange(-6, 7) / 3)
INITS = ["small", "lecun", "he", "large"]
G = np.random.default_rng(0).standard_normal((DEPTH, WIDTH, WIDTH))  # one draw, rescaled below
X = np.random.default_rng(1).standard_normal((WIDTH, BATCH))
dZ_L = np.random.default_rng(2).standard_normal((WIDTH, BATCH))
zero_b = np.zeros((WIDTH, 1))

ACTS = ["tanh", "relu"]
act_std = np.empty((len(ACTS), len(INITS), len(multipliers), DEPTH))
grad_std = np.empty_like(act_std)
for a, act in enumerate(ACTS):
    for i, init in enumerate(INITS):
        for m, mult in enumerate(multipliers):
            params = [(mult * init_std(init, WIDTH, WIDTH) * g, zero_b) for g in G]
            _, caches = forward(params, X, hidden=act, output=act)
            grads = backward(params, caches, dZ_L)
            act_std[a, i, m] = [c[2].std() for c in caches]
            grad_std[a, i, m] = [g[2].std() for g in grads]


def rounded(stds):
    """{act: {init: [[std per layer] per multiplier]}}, 4 significant digits."""
    return {act: {init: [[float(f"{s:.4g}") for s in row] for row in stds[a, i]]
                  for i, init in enumerate(INITS)} for a, act in enumerate(ACTS)}


explorer_data = {"width": WIDTH, "depth": DEPTH, "batch": BATCH,
                 "multipliers": multipliers.tolist(),
                 "init_std": {init: float(init_std(init, WIDTH, WIDTH)) for init in INITS},
                 "act_std": rounded(act_std), "grad_std": rounded(grad_std)}
