import numpy as np

# d2l.ai's demo: M = a 4x4 N(0, 1) matrix, then 100 times M = M @ (a fresh
# one), so 101 factors. Repeated 1000 times, independently.
rng = np.random.default_rng(0)
seeds = 1000
M = rng.standard_normal((seeds, 4, 4))
for _ in range(100):
    M = M @ rng.standard_normal((seeds, 4, 4))

log10_largest = np.log10(np.abs(M).max(axis=(1, 2)))  # one per repetition
log10_column = np.log10(np.linalg.norm(M[:, :, 0], axis=1))
mean_largest, std_largest = log10_largest.mean(), log10_largest.std()
lowest, highest = log10_largest.min(), log10_largest.max()
# column 1 is e1 pushed through 101 layers: a random walk whose steps have
# sd sqrt(trigamma(2)) / 2 decades, trigamma(2) = pi^2/6 - 1 (n = 4)
step_sd = 0.5 * np.sqrt(np.pi**2 / 6 - 1) / np.log(10)
column_spread_theory = np.sqrt(101) * step_sd
column_spread = log10_column.std()

print(f"first repetition: largest |entry| = {np.abs(M[0]).max():.3e}")
print(f"log10 largest |entry| over {seeds} repetitions:"
      f" {mean_largest:.2f} ± {std_largest:.2f}")
print(f"range: 10^{lowest:.1f} to 10^{highest:.1f}")
print(f"log10 |column 1|: sd {column_spread:.2f}"
      f" (random walk: {column_spread_theory:.2f})")
