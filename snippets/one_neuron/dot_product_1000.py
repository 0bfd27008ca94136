import numpy as np

rng = np.random.default_rng(0)
n, trials = 1000, 4000
x = rng.standard_normal((trials, n))  # each row: one input, mean 0, variance 1
w = rng.standard_normal((trials, n))  # each row: one neuron's weights, Var(w) = 1

z_unit = (w * x).sum(axis=1)                   # z = Σ wᵢxᵢ, b = 0
z_scaled = (w * np.sqrt(1 / n) * x).sum(axis=1)  # same draws, Var(w) = 1/n

std_unit, std_scaled, sqrt_n = z_unit.std(), z_scaled.std(), np.sqrt(n)
print(f"Var(w) = 1  : std(z) = {std_unit:6.2f}   theory √n = {sqrt_n:.2f}")
print(f"Var(w) = 1/n: std(z) = {std_scaled:6.3f}   theory 1")
