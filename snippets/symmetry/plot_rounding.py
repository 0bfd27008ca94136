import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from symmetry.rounding_growth import NUDGE, loss, spread

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.6))
labels = ["as computed", f"nudged by {NUDGE:.0e}"]
for k, (label, color) in enumerate(zip(labels, ["C1", "C4"])):
    steps = np.flatnonzero(spread[:, k] > 0)  # a log axis cannot show 0
    left.plot(steps, spread[steps, k], color=color, label=label)
    right.plot(loss[:, k], color=color, label=label)
left.set_yscale("log")
left.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{round(np.log10(v))}"))
left.yaxis.set_minor_locator(NullLocator())
left.set_title("how different the units are", fontsize="medium")
left.set_ylabel("largest gap between two units\n(log scale)")
right.legend(loc="upper right")  # one legend for both panels
right.set_title("training loss", fontsize="medium")
right.set_ylabel("cross-entropy")
for ax in (left, right):
    ax.set_xlabel("gradient-descent step")
fig.tight_layout()
