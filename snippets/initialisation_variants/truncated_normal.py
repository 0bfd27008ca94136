import math

import numpy as np

rng = np.random.default_rng(8)
z = rng.standard_normal(2_000_000)
kept = z[np.abs(z) <= 2]  # Keras keeps only draws within ±2 std
std_truncated = kept.std()  # the truncation shrinks the std below 1
phi2 = math.exp(-2) / math.sqrt(2 * math.pi)  # standard normal density at 2
theory = math.sqrt(1 - 4 * phi2 / math.erf(2 / math.sqrt(2)))
print(f"std of N(0,1) cut at ±2: {std_truncated:.4f}   (theory {theory:.4f})")

# Keras draws with std √(2/n) / theory, so the std after truncation is √(2/n)
n = 500
w = rng.standard_normal(4 * n * n) * math.sqrt(2 / n) / theory
w = w[np.abs(w) <= 2 * math.sqrt(2 / n) / theory][: n * n]
n_var_keras_he = n * w.var()
print(f"n · Var(w) for a Keras-style HeNormal: {n_var_keras_he:.4f}   (target 2)")
