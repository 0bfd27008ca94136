import matplotlib.pyplot as plt
import numpy as np

from deep_nets.product_spectrum import DEPTH, WIDTH, log10_sv, naive_sv

rank = np.arange(1, WIDTH + 1)
fig, ax = plt.subplots()
ax.plot(rank, 10.0 ** log10_sv["lecun"], label="Gaussian, Var(w) = 1/n")
ax.plot(rank, 10.0 ** log10_sv["orthogonal"], label="orthogonal")
ax.plot(rank, naive_sv["float64"], ":", label="Gaussian, multiplied out, float64")
ax.set_yscale("log")
lowest = 20 * np.floor(log10_sv["lecun"].min() / 20)
ax.set_yticks(10.0 ** np.arange(lowest, 1, 20))  # a tick every 20 decades
ax.set_xlabel("rank of the singular value (largest first)")
ax.set_ylabel("singular value (log scale)")
ax.set_title(f"W[{DEPTH}] ··· W[1], a linear net of width {WIDTH}")
ax.legend(loc="lower left")
fig.tight_layout()
