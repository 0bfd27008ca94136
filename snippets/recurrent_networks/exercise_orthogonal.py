import numpy as np

N, T, A = 32, 100, 1.05
rng = np.random.default_rng(0)
Q, _ = np.linalg.qr(rng.standard_normal((N, N)))  # Q^T Q = I
J = np.linalg.matrix_power(A * Q, T)  # dh_T/dh_0 for W_hh = A Q
singular_values = np.linalg.svd(J, compute_uv=False)
factor = A**T
print(f"{A}^{T} = {factor:.2f}")
low, high = singular_values.min(), singular_values.max()
print(f"singular values of W_hh^{T}: {low:.2f} to {high:.2f}")
