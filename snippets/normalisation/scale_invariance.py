import numpy as np

from normalisation.norm import BATCH, EPS, backward, forward

DEPTH, WIDTH, BATCH_SIZE = 10, 32, 64
rng = np.random.default_rng(1)
X, y = rng.standard_normal((WIDTH, BATCH_SIZE)), rng.standard_normal((1, BATCH_SIZE))
draw = [rng.standard_normal((WIDTH, WIDTH)) * np.sqrt(2 / WIDTH) for _ in range(DEPTH)]
head = rng.standard_normal((1, WIDTH)) * np.sqrt(1 / WIDTH)  # output layer: not scaled


def run(g, eps=EPS):
    """Output and dJ/dW of each hidden layer with every hidden W scaled by g; J = MSE."""
    Ws = [g * W for W in draw] + [head]
    out, caches = forward(Ws, X, BATCH, eps)
    return out, backward(Ws, caches, 2 * (out - y) / BATCH_SIZE)[0][:-1]


GAINS = (0.001, 0.1, 10.0)
out_1, grads_1 = run(1.0)
norms_1 = np.array([np.linalg.norm(d) for d in grads_1])
out_change, grad_ratio = {}, {}  # grad_ratio: g |dJ/dW| / |dJ/dW at g = 1|, per layer
print(f"{'gain g':>7}{'eps/g²':>8}{'max |out change|':>18}{'g |dJ/dW| / (same at g=1)':>28}")
for g in GAINS:
    out_g, grads_g = run(g)
    out_change[g] = np.max(np.abs(out_g - out_1))
    grad_ratio[g] = g * np.array([np.linalg.norm(d) for d in grads_g]) / norms_1
    lo, hi = (f"{v:.5f}" if v > 0.01 else f"{v:.1e}" for v in (f(grad_ratio[g]) for f in (min, max)))
    print(f"{g:7g}{EPS / g**2:8.0e}{out_change[g]:18.1e}{lo:>16} to {hi}")
unit = lambda M: M / np.linalg.norm(M, axis=1, keepdims=True)  # noqa: E731 (rows of length 1)
cosines = [np.sum(unit(d) * unit(W), axis=1) for d, W in zip(grads_1, draw)]
largest_cosine = np.max(np.abs(cosines))  # between each row of W and its gradient
print(f"largest |cos(dJ/dw, w)| over the rows of every W at g = 1: {largest_cosine:.1e}")
change_tiny, change_small, change_large = (out_change[g] for g in GAINS)
small_lo, small_hi, large_lo, large_hi = (f(grad_ratio[g]) for g in GAINS[1:] for f in (min, max))
