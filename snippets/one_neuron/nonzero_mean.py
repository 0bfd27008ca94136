import numpy as np

rng = np.random.default_rng(2)
n, trials = 256, 4000
w = rng.standard_normal((trials, n)) * np.sqrt(1 / n)  # Var(w) = 1/n, mean 0

mus = [0.0, 1.0, 3.0]
var_raw, var_normalised = [], []
for mu in mus:
    x = mu + rng.standard_normal((trials, n))      # Var(x) = 1, E[x] = mu
    x_norm = (x - x.mean(axis=0)) / x.std(axis=0)  # normalise each feature
    var_raw.append((w * x).sum(axis=1).var())
    var_normalised.append((w * x_norm).sum(axis=1).var())

print(" E[x]  Var(z) raw  theory 1+E[x]²  Var(z) normalised")
for mu, raw, norm in zip(mus, var_raw, var_normalised):
    print(f"{mu:5.1f} {raw:11.3f} {1 + mu**2:15.1f} {norm:18.3f}")
