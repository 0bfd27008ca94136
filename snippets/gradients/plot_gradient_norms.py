import matplotlib.pyplot as plt
import numpy as np

from gradients.gradient_norms_by_layer import L, grad_a, scales

layers = np.arange(L + 1)
fig, ax = plt.subplots(figsize=(7, 4.5))
for i, a in enumerate(scales):
    ax.plot(layers, grad_a[a] / grad_a[a][L], f"C{i}o", markersize=4,
            label=f"a = {a}")
    ax.plot(layers, float(a) ** (L - layers), f"C{i}-", linewidth=1)
ax.plot([], [], "C7-", linewidth=1, label=r"theory $a^{L-l}$")
ax.set_yscale("log")
ax.set_ylim(1e-10, 1e10)                # headroom for the legend
ax.set_xlabel("layer l (the output is l = L = 30)")
ax.set_ylabel(r"$\|dL/da^{[l]}\| \,/\, \|dL/d\hat{y}\|$ (log scale)")
ax.legend(title="W = a·I, measured", ncols=2, loc="upper right")
fig.tight_layout()
