import numpy as np

from nets.mlp import forward, init_params

WIDTH, DEPTH = 256, 50
X = np.random.default_rng(1).standard_normal((WIDTH, 128))

norm_ratio = {}
# Var(w) = 1/n, and W with every singular value equal to 1
for init in ["lecun", "orthogonal"]:
    params = init_params([WIDTH] * (DEPTH + 1), init, np.random.default_rng(0))
    A_L, _ = forward(params, X, hidden="linear", output="linear")
    # ‖A[L]‖ / ‖X‖ for each example (column)
    norm_ratio[init] = np.linalg.norm(A_L, axis=0) / np.linalg.norm(X, axis=0)
    r = norm_ratio[init]
    print(f"{init}: ‖A[L]‖/‖X‖ from {r.min():.3g} to {r.max():.3g}")

orth_max_error = np.abs(norm_ratio["orthogonal"] - 1).max()
gauss_ratio_min = norm_ratio["lecun"].min()
gauss_ratio_max = norm_ratio["lecun"].max()
