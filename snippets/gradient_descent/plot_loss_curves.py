import matplotlib.pyplot as plt
import numpy as np

from gradient_descent import train_deep_linear as lin
from gradient_descent import train_deep_relu as relu

# Left: the stalled and the converging run, on an axis that fits them.
# Right: the run that overflows, on an axis of its own (its loss is ~10^10 times larger).
fig, axes = plt.subplots(2, 2, figsize=(8, 6.4), width_ratios=(2.2, 1))
panels = [
    (lin, [f"a = {a}" for a in lin.scales.values()], "linear, L = 20, W = a·Q"),
    (relu, [f"He, gain {g}" for g in relu.gains.values()], "ReLU, L = 10"),
]
for (left, right), (run, labels, title) in zip(axes, panels):
    (small, good, large), (c_small, c_good, c_large) = run.loss.values(), labels
    left.plot(small, "C0-", label=c_small)
    left.plot(good, "C1-", label=c_good)
    left.axhline(run.best_constant, color="C7", linestyle=":", linewidth=1,
                 label="best constant")
    left.set_title(f"{title}: stall or converge", fontsize="medium")
    left.legend(loc="lower left")

    k = run.first_nonfinite                  # NaN from step k on: not drawn
    right.plot(np.arange(k), large[:k], "C3o-", label=c_large)
    right.set_xlim(-0.5, 4.5)
    right.axvspan(k - 0.5, 4.5, color="C7", alpha=0.15, linewidth=0)
    right.text(k - 0.3, np.sqrt(large[0] * large[k - 1]), f"NaN from step {k} on",
               rotation=90, va="center", color="C7")
    right.set_title(c_large, fontsize="medium")
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_xlabel("gradient-descent step")
        ax.set_ylabel("training loss, MSE (log scale)")
fig.tight_layout()
