import matplotlib.pyplot as plt
import numpy as np

from recurrent_networks.jacobian_through_time import T, norms

t = np.arange(1, T + 1)
fig, axes = plt.subplots(1, 2, figsize=(8, 4), sharey=True)
for i, (rho, (lin, tanh)) in enumerate(norms.items()):
    for ax, measured in zip(axes, (lin, tanh)):
        ax.plot(t, measured, f"C{i}-", label=f"ρ = {rho}")
        ax.plot(t, rho**t, f"C{i}--", lw=1)  # rho^t
axes[0].plot([], [], "C7--", lw=1, label="ρᵗ")
for ax, title in zip(axes, ("linear: Wᵗ", "tanh")):
    ax.set_yscale("log")
    ax.set_xlabel("steps back in time t")
    ax.set_title(title)
    ax.set_ylabel("‖∂hₜ/∂h₀‖₂ (log scale)")
axes[0].legend(loc="lower left")
fig.tight_layout()
