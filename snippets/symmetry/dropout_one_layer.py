import numpy as np

from labs.circles import make_circles

KEEP, LR, STEPS, n = 0.8, 1.0, 500, 6
rng = np.random.default_rng(4)
X, Y = make_circles(300, noise=0.05, rng=rng)
W1, W2, W3 = np.full((n, 2), 0.5), np.full((n, n), 0.5), np.full((1, n), 0.5)
b1, b2, b3 = np.zeros((n, 1)), np.zeros((n, 1)), np.zeros((1, 1))  # a constant start
for step in range(STEPS):
    M = (rng.random((n, 300)) < KEEP) / KEEP  # inverted dropout on layer 1's units only
    H1 = np.tanh(W1 @ X + b1)
    A2 = np.tanh(W2 @ (H1 * M) + b2)
    A3 = 0.5 * (1 + np.tanh((W3 @ A2 + b3) / 2))  # sigmoid
    dZ3 = (A3 - Y) / 300  # binary cross-entropy
    dZ2 = (W3.T @ dZ3) * (1 - A2**2)
    dZ1 = (W2.T @ dZ2) * M * (1 - H1**2)
    dW = [dZ3 @ A2.T, dZ2 @ (H1 * M).T, dZ1 @ X.T]
    db = [dZ.sum(axis=1, keepdims=True) for dZ in (dZ3, dZ2, dZ1)]
    for P, dP in zip((W3, W2, W1, b3, b2, b1), dW + db):
        P -= LR * dP
spread_W1 = np.ptp(W1, axis=0).max()  # largest difference between two rows
spread_W2 = np.ptp(W2, axis=0).max()
print(f"after {STEPS} steps, largest difference between two rows")
print(f"  of W[1]: {spread_W1:.3g}")
print(f"  of W[2]: {spread_W2:.3g}")
