import numpy as np

rng = np.random.default_rng(0)
n, depth, chains = 4, 100, 1000
x = np.zeros((chains, n))
x[:, 0] = 1.0                        # every chain starts at x = e1, size 1

log10_size = np.zeros((chains, depth + 1))   # log10 ||x^[l]||, l = 0 .. depth
for l in range(1, depth + 1):
    W = rng.standard_normal((chains, n, n))  # fresh N(0, 1) matrices
    x = np.einsum("kij,kj->ki", W, x)
    log10_size[:, l] = np.log10(np.linalg.norm(x, axis=1))

median = np.median(log10_size, axis=0)
layers = np.arange(depth + 1)
slope_measured = np.polyfit(layers, median, 1)[0]    # decades per layer
spread_measured = log10_size[:, -1].std()            # across chains, l = 100

# ||W x|| / ||x|| is a chi variable with n degrees of freedom, independently
# at every layer: log-size is a random walk with these exact step statistics.
psi = -np.euler_gamma + sum(1 / j for j in range(1, n // 2))  # digamma(n/2)
trigamma = np.pi**2 / 6 - sum(1 / j**2 for j in range(1, n // 2))
slope_theory = 0.5 * (np.log(2) + psi) / np.log(10)
spread_theory = 0.5 * np.sqrt(trigamma) / np.log(10) * np.sqrt(depth)

print(f"slope : {slope_measured:.4f} decades/layer"
      f" (theory {slope_theory:.4f})")
print(f"spread: {spread_measured:.3f} decades at l = {depth}"
      f" (theory {spread_theory:.3f})")
