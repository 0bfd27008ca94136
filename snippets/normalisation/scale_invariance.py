import numpy as np

from normalisation.norm import BATCH, EPS, backward, forward

DEPTH, WIDTH, BATCH_SIZE = 10, 32, 64
rng = np.random.default_rng(1)
X = rng.standard_normal((WIDTH, BATCH_SIZE))
y = rng.standard_normal((1, BATCH_SIZE))  # random targets
he_std = np.sqrt(2 / WIDTH)
draw = [rng.standard_normal((WIDTH, WIDTH)) * he_std for _ in range(DEPTH)]
head = rng.standard_normal((1, WIDTH)) / np.sqrt(WIDTH)  # output: not scaled


def run(g, eps=EPS):
    """Output and each hidden layer's dJ/dW, every hidden W scaled by g."""
    Ws = [g * W for W in draw] + [head]
    out, caches = forward(Ws, X, BATCH, eps)
    d_out = 2 * (out - y) / BATCH_SIZE  # J = mean squared error
    return out, backward(Ws, caches, d_out)[0][:-1]


GAINS = (0.001, 0.1, 10.0)
out_1, grads_1 = run(1.0)
size = lambda grads: np.array([np.linalg.norm(d) for d in grads])  # noqa: E731
out_change, grad_ratio = {}, {}  # grad_ratio: g |dJ/dW| / (the same at g = 1)
print(f"{'gain g':>7}{'eps/g²':>8}{'max |out change|':>18}", end="")
print("   g |dJ/dW| / (same at 1)")
for g in GAINS:
    out_g, grads_g = run(g)
    out_change[g] = np.max(np.abs(out_g - out_1))
    grad_ratio[g] = g * size(grads_g) / size(grads_1)
    ends = np.sort(grad_ratio[g])[[0, -1]]  # smallest and largest layer
    lo, hi = (f"{v:.5f}" if v > 0.01 else f"{v:.1e}" for v in ends)
    print(f"{g:7g}{EPS / g**2:8.0e}{out_change[g]:18.1e}{lo:>14} to {hi}")
unit = lambda M: M / np.linalg.norm(M, axis=1, keepdims=True)  # noqa: E731
cosines = [np.sum(unit(d) * unit(W), axis=1) for d, W in zip(grads_1, draw)]
largest_cosine = np.max(np.abs(cosines))  # each row of W against its gradient
print(f"largest |cos(dJ/dw, w)|, rows of every W, g = 1: {largest_cosine:.1e}")
change_tiny, change_small, change_large = (out_change[g] for g in GAINS)
small_lo, small_hi = min(grad_ratio[0.1]), max(grad_ratio[0.1])
large_lo, large_hi = min(grad_ratio[10.0]), max(grad_ratio[10.0])
