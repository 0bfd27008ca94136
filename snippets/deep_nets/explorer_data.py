"""Per-layer activation and gradient std for each activation, init and gain.

The net, input X, injected dJ/dZ[depth] and weight draw are the table's
(depth_profiles.py), so the gain-1 rows are the table's numbers. explorer_data has
  width, depth, batch: the net (width units per layer), the number of examples;
  gains: g = 2^(k/3), k = -6..6 (0.25 .. 4); the weight std is init_std * g;
  init_std: {init: weight std at gain 1}, inits "small", "lecun", "he", "large";
  act_std[act][init][i]: std of A[l] for l = 1..depth, at gain gains[i];
  grad_std[act][init][i]: std of dJ/dA[l] for l = 0..depth-1 (the table's dJ/dZ).
The stds are rounded to 4 significant digits (the page shows 3), which halves the
page; the arrays act_std and grad_std [act, init, gain, layer] are full precision.
"""
import numpy as np

from deep_nets import depth_profiles as table
from nets.mlp import backward, forward, init_std

WIDTH, DEPTH, BATCH, INITS = table.WIDTH, table.DEPTH, table.BATCH, table.INITS
ACTS = ["tanh", "relu"]
gains = 2.0 ** (np.arange(-6, 7) / 3)
# the table's draw: init_params draws W[1], W[2], ... from one Generator like this
G = np.random.default_rng(table.SEED).standard_normal((DEPTH, WIDTH, WIDTH))
zero_b = np.zeros((WIDTH, 1))
layer = np.arange(1, DEPTH + 1)

act_std = np.empty((len(ACTS), len(INITS), len(gains), DEPTH))
grad_std = np.empty_like(act_std)
for i, init in enumerate(INITS):
    for m, g in enumerate(gains):
        if g == 1:  # the table's own run
            act_std[0, i, m] = table.act_std["tanh", init]
            grad_std[0, i, m] = table.grad_std["tanh", init]
            continue
        params = [(g * init_std(init, WIDTH, WIDTH) * Gl, zero_b) for Gl in G]
        _, caches = forward(params, table.X, hidden="tanh", output="tanh")
        grads = backward(params, caches, table.dZ_L)
        act_std[0, i, m] = [c[2].std() for c in caches]
        grad_std[0, i, m] = [d[2].std() for d in grads]
    # ReLU with b = 0 is positively homogeneous: weights times g scale A[l] by g^l
    # and dJ/dA[l] (l = 0..depth-1) by g^(depth - l): rescaled table rows.
    g = gains[:, None]
    act_std[1, i] = g**layer * table.act_std["relu", init]
    grad_std[1, i] = g ** (DEPTH + 1 - layer) * table.grad_std["relu", init]


def rounded(stds):
    """{act: {init: [[std per layer] per gain]}}, 4 significant digits."""
    return {act: {init: [[float(f"{s:.4g}") for s in row] for row in stds[a, i]]
                  for i, init in enumerate(INITS)} for a, act in enumerate(ACTS)}


explorer_data = {"width": WIDTH, "depth": DEPTH, "batch": BATCH,
                 "gains": gains.tolist(),
                 "init_std": {k: float(init_std(k, WIDTH, WIDTH)) for k in INITS},
                 "act_std": rounded(act_std), "grad_std": rounded(grad_std)}
