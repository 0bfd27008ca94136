import numpy as np

rng = np.random.default_rng(0)
W = rng.standard_normal((64, 64))
W *= 2 / np.linalg.norm(W, ord=2)  # rescaled so that ||W||₂ = 2
U, S, Vt = np.linalg.svd(W)


def factor(z, v):
    """||Wᵀ (σ'(z) ⊙ v)|| / ||v||: what one sigmoid layer does to the gradient's norm."""
    s = 0.5 * (1 + np.tanh(z / 2))
    return np.linalg.norm(W.T @ (s * (1 - s) * v)) / np.linalg.norm(v)


bound = 0.25 * S[0]  # max σ' times ||W||₂
attained = factor(np.zeros(64), U[:, 0])  # z = 0 and v along W's top left singular vector
tries = [factor(rng.standard_normal(64), rng.standard_normal(64)) for _ in range(1000)]
random_tries = max(tries)  # the largest factor over 1000 random (z, v)
print(f"bound {bound:.4f}, attained {attained:.4f}")
print(f"largest of 1000 random tries: {random_tries:.4f}")
print(f"ten such layers: at most {bound**10:.2e}")
