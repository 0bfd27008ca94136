import numpy as np

from normalisation.norm import BATCH, backward, forward

DEPTH, WIDTH, STEPS, LR = 3, 16, 100, 0.05
rng = np.random.default_rng(5)
X = rng.uniform(-1, 1, (2, 64))
y = np.sin(3 * X[:1]) * np.cos(3 * X[1:])
dims = [2] + [WIDTH] * DEPTH + [1]
losses, gaps = {}, {}  # start -> loss at each step, largest gap between two rows of each W[l]
for name, value in {"zeros": 0.0, "all 0.5": 0.5}.items():
    Ws, losses[name] = [np.full((n_out, n_in), value) for n_in, n_out in zip(dims, dims[1:])], []
    for _ in range(STEPS + 1):
        out, caches = forward(Ws, X, BATCH)
        losses[name].append(np.mean((out - y) ** 2))
        for W, dW in zip(Ws, backward(Ws, caches, 2 * (out - y) / X.shape[1])[0]):
            W -= LR * dW
    gaps[name] = [np.ptp(W, axis=0).max() for W in Ws[:-1]]
mean_y2, largest_gap = np.mean(y**2), max(max(g) for g in gaps.values())
print(f"{'':9}{'loss at step':^20}   largest gap between two rows")
print(f"{'start':>9}{0:>10}{STEPS:>10}   " + "".join(f"{f'W[{l}]':>9}" for l in (1, 2, 3)))
for name in losses:
    gap_text = "".join(f"{g:9.1e}" for g in gaps[name])
    print(f"{name:>9}{losses[name][0]:10.4f}{losses[name][-1]:10.4f}   {gap_text}")
