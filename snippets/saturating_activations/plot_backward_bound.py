import matplotlib.pyplot as plt
import numpy as np

from saturating_activations.deep_stack import DEPTH, bound, grad

layers = np.arange(DEPTH + 1)
fig, ax = plt.subplots(figsize=(6.4, 5))
SHOWN = [("sigmoid", "LeCun", "C0"), ("tanh", "LeCun", "C1"), ("relu", "He", "C2")]
for act, scale, colour in SHOWN:
    top = grad[act, scale][-1]
    ax.plot(layers, grad[act, scale] / top, "o-", color=colour, markersize=4, label=f"{act}, {scale}: measured")
    if act != "relu":  # ReLU's bound, (√2 ‖W‖₂/√n)^(L-l), would reach 1e9
        ax.plot(layers, bound[act, scale] / top, "--", color=colour, label=f"{act}: bound")
ax.set_yscale("log")
ax.set_xticks([0, 5, 10, 15, 20])
ax.set_xlabel("layer l (the gradient flows right to left)")
ax.set_ylabel("‖∂J/∂a[l]‖ / ‖∂J/∂a[L]‖ (log scale)")
ax.set_title("Gradient size and its worst-case bound")
fig.legend(loc="lower center", ncols=3, fontsize="small")
fig.tight_layout(rect=(0, 0.12, 1, 1))
