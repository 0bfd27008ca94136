import numpy as np

from normalisation.norm import BATCH, EPS, normalise, normalise_backward

rng = np.random.default_rng(7)
X = rng.standard_normal((8, 32))  # 8 inputs, 32 examples
W = rng.standard_normal((4, 8)) / np.sqrt(8)  # 4 units
G = rng.standard_normal((4, 32))  # an arbitrary dJ/dY
Y, cache = normalise(W @ X, BATCH)
Y_10, cache_10 = normalise(10 * W @ X, BATCH)
dW = normalise_backward(G, cache)[0] @ X.T  # dJ/dZ X^T
dW_10 = normalise_backward(G, cache_10)[0] @ X.T
grad_ratio = np.linalg.norm(dW_10) / np.linalg.norm(dW)
largest_change = np.max(np.abs(Y_10 - Y))
Y_eps = normalise(W @ X, BATCH, eps=EPS / 100)[0]
eps_gap = np.max(np.abs(Y_10 - Y_eps))
print(f"largest change in Y: {largest_change:.1e}")
print(f"largest gap to Y at W with eps/100: {eps_gap:.1e}")
print(f"|dJ/dW| at 10 W over |dJ/dW| at W: {grad_ratio:.6f}")
