import matplotlib.pyplot as plt
import numpy as np

from deep_nets.orthogonal_linear import DEPTH, singular_values

fig, ax = plt.subplots()
for init, label in [("lecun", "Gaussian, Var(w) = 1/n"), ("orthogonal", "orthogonal")]:
    s = singular_values[init]
    ax.plot(np.arange(1, s.size + 1), s, label=label)
ax.set_yscale("log")
ax.set_xlabel("rank of the singular value (largest first)")
ax.set_ylabel("singular value (log scale)")
ax.set_title(f"End-to-end map W[{DEPTH}] ··· W[1] of a linear net, width 256")
ax.legend()
fig.tight_layout()
