"""A small NumPy multilayer perceptron in the course's column convention.

Shapes: X is (n[0], m), one example per column; W[l] is (n[l], n[l-1]); b[l] is (n[l], 1).
Python lists are 0-based, so layer l (1..L) lives at index l - 1 of params, caches and grads.

    from nets.mlp import init_params, forward, loss_and_grad, backward, train
    rng = np.random.default_rng(0)
    params = init_params([2, 10, 5, 1], "he", rng)           # [(W1, b1), (W2, b2), (W3, b3)]
    A_L, caches = forward(params, X, hidden="relu", output="sigmoid")
    J, dZ_L = loss_and_grad(caches, Y, "bce")                  # loss, dJ/dZ[L]
    grads = backward(params, caches, dZ_L)                     # [(dW, db, dA_prev), ...]
    history = train(params, X, Y, hidden="relu", output="sigmoid", loss="bce", lr=0.01, steps=1000)

caches[l-1] holds (A_prev, Z, A, activation) of layer l; grads[l-1] holds dJ/dW[l], dJ/db[l]
and dJ/dA[l-1]. Everything is float64; train updates params in place.

Independent networks of the same shape can be trained in one call: stack_params puts them
along a leading axis (W[l] becomes (k, n[l], n[l-1])), every product below broadcasts over it,
and each network gets its own loss and gradient (`.mT` is the transpose of the last two axes).
"""

import numpy as np


def init_std(init, n_in, n_out):
    """Standard deviation of each weight for a named scheme (n_in = n[l-1], n_out = n[l])."""
    return {
        "zeros": 0.0,
        "small": 0.01,  # the course's randn * 0.01
        "lecun": np.sqrt(1 / n_in),  # LeCun, Var = 1/n[l-1]: the course's first pick for tanh
        "glorot": np.sqrt(2 / (n_in + n_out)),  # Glorot & Bengio (2010), normal version
        "he": np.sqrt(2 / n_in),  # He et al. (2015), for ReLU
        "large": 10.0,  # the course assignment's randn * 10
    }[init]


def orthogonal(n_out, n_in, rng):
    """A (n_out, n_in) matrix with orthonormal rows or columns (whichever is fewer)."""
    Q, R = np.linalg.qr(rng.standard_normal((max(n_out, n_in), min(n_out, n_in))))
    Q = Q * np.sign(np.diag(R))  # sign fix: makes Q uniformly (Haar) distributed
    return Q if n_out >= n_in else Q.T


def init_params(layer_dims, init, rng, gain=1.0):
    """W[l] ~ N(0, (gain * init_std)^2), or gain * orthogonal (Saxe et al. 2013: every
    singular value 1) for init="orthogonal"; b[l] = 0. The gain multiplies the standard
    deviation (PyTorch's meaning), so the variance is multiplied by gain**2."""
    params = []
    for n_in, n_out in zip(layer_dims[:-1], layer_dims[1:]):
        if init == "orthogonal":
            W = orthogonal(n_out, n_in, rng)
        else:
            W = rng.standard_normal((n_out, n_in)) * init_std(init, n_in, n_out)
        params.append((gain * W, np.zeros((n_out, 1))))
    return params


def stack_params(networks):
    """k networks' params -> one list of (W, b) with a leading axis of length k."""
    return [(np.stack(Ws), np.stack(bs)) for Ws, bs in (zip(*layer) for layer in zip(*networks))]


# name: (g(Z), g'(Z) computed from Z and A = g(Z))
ACTIVATIONS = {
    "linear": (lambda Z: Z, lambda Z, A: 1.0),
    "tanh": (np.tanh, lambda Z, A: 1 - A**2),
    "relu": (lambda Z: np.maximum(Z, 0), lambda Z, A: Z > 0),  # bool: dA * (Z > 0) is float
    "sigmoid": (lambda Z: 0.5 * (1 + np.tanh(Z / 2)), lambda Z, A: A * (1 - A)),  # no overflow
}


def forward(params, X, hidden="relu", output="linear"):
    """Return (A[L], caches); every layer but the last uses `hidden`, the last uses `output`."""
    caches, A = [], X
    for l, (W, b) in enumerate(params, start=1):
        act = output if l == len(params) else hidden
        Z = W @ A + b
        A_prev, A = A, ACTIVATIONS[act][0](Z)
        caches.append((A_prev, Z, A, act))
    return A, caches


def loss_and_grad(caches, Y, loss="mse"):
    """Loss averaged over the entries of Y (one loss per stacked network), and its gradient
    dJ/dZ[L] w.r.t. the last Z.

    "mse": mean((A - Y)^2). "bce": binary cross-entropy of a sigmoid output, computed from Z
    as mean(log(1 + e^Z) - Y Z), which stays finite where log(A) would be log(0) = -inf.
    """
    _, Z, A, act = caches[-1]
    entries = (-2, -1)  # a network's own entries: (n[L], m)
    size = Z.shape[-2] * Z.shape[-1]
    if loss == "mse":
        return np.mean((A - Y) ** 2, axis=entries), 2 * (A - Y) / size * ACTIVATIONS[act][1](Z, A)
    if loss == "bce" and act == "sigmoid":
        return np.mean(np.logaddexp(0, Z) - Y * Z, axis=entries), (A - Y) / size
    raise ValueError(f"unsupported loss {loss!r} for output {act!r}")


def backward(params, caches, dZ_L):
    """Backpropagate dJ/dZ[L]; return [(dW, db, dA_prev) for each layer l = 1..L]."""
    grads, dZ, dA = [], dZ_L, None
    for l in range(len(params), 0, -1):
        (W, _), (A_prev, Z, A, act) = params[l - 1], caches[l - 1]
        if l < len(params):
            dZ = dA * ACTIVATIONS[act][1](Z, A)
        dA = W.mT @ dZ
        grads.append((dZ @ A_prev.mT, dZ.sum(axis=-1, keepdims=True), dA))
    return grads[::-1]


def train(params, X, Y, hidden="relu", output="linear", loss="mse", lr=0.01, steps=1000):
    """Full-batch gradient descent on params in place; return the loss before each step
    (a float, or a list of k floats for k stacked networks)."""
    history = []
    for _ in range(steps):
        _, caches = forward(params, X, hidden, output)
        J, dZ_L = loss_and_grad(caches, Y, loss)
        for (W, b), (dW, db, _) in zip(params, backward(params, caches, dZ_L)):
            W -= lr * dW
            b -= lr * db
        history.append(J.tolist())
    return history
