import matplotlib.pyplot as plt
import numpy as np

from saturating_activations.deep_stack import DEPTH, saturated
from saturating_activations.saturation_theory import predicted

SCALES = ["too small", "LeCun", "4 × LeCun", "too large"]
MARKS = ["s", "o", "o", "o"]  # hollow squares for too small: both it and LeCun sit at 0
layers = np.arange(1, DEPTH + 1)
fig, axes = plt.subplots(1, 2, figsize=(8, 4.6), sharey=True)
for ax, act in zip(axes, ["sigmoid", "tanh"]):
    for i, scale in enumerate(SCALES):
        ax.plot(layers, 100 * predicted[act, scale], "-", color=f"C{i}", linewidth=1)
        ax.plot(
            layers,
            100 * saturated[act, scale],
            MARKS[i],
            color=f"C{i}",
            label=scale,
            markersize=7 if i == 0 else 4,
            markerfacecolor="none" if i == 0 else None,
        )
    ax.set_title(f"{act}: saturated units")
    ax.set_xlabel("layer l")
    ax.set_ylabel("saturated units (% of layer)")
    ax.set_xticks([1, 5, 10, 15, 20])
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, title="weight std (dots measured, lines theory)", loc="lower center", ncols=4)
fig.tight_layout(rect=(0, 0.16, 1, 1))
