import matplotlib.pyplot as plt
import numpy as np

from residual_connections.depth_profiles import BLOCKS, LAYERS, alphas, grad_rms, rms

fig, (ax_f, ax_b) = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)  # one y range for both passes
for i, name in enumerate(rms):
    plain = name.startswith("plain")
    layer = np.arange(LAYERS + 1) if plain else 2 * np.arange(BLOCKS + 1)  # block b ends at layer 2b
    growth = np.ones(len(layer)) if plain else (1 + alphas[name] ** 2) ** np.arange(BLOCKS + 1)
    ax_f.plot(layer, rms[name], f"C{i}-", label=name)
    ax_f.plot(layer, np.sqrt(growth), f"C{i}--", lw=1)  # closed form: E[x²] grows (1 + α²) per block
    ax_b.plot(layer, grad_rms[name], f"C{i}-")
    ax_b.plot(layer, np.sqrt(growth[::-1]), f"C{i}--", lw=1)
ax_f.plot([], [], "C7--", lw=1, label="closed form")
for ax, title in ((ax_f, "forward pass"), (ax_b, "backward pass")):
    ax.set_yscale("log")
    ax.set_xlabel("weight layer")
    ax.set_title(title)
ax_f.set_ylabel("RMS of x (log scale)")
ax_b.set_ylabel("RMS of dJ/dx (log scale)")
ax_f.legend(loc="upper left")
fig.tight_layout()
