import numpy as np

from labs.circles import make_circles

KEEP, LR, STEPS, n = 0.8, 1.0, 500, 6
rng = np.random.default_rng(4)
X, Y = make_circles(300, noise=0.05, rng=rng)
W1, W2, W3 = np.full((n, 2), 0.5), np.full((n, n), 0.5), np.full((1, n), 0.5)  # constant start
b1, b2, b3 = np.zeros((n, 1)), np.zeros((n, 1)), np.zeros((1, 1))
for step in range(STEPS):
    M = (rng.random((n, 300)) < KEEP) / KEEP  # inverted dropout on layer 1's units only
    H1 = np.tanh(W1 @ X + b1)
    A2 = np.tanh(W2 @ (H1 * M) + b2)
    A3 = 0.5 * (1 + np.tanh((W3 @ A2 + b3) / 2))  # sigmoid
    dZ3 = (A3 - Y) / 300  # binary cross-entropy
    dZ2 = (W3.T @ dZ3) * (1 - A2**2)
    dZ1 = (W2.T @ dZ2) * M * (1 - H1**2)
    dP = [dZ3 @ A2.T, dZ3.sum(1, keepdims=True), dZ2 @ (H1 * M).T, dZ2.sum(1, keepdims=True), dZ1 @ X.T]
    for P, g in zip((W3, b3, W2, b2, W1, b1), dP + [dZ1.sum(1, keepdims=True)]):
        P -= LR * g
spread_W1, spread_W2 = np.ptp(W1, axis=0).max(), np.ptp(W2, axis=0).max()  # max_ij |W[i] - W[j]|
print(f"after {STEPS} steps, largest difference between two rows of W[1]: {spread_W1:.3g}")
print(f"                                                         of W[2]: {spread_W2:.3g}")
