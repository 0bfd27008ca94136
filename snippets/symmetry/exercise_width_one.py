import numpy as np

from labs.circles import make_circles
from nets.mlp import forward, init_params, train

rng = np.random.default_rng(7)
X, Y = make_circles(300, noise=0.05, rng=rng)
params = init_params([2, 4, 1], "zeros", rng)
for W, b in params:
    W[...] = 0.5
train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=1.0, steps=1000)
(W1, b1), (W2, b2) = params
sv = np.linalg.svd(W1, compute_uv=False)
rank_W1 = int((sv > 1e-6 * sv[0]).sum())  # numerical rank
print("W[1] after 1000 steps:", W1, f"singular values: {sv}, rank {rank_W1}", sep="\n")
# one unit: the shared row of W[1], the shared bias, the four outgoing weights summed
narrow = [(W1[:1], b1[:1]), (W2.sum(axis=1, keepdims=True), b2)]
y_wide = forward(params, X, hidden="tanh", output="sigmoid")[0]
y_narrow = forward(narrow, X, hidden="tanh", output="sigmoid")[0]
max_gap = np.abs(y_wide - y_narrow).max()
print(f"largest difference between the 2-4-1 and the 2-1-1 outputs: {max_gap:.2g}")
