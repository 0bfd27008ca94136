import matplotlib.pyplot as plt
import numpy as np

scales = [0.5, 0.9, 1.0, 1.1, 1.5]
L = np.arange(0, 251)
f32 = np.finfo(np.float32)

fig, ax = plt.subplots(figsize=(7, 4.5))
for a in scales:
    ax.plot(L, float(a) ** L, label=f"a = {a}")  # float64: fits to L = 250
top, tiny = float(f32.max), float(f32.smallest_normal)
ax.axhline(top, color="C7", linestyle=":")
ax.axhline(tiny, color="C7", linestyle="--")
ax.text(2, top * 30, "float32 largest value", color="C7")
ax.text(2, tiny * 30, "float32 smallest normal", color="C7")

ax.set_yscale("log")
ax.set_xlabel("depth L (number of layers)")
ax.set_ylabel(r"output per unit, $a^L$ (log scale)")
ax.legend(title="W = a·I", loc="lower left", ncols=2)
fig.tight_layout()
