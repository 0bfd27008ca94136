"""Batch and layer normalisation, forward and backward, in the column
convention of nets/mlp.py: Z is (n, m), n units and one example per column.

Both subtract a mean and divide by a standard deviation, then scale by gamma
and shift by beta (one pair per unit, (n, 1), initialised to 1 and 0). They
differ only in the axis the statistics are taken over:
    batch norm   axis=1: each unit (row) over the m examples of the batch;
    layer norm   axis=0: each example (column) over its n units.
The variance divides by the count (the biased one), as PyTorch's layers do in
training.
"""

# --8<-- [start:norm]
import numpy as np

EPS = 1e-5  # PyTorch's default eps for nn.BatchNorm1d and nn.LayerNorm
BATCH, LAYER = 1, 0  # the axis each one averages over


def normalise(Z, axis, gamma=1.0, beta=0.0, eps=EPS):
    """gamma (Z - mean) / sqrt(var + eps) + beta, and a cache for backward."""
    Z_hat = Z - Z.mean(axis=axis, keepdims=True)
    inv_std = 1 / np.sqrt(np.mean(Z_hat**2, axis=axis, keepdims=True) + eps)
    Z_hat = Z_hat * inv_std
    return gamma * Z_hat + beta, (Z_hat, inv_std, gamma, axis)


def normalise_backward(dY, cache):
    """From dJ/dY: (dJ/dZ, dJ/dgamma, dJ/dbeta). The mean and the variance
    depend on every entry they average over, so dJ/dZ loses its mean and its
    component along Z_hat."""
    Z_hat, inv_std, gamma, axis = cache
    d_hat = dY * gamma
    mean = lambda a: a.mean(axis=axis, keepdims=True)  # noqa: E731
    dZ = inv_std * (d_hat - mean(d_hat) - Z_hat * mean(d_hat * Z_hat))
    d_gamma = np.sum(dY * Z_hat, axis=1, keepdims=True)
    return dZ, d_gamma, np.sum(dY, axis=1, keepdims=True)


# --8<-- [end:norm]


def forward(Ws, X, axis=None, eps=EPS):
    """Hidden layers: Z = W A, normalise over `axis` (BATCH, LAYER, or None
    for no normalisation), ReLU. The last W is a linear output layer. No
    biases: batch norm's mean subtraction would cancel them; beta (0) replaces
    them."""
    A, caches = X, []
    for W in Ws[:-1]:
        Z = W @ A
        if axis is None:
            Y, cache = Z, None
        else:
            Y, cache = normalise(Z, axis, eps=eps)
        caches.append((A, Z, Y, cache))
        A = np.maximum(Y, 0)
    return Ws[-1] @ A, caches + [(A, None, None, None)]


def backward(Ws, caches, d_out):
    """From dJ/d(output): ([dJ/dW per layer], [dJ/dZ per hidden layer])."""
    dA, dWs, dZs = Ws[-1].T @ d_out, [d_out @ caches[-1][0].T], []
    for W, (A_prev, Z, Y, cache) in zip(Ws[-2::-1], caches[-2::-1]):
        dZ = dA * (Y > 0)  # through the ReLU
        if cache is not None:
            dZ = normalise_backward(dZ, cache)[0]
        dWs.append(dZ @ A_prev.T)
        dZs.append(dZ)
        dA = W.T @ dZ
    return dWs[::-1], dZs[::-1]
