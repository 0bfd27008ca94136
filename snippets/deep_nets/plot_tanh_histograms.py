import matplotlib.pyplot as plt
import numpy as np

from nets.mlp import forward, init_params

WIDTH, DEPTH, LAYERS = 256, 50, (1, 5, 20, 50)
X = np.random.default_rng(1).standard_normal((WIDTH, 128))
TITLES = {"small": "too small (std 0.01)", "lecun": "LeCun √(1/n)",
          "large": "too large (std 10)"}

fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), sharey=True)
for ax, (init, title) in zip(axes, TITLES.items()):
    params = init_params([WIDTH] * (DEPTH + 1), init, np.random.default_rng(0))
    _, caches = forward(params, X, hidden="tanh", output="tanh")
    for l in LAYERS:
        ax.hist(caches[l - 1][2].ravel(), bins=np.linspace(-1, 1, 81),
                density=True, histtype="step", label=f"layer {l}")
    ax.set_title(title)
    ax.set_xlabel("activation value a")
    ax.set_yscale("log")
    ax.set_ylabel("density (log scale)")
axes[-1].legend(loc="upper center")
fig.tight_layout()
