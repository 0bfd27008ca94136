import numpy as np

rng = np.random.default_rng(5)
b = 1.0
u = rng.uniform(-b, b, size=1_000_000)
var_u = u.var()
print(f"Var(U(-1, 1)) = {var_u:.4f}   (theory b²/3 = {b**2 / 3:.4f})")

n = 500  # fan-in; He wants Var(w) = 2/n
bound = np.sqrt(3) * np.sqrt(2 / n)  # = √(6/n): the √3 undoes the 1/3
n_var_he_uniform = n * rng.uniform(-bound, bound, size=(n, n)).var()
print(f"n · Var(w) with b = √(6/n): {n_var_he_uniform:.4f}   (target 2)")
