import matplotlib.pyplot as plt
import numpy as np

from gradient_descent import train_deep_linear as lin
from gradient_descent import train_deep_relu as relu

fig, axes = plt.subplots(2, 1, figsize=(7, 8))
panels = [
    (lin, [f"a = {a}" for a in lin.scales.values()],
     "linear, L = 20, W = a·Q"),
    (relu, [f"He, gain {g}" for g in relu.gains.values()], "ReLU, L = 10"),
]
for ax, (run, labels, title) in zip(axes, panels):
    for i, (curve, label) in enumerate(zip(run.loss.values(), labels)):
        finite = np.isfinite(curve)              # NaN steps are not drawn
        steps = np.arange(len(curve))
        ax.plot(steps[finite], curve[finite], f"C{i}-", label=label)
        if not np.all(finite):
            k = int(np.argmin(finite))           # first non-finite step
            ax.plot([0], [curve[0]], f"C{i}o")
            ax.text(40, 1e13, f"step 1: {curve[1]:.0e}, off the scale",
                    color=f"C{i}", va="center")
            ax.text(40, 3e10, f"NaN from step {k} on", color=f"C{i}",
                    va="center")
    ax.axhline(run.best_constant, color="C7", linestyle=":", linewidth=1,
               label="best constant")
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 1e15)
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("training loss, MSE (log scale)")
    ax.set_title(title, fontsize="medium")
    ax.legend(loc="center right")
fig.tight_layout()
