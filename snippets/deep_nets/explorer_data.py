"""Per-layer activation and gradient std for every activation x init x multiplier, at depth 50.

explorer_data (JSON-serialisable) has the keys
  width, depth, batch: the net (width units in every layer) and the number of examples;
  multipliers: 13 log-spaced factors 2^(k/3), k = -6..6 (0.25 .. 4), applied to the init's std;
  init_std: {init: weight std before the multiplier}, inits "small", "lecun", "he", "large";
  act_std[act][init][i]: std of A[l] for l = 1..depth, with multiplier multipliers[i];
  grad_std[act][init][i]: std of dJ/dA[l] for l = 0..depth-1, for a unit random dJ/dZ[depth].
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

explorer_data = {"width": WIDTH, "depth": DEPTH, "batch": BATCH,
                 "multipliers": multipliers.tolist(),
                 "init_std": {init: float(init_std(init, WIDTH, WIDTH)) for init in INITS},
                 "act_std": {}, "grad_std": {}}
for act in ["tanh", "relu"]:
    for key in ["act_std", "grad_std"]:
        explorer_data[key][act] = {init: [] for init in INITS}
    for init in INITS:
        for mult in multipliers:
            params = [(mult * init_std(init, WIDTH, WIDTH) * g, zero_b) for g in G]
            _, caches = forward(params, X, hidden=act, output=act)
            grads = backward(params, caches, dZ_L)
            explorer_data["act_std"][act][init].append([float(c[2].std()) for c in caches])
            explorer_data["grad_std"][act][init].append([float(g[2].std()) for g in grads])
