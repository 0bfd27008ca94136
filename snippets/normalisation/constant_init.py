import numpy as np

from normalisation.norm import BATCH, backward, forward

DEPTH, WIDTH, STEPS, LR = 3, 16, 100, 0.05
rng = np.random.default_rng(5)
X = rng.uniform(-1, 1, (2, 64))
y = np.sin(3 * X[:1]) * np.cos(3 * X[1:])
dims = [2] + [WIDTH] * DEPTH + [1]
losses, gaps = {}, {}  # start -> loss per step; largest gap between two rows
for name, value in {"zeros": 0.0, "all 0.5": 0.5}.items():
    Ws = [np.full((o, i), value) for i, o in zip(dims, dims[1:])]
    losses[name] = []
    for _ in range(STEPS + 1):
        out, caches = forward(Ws, X, BATCH)
        losses[name].append(np.mean((out - y) ** 2))
        dWs = backward(Ws, caches, 2 * (out - y) / X.shape[1])[0]
        for W, dW in zip(Ws, dWs):
            W -= LR * dW
    gaps[name] = [np.ptp(W, axis=0).max() for W in Ws[:-1]]
mean_y2, largest_gap = np.mean(y**2), max(max(g) for g in gaps.values())
print(f"{'':9}{'loss at step':^20}   largest gap between two rows")
print(f"{'start':>9}{0:>10}{STEPS:>10}   " + "     W[1]     W[2]     W[3]")
for name in losses:
    gap_text = "".join(f"{g:9.1e}" for g in gaps[name])
    start, end = losses[name][0], losses[name][-1]
    print(f"{name:>9}{start:10.4f}{end:10.4f}   {gap_text}")
