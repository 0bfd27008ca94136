import numpy as np

from normalisation.norm import BATCH, EPS, normalise, normalise_backward

rng = np.random.default_rng(7)
X, W = rng.standard_normal((8, 32)), rng.standard_normal((4, 8)) / np.sqrt(8)
G = rng.standard_normal((4, 32))  # J = sum(G * Y): an arbitrary dJ/dY
Y, cache = normalise(W @ X, BATCH)
Y_10, cache_10 = normalise(10 * W @ X, BATCH)
dW, dW_10 = (normalise_backward(G, c)[0] @ X.T for c in (cache, cache_10))
grad_ratio = np.linalg.norm(dW_10) / np.linalg.norm(dW)
largest_change = np.max(np.abs(Y_10 - Y))
eps_gap = np.max(np.abs(Y_10 - normalise(W @ X, BATCH, eps=EPS / 100)[0]))
print(f"largest change in Y: {largest_change:.1e}")
print(f"largest change from Y at W with eps/100: {eps_gap:.1e}")
print(f"|dJ/dW| at 10 W / |dJ/dW| at W: {grad_ratio:.6f}")
