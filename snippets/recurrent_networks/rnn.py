"""A one-layer tanh RNN that reads its answer off the last state, and its
gradient by backpropagation through time (BPTT).

Shapes (the site's column convention): X is (T, n_x, m), one sequence per
column; each state h_t is (n_h, m).

    h_0 = 0,  h_t = tanh(W_hh h_{t-1} + W_xh x_t + b),  s = W_hy h_T + b_y

The output is p = sigmoid(s); the loss is the binary cross-entropy of p
against labels Y in {0, 1}, averaged over the m sequences.
"""

import numpy as np


def init_rnn(n_x, n_h, rho, rng):
    """W_hh: Gaussian, rescaled to spectral radius rho; W_xh, W_hy: LeCun (1/n)."""
    W_hh = rng.standard_normal((n_h, n_h))
    W_hh *= rho / np.max(np.abs(np.linalg.eigvals(W_hh)))
    return {
        "W_hh": W_hh,
        "W_xh": rng.standard_normal((n_h, n_x)) / np.sqrt(n_x),
        "b": np.zeros((n_h, 1)),
        "W_hy": rng.standard_normal((1, n_h)) / np.sqrt(n_h),
        "b_y": np.zeros((1, 1)),
    }


def forward(params, X):
    """Logits s (1, m) and the states [h_0, ..., h_T]."""
    W_hh, W_xh, b = params["W_hh"], params["W_xh"], params["b"]
    hs = [np.zeros((W_hh.shape[0], X.shape[2]))]
    for x in X:
        hs.append(np.tanh(W_hh @ hs[-1] + W_xh @ x + b))
    return params["W_hy"] @ hs[-1] + params["b_y"], hs


def loss_and_grads(params, X, Y):
    s, hs = forward(params, X)
    m = X.shape[2]
    loss = np.mean(np.logaddexp(0, s) - Y * s)  # cross-entropy from the logits
    ds = (0.5 + 0.5 * np.tanh(s / 2) - Y) / m  # (sigmoid(s) - y) / m, no overflow
    grads = {"W_hy": ds @ hs[-1].T, "b_y": ds.sum(axis=1, keepdims=True)}
    grads |= {"W_hh": 0, "W_xh": 0, "b": 0}
    dh = params["W_hy"].T @ ds
    for t in range(len(X), 0, -1):  # from h_T back to h_1
        dz = dh * (1 - hs[t] ** 2)  # through tanh: tanh' = 1 - tanh^2
        grads["W_hh"] += dz @ hs[t - 1].T  # the same W_hh at every step: a sum
        grads["W_xh"] += dz @ X[t - 1].T
        grads["b"] += dz.sum(axis=1, keepdims=True)
        dh = params["W_hh"].T @ dz  # one step back: one more factor W_hh^T
    return loss, grads


def clip_grad_norm(grads, c):
    """Scale all gradients by one factor so that their joint norm is at most c.
    The rule of torch.nn.utils.clip_grad_norm_ (which divides by the norm + 1e-6).
    Returns the clipped gradients and the norm before clipping."""
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, c / norm)
    return {k: g * scale for k, g in grads.items()}, norm
