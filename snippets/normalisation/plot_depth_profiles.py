import matplotlib.pyplot as plt
import numpy as np

from normalisation.depth_profiles import DEPTH, GAINS, z_rms

layers = np.arange(1, DEPTH + 1)
fig, (plain, normed) = plt.subplots(1, 2, figsize=(8, 3.6))
for k, g in enumerate(GAINS):
    plain.plot(layers, z_rms["none", g], color=f"C{k}", label=f"gain {g:g}")
    normed.plot(layers, z_rms["batch", g], color=f"C{k}")
    normed.plot(layers, z_rms["layer", g], color=f"C{k}", ls=":", lw=2.5)
normed.plot([], [], color="C7", label="batch norm")
normed.plot([], [], color="C7", ls=":", lw=2.5, label="layer norm")
plain.set_title("no normalisation", fontsize="medium")
normed.set_title("normalised after every layer", fontsize="medium")
plain.legend(loc="upper left")
normed.legend(loc="lower center", ncol=2)
for ax in (plain, normed):
    ax.set_yscale("log")
    ax.set_xlabel("layer l")
    ax.set_ylabel("RMS of Z[l] (log scale)")
plain.set_yticks([1e-50, 1e-25, 1, 1e25, 1e50])
normed.set_ylim(0.01, 50)  # room for the legend below the lines
fig.tight_layout()
