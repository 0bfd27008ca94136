import numpy as np

from nets.mlp import forward, init_params

WIDTH, DEPTH, SEEDS = 256, 50, 16
X = np.random.default_rng(1).standard_normal((WIDTH, 16))  # E[x²] = 1

log_q = []  # per seed: ln E[a²] at layers 1..L, He init + ReLU
for seed in range(SEEDS):
    params = init_params([WIDTH] * (DEPTH + 1), "he", np.random.default_rng(seed))
    _, caches = forward(params, X, hidden="relu", output="relu")
    log_q.append([np.log(np.mean(c[2] ** 2)) for c in caches])
log_q = np.array(log_q)

q50_min, q50_max = np.exp(log_q[:, -1].min()), np.exp(log_q[:, -1].max())
spread_measured = log_q[:, -1].std(ddof=1)  # across seeds, at layer L
spread_predicted = np.sqrt(5 * DEPTH / WIDTH)  # each layer: relative variance 5/n
print(f"E[a²] at layer {DEPTH} over {SEEDS} seeds:"
      f" from {q50_min:.3g} to {q50_max:.3g}")
print(f"std of ln E[a²] at layer {DEPTH}: {spread_measured:.2f}"
      f"  (prediction √(5L/n) = {spread_predicted:.2f})")
