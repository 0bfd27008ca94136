import numpy as np

rng = np.random.default_rng(1)
widths = [2, 4, 16]
gains = np.geomspace(0.5, 2.0, 7)   # g = sigma sqrt(n): N(0, g^2 / n) entries
chains, depth = 200, 20

# r = ||x^[l]|| / ||x^[l-1]||, one per layer and chain
typical = np.zeros((len(widths), len(gains)))   # mean of ln(r)
mean_square = np.zeros_like(typical)            # (1/2) ln(mean of r^2)
for i, n in enumerate(widths):
    for j, g in enumerate(gains):
        x = rng.standard_normal((chains, n))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        r2 = np.zeros((chains, depth))
        for l in range(depth):
            W = rng.standard_normal((chains, n, n)) * g / np.sqrt(n)
            x = np.einsum("kij,kj->ki", W, x)
            r2[:, l] = np.sum(x**2, axis=1)
            x /= np.sqrt(r2[:, l:l + 1])    # back to ||x|| = 1
        typical[i, j] = 0.5 * np.log(r2).mean()
        mean_square[i, j] = 0.5 * np.log(r2.mean())

at_one = int(np.argmin(abs(gains - 1.0)))   # the column sigma^2 n = 1
lyapunov_n2, lyapunov_n4, lyapunov_n16 = typical[:, at_one]
factor_n2, factor_n4, factor_n16 = np.exp(typical[:, at_one])
crossover_n4 = 1 / factor_n4        # g that keeps n = 4's typical size
shrink_100_n4 = factor_n4 ** 100    # typical size after 100 layers, n = 4
# exact for n = 4: lambda = (ln(2/n) + digamma(n/2)) / 2, and digamma(2) = 1 - Euler's gamma
lyapunov_exact_n4 = 0.5 * (np.log(2 / 4) + 1 - np.euler_gamma)
shrink_100_exact_n4 = np.exp(100 * lyapunov_exact_n4)
crossover_exact_n4 = np.exp(-lyapunov_exact_n4)
print(" n   e^lambda at sigma^2 n = 1   g where typical growth = 1")
for n, factor in zip(widths, np.exp(typical[:, at_one])):
    print(f"{n:2d}   {factor:.4f}                    {1 / factor:.3f}")
