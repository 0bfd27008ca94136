from itertools import combinations

import numpy as np

from labs.circles import make_circles
from nets.mlp import init_params, train

rng = np.random.default_rng(8)
X, Y = make_circles(300, noise=0.05, rng=rng)
params = init_params([2, 8, 3, 1], "zeros", rng)  # biases 0
for W, b in params:
    W[...] = 0.5 * rng.choice([-1.0, 1.0], size=W.shape)  # independent random signs
W1, W2 = params[0][0].copy(), params[1][0].copy()  # the start
pairs = list(combinations(range(8), 2))
same_row = [(i, j) for i, j in pairs if np.all(W1[i] == W1[j])]
predicted = [(i, j) for i, j in same_row if np.all(W2[:, i] == W2[:, j])]  # + column
train(params, X, Y, hidden="tanh", output="sigmoid", loss="bce", lr=1.0, steps=1000)
W1 = params[0][0]
still_equal = [(i, j) for i, j in pairs if np.abs(W1[i] - W1[j]).max() < 1e-9]
n_same_row, n_stuck = len(same_row), len(predicted)
print("pairs of layer-1 units with the same row of W[1] at the start:", same_row)
print("  ... and the same column of W[2]:", predicted)
print("pairs whose rows of W[1] still agree after 1000 steps:", still_equal)
