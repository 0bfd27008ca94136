import matplotlib.pyplot as plt
import numpy as np

from random_matrices.log_size_random_walk import depth, log10_size, slope_theory

layers = np.arange(depth + 1)
low, mid, high = np.percentile(log10_size, [5, 50, 95], axis=0)
typical = np.argsort(log10_size[:, -1])[len(log10_size) // 2]  # ends mid-pack

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.fill_between(layers, 10**low, 10**high, color="C0", alpha=0.25,
                label="5th to 95th percentile over 1000 runs")
ax.plot(layers, 10**mid, "C0-", label="median over runs")
ax.plot(layers, 10**log10_size[typical], "C1-", linewidth=0.8,
        label="one run (ends at the median)")
ax.plot(layers, 10 ** (slope_theory * layers), "C2--",
        label="theory: typical growth")
ax.set_yscale("log")
ax.set_xlabel("layer l")
ax.set_ylabel(r"$\|x^{[l]}\|$ (log scale)")
ax.set_title("x ↦ Wx with 4×4 N(0, 1) matrices, ‖x⁽⁰⁾‖ = 1",
             fontsize="medium")
ax.legend(loc="upper left")
fig.tight_layout()
