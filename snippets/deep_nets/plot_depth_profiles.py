import matplotlib.pyplot as plt
import numpy as np

from deep_nets.depth_profiles import DEPTH, INITS, act_std, grad_std

LABELS = {"small": "too small (0.01)", "lecun": "LeCun √(1/n)", "he": "He √(2/n)",
          "large": "too large (10)"}
fig, axes = plt.subplots(2, 2, figsize=(8, 6.4), sharex=True)
for col, act in enumerate(["tanh", "relu"]):
    for init in INITS:
        axes[0, col].plot(np.arange(1, DEPTH + 1), act_std[act, init],
                          label=LABELS[init])
        axes[1, col].plot(np.arange(0, DEPTH), grad_std[act, init])
    axes[0, col].set_title(f"{act}: activations (forward)")
    axes[1, col].set_title(f"{act}: gradients (backward)")
    axes[0, col].set_ylabel("std of A[l] (log scale)")
    axes[1, col].set_ylabel("std of ∂J/∂A[l] (log scale)")
for ax in axes.flat:
    ax.set_yscale("log")
    ax.set_xlabel("layer l")
fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="lower center", ncols=4)
fig.tight_layout(rect=(0, 0.06, 1, 1))
