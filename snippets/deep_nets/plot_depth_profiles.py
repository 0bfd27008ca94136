import matplotlib.pyplot as plt
import numpy as np

from deep_nets.depth_profiles import DEPTH, INITS, act_std, grad_std

LABELS = {"small": "too small (0.01)", "lecun": "LeCun √(1/n)", "he": "He √(2/n)",
          "large": "too large (10)"}
STYLE = {"small": "C0-", "lecun": "C1-o", "he": "C2--s", "large": "C3:"}
ROWS = [("tanh", INITS, "tanh"),
        ("tanh", ["lecun", "he"], "tanh, LeCun vs He"),  # 1 decade apart, not 80
        ("relu", INITS, "ReLU")]
fig, axes = plt.subplots(3, 2, figsize=(8, 8.4), sharex=True)
for (fwd, bwd), (act, inits, name) in zip(axes, ROWS):
    for init in inits:
        style = dict(label=LABELS[init], markevery=10, markersize=5)
        fwd.plot(np.arange(1, DEPTH + 1), act_std[act, init], STYLE[init], **style)
        bwd.plot(np.arange(0, DEPTH), grad_std[act, init], STYLE[init], **style)
    fwd.set_title(f"{name}: activations (forward)")
    bwd.set_title(f"{name}: gradients (backward)")
    fwd.set_ylabel("std of A[l] (log scale)")
    bwd.set_ylabel("std of ∂J/∂A[l] (log scale)")
for ax in axes.flat:
    ax.set_yscale("log")
    ax.set_xlabel("layer l")
fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="lower center", ncols=4)
fig.tight_layout(rect=(0, 0.05, 1, 1))
