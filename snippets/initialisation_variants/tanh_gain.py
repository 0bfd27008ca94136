import numpy as np
from initialisation_variants.init_schemes import glorot_normal

rng = np.random.default_rng(6)
n, depth, batch = 500, 100, 32
gains = {"gain 1": 1.0, "gain 5/3": 5 / 3}
x = rng.standard_normal((batch, n))
acts = {k: x for k in gains}
stds = {k: [] for k in gains}  # std of the tanh activations after each layer
for layer in range(depth):
    W = glorot_normal((n, n), rng)  # square layer: Var(w) = 1/n; shared draw
    for k, gain in gains.items():
        acts[k] = np.tanh(acts[k] @ (gain * W).T)
        stds[k].append(acts[k].std())
stds = {k: np.array(v) for k, v in stds.items()}

shown = (1, 5, 20, 50, 100)
print("depth:    " + "".join(f"{d:>8}" for d in shown))
for k in gains:
    print(f"{k:9} " + "".join(f"{stds[k][d - 1]:8.3f}" for d in shown))
std_53_at_20, std_53_at_100 = stds["gain 5/3"][19], stds["gain 5/3"][99]
std_1_at_20, std_1_at_100 = stds["gain 1"][19], stds["gain 1"][99]
