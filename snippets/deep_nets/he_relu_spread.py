import numpy as np

from nets.mlp import forward, init_params

DEPTH, DRAWS = 50, {32: 128, 256: 16}  # width: how many nets to draw
log_ratio = {}  # [draw, l - 1]: ln(‖a[l]‖² / ‖x‖²) for one input x, He + ReLU
for n, draws in DRAWS.items():
    x = np.random.default_rng(0).standard_normal((n, 1))
    log_ratio[n] = np.empty((draws, DEPTH))
    for draw in range(draws):
        rng = np.random.default_rng(draw + 1)
        params = init_params([n] * (DEPTH + 1), "he", rng)
        _, caches = forward(params, x, hidden="relu", output="relu")
        norms2 = np.array([np.sum(c[2] ** 2) for c in caches])  # ‖a[l]‖²
        log_ratio[n][draw] = np.log(norms2 / np.sum(x**2))

median = {n: np.median(r[:, -1]) for n, r in log_ratio.items()}  # at layer L
spread = {n: r[:, -1].std(ddof=1) for n, r in log_ratio.items()}
drift = {n: -5 * DEPTH / (2 * n) for n in DRAWS}  # per layer E[ln r] ≈ -(5/n)/2
wander = {n: np.sqrt(5 * DEPTH / n) for n in DRAWS}  # per layer Var[ln r] ≈ 5/n
print(f"ln(‖a[{DEPTH}]‖² / ‖x‖²), He init + ReLU, one input:")
for n, draws in DRAWS.items():
    print(f"  width {n:3}, {draws:3} nets: median {median[n]:5.2f},"
          f" std {spread[n]:.2f}  (theory {drift[n]:.2f} and {wander[n]:.2f})")
typical_32 = np.exp(median[32] / 2)  # the median net's ‖a[L]‖ / ‖x‖
drift_256, draws_256, draws_32 = drift[256], DRAWS[256], DRAWS[32]
