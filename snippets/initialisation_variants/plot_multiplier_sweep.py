import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(7)
n, depth, batch = 128, 50, 32
multipliers = 2.0 ** np.linspace(-1, 2, 10)  # c in Var(w) = c / n, from 0.5 to 4
x = rng.standard_normal((batch, n))           # E[x²] = 1
rms = []
for c in multipliers:
    a = x
    for layer in range(depth):
        W = rng.standard_normal((n, n)) * np.sqrt(c / n)
        a = np.maximum(a @ W.T, 0)            # ReLU layer
    rms.append(np.sqrt(np.mean(a**2)))
rms = np.array(rms)
theory = (multipliers / 2) ** (depth / 2)     # E[a²] gains a factor c/2 per layer

fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(multipliers, theory, "C0-", label="theory (c/2)^(L/2)")
ax.loglog(multipliers, rms, "C1o", label=f"measured, width {n}, L = {depth}")
ax.axvline(1, color="C2", ls=":", label="c = 1 (LeCun)")
ax.axvline(2, color="C3", ls="--", label="c = 2 (He)")
ax.set_xticks([0.5, 1, 2, 4], labels=["0.5", "1", "2", "4"])
ax.xaxis.set_minor_formatter(plt.NullFormatter())
ax.set_xlabel("variance multiplier c in Var(w) = c/n (log scale)")
ax.set_ylabel("RMS of layer-50 activations (log scale)")
ax.legend(loc="upper left", framealpha=1)
fig.tight_layout()
