import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(1)
ns = np.array([1, 3, 10, 30, 100, 300, 1000, 3000])
trials = 1000
var_unit, var_scaled = [], []
for n in ns:
    x = rng.standard_normal((trials, n))
    w = rng.standard_normal((trials, n))
    var_unit.append((w * x).sum(axis=1).var())                    # Var(w) = 1
    var_scaled.append((w * np.sqrt(1 / n) * x).sum(axis=1).var())  # Var(w) = 1/n
var_unit, var_scaled = np.array(var_unit), np.array(var_scaled)

fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(ns, ns * 1.0, "C0-", label="theory n·Var(w)·Var(x) = n")
ax.loglog(ns, var_unit, "C0o", label="measured, Var(w) = 1")
ax.loglog(ns, np.ones(len(ns)), "C1-", label="theory = 1")
ax.loglog(ns, var_scaled, "C1s", label="measured, Var(w) = 1/n")
ax.set_xlabel("number of inputs n (log scale)")
ax.set_ylabel("Var(z) over 1000 draws (log scale)")
ax.legend()
fig.tight_layout()
