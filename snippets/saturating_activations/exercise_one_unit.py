import numpy as np

# One sigmoid unit per layer: a[l] = σ(w a[l-1]) with w > 0, so a[l] > ½ after layer 1.
# A layer's gradient factor is w σ'(w a) = z σ'(z) / a, with z = w a.
z = np.linspace(0, 20, 2_000_001)
s = 0.5 * (1 + np.tanh(z / 2))
best = (z * s * (1 - s)).max()  # the largest z σ'(z), over every z >= 0
best_z = z[(z * s * (1 - s)).argmax()]
best_relative_slope = (s * (1 - s))[(z * s * (1 - s)).argmax()] / 0.25  # σ'(best_z) / max σ'
ceiling = best / 0.5  # divide by the smallest a, ½

w = np.logspace(-2, 3, 501)[:, None]  # weights from 0.01 to 1000
a = np.linspace(0.5, 1, 501)[None, :]
sw = 0.5 * (1 + np.tanh(w * a / 2))
measured = (w * sw * (1 - sw)).max()  # the largest factor on this grid
print(f"max z σ'(z) = {best:.4f} at z = {best_z:.3f}; so w σ'(w a) <= {ceiling:.4f}")
print(f"largest factor over w in [0.01, 1000], a in [½, 1]: {measured:.4f}")
