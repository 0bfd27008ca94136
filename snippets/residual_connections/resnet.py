"""A residual MLP in NumPy, in the column convention of nets/mlp.py (X is (n, m)).

Block b maps x[b] (width n) to x[b+1] = x[b] + F(x[b]), with a two-layer branch
    F(x) = W2 relu(W1 x + c1) + c2,   W1 ~ N(0, 2/n) (He),  W2 ~ N(0, alpha^2/n).
alpha, the branch gain, multiplies the standard deviation of W2 (LeCun for alpha = 1),
so the branch's output has alpha^2 times the second moment of its input; alpha = 0 is
the zero-initialised last layer of Fixup. A whole net is a linear stem, the blocks and
a linear head: params = (stem, blocks, head) with stem = (S, s), head = (H, h) and
blocks[b] = (W1, c1, W2, c2).
"""

import numpy as np


# --8<-- [start:blocks]
def init_blocks(width, blocks, alpha, rng):
    """Biases 0. W2 is drawn even for alpha = 0: one seed, the same W1 for any alpha."""
    params = []
    for _ in range(blocks):
        W1 = rng.standard_normal((width, width)) * np.sqrt(2 / width)
        W2 = rng.standard_normal((width, width)) * np.sqrt(1 / width) * alpha
        params.append((W1, np.zeros((width, 1)), W2, np.zeros((width, 1))))
    return params


def forward_blocks(blocks, x):
    """Return the output and caches[b] = (x[b], W1 x[b] + c1) for the backward pass."""
    caches = []
    for W1, c1, W2, c2 in blocks:
        z = W1 @ x + c1
        caches.append((x, z))
        x = x + W2 @ np.maximum(z, 0) + c2
    return x, caches


def backward_blocks(blocks, caches, dx):
    """From dJ/dx[B]: ([(dW1, dc1, dW2, dc2) per block], [dJ/dx[b] for b = 0..B])."""
    grads, dxs = [], [dx]
    for (W1, _, W2, _), (x, z) in zip(blocks[::-1], caches[::-1]):
        dz = (W2.T @ dx) * (z > 0)  # through the branch: W2, then relu'(z)
        dW2, dc2 = dx @ np.maximum(z, 0).T, dx.sum(axis=1, keepdims=True)
        grads.append((dz @ x.T, dz.sum(axis=1, keepdims=True), dW2, dc2))
        dx = dx + W1.T @ dz  # identity path + branch path: the Jacobian is I + dF/dx
        dxs.append(dx)
    return grads[::-1], dxs[::-1]
    # --8<-- [end:blocks]


def init_net(n_in, width, blocks, n_out, alpha, rng):
    """Stem LeCun (Var 1/n_in), the blocks, head LeCun (Var 1/width); biases 0."""
    S = rng.standard_normal((width, n_in)) * np.sqrt(1 / n_in)
    body = init_blocks(width, blocks, alpha, rng)
    H = rng.standard_normal((n_out, width)) * np.sqrt(1 / width)
    return (S, np.zeros((width, 1))), body, (H, np.zeros((n_out, 1)))


def forward(params, X):
    (S, s), body, (H, h) = params
    x, caches = forward_blocks(body, S @ X + s)
    return H @ x + h, (X, caches, x)


def backward(params, cache, dY):
    """From dJ/dY, return the gradients, with the structure of params."""
    (S, s), body, (H, h) = params
    X, caches, x = cache
    grads, dxs = backward_blocks(body, caches, H.T @ dY)
    dS, ds = dxs[0] @ X.T, dxs[0].sum(axis=1, keepdims=True)
    return (dS, ds), grads, (dY @ x.T, dY.sum(axis=1, keepdims=True))
