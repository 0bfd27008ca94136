import matplotlib.pyplot as plt
import numpy as np

from recurrent_networks.train_with_clipping import CLIP, runs

fig, (ax_loss, ax_norm) = plt.subplots(2, 1, figsize=(6.4, 6.5))
for i, (name, (losses, norms, _)) in enumerate(runs.items()):
    steps = np.arange(len(losses))
    big = norms > CLIP  # steps whose gradient norm is above the threshold
    ax_loss.plot(steps, losses, f"C{i}-", label=name)
    ax_loss.plot(steps[big], losses[big], f"C{i}x", ms=5)
    ax_norm.plot(steps, norms, f"C{i}-", label=name)
ax_loss.plot([], [], "C7x", ls="", label=f"‖g‖ > c = {CLIP:g}")
ax_norm.axhline(CLIP, color="C7", ls="--", lw=1, label="c")
ax_loss.set_ylabel("loss (log scale)")
ax_norm.set_ylabel("‖g‖ (log scale)")
for ax in (ax_loss, ax_norm):
    ax.set_xlabel("training step")
    ax.set_yscale("log")
ax_loss.legend()
fig.tight_layout()
