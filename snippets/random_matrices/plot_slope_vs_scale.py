import matplotlib.pyplot as plt
import numpy as np

from random_matrices.slope_vs_scale import gains, mean_square, typical, widths

fig, ax = plt.subplots(figsize=(7, 4.5))
g = np.geomspace(gains[0], gains[-1], 100)
ax.plot(g, g, "C7-", label="mean square, theory: g (any n)")
ax.plot(gains, np.exp(mean_square[0]), "C7s", fillstyle="none",
        label="mean square, n = 2")
for i, n in enumerate(widths):
    psi = -np.euler_gamma + sum(1 / j for j in range(1, n // 2))
    lam = 0.5 * (psi - np.log(n / 2))                  # lambda_n
    ax.plot(g, g * np.exp(lam), f"C{i}--",
            label="typical, theory" if i == 0 else None)
    ax.plot(gains, np.exp(typical[i]), f"C{i}o", label=f"typical, n = {n}")
ax.axhline(1.0, color="C7", linewidth=0.8, linestyle=":")
ax.axvline(1.0, color="C7", linewidth=0.8, linestyle=":")
ax.set_xscale("log")
ax.set_yscale("log")
ticks = [0.5, 0.7, 1.0, 1.4, 2.0]
ax.set_xticks(ticks, [str(t) for t in ticks])
ax.set_yticks(ticks, [str(t) for t in ticks])
ax.minorticks_off()
ax.set_xlabel(r"scale $g = \sigma\sqrt{n}$ (log scale)")
ax.set_ylabel("growth factor per layer (log scale)")
ax.legend(loc="upper left")
fig.tight_layout()
