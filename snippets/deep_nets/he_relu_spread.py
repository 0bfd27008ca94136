import numpy as np

from nets.mlp import forward, init_params

DEPTH, DRAWS = 50, {32: 128, 256: 16}  # width: how many nets to draw
log_ratio = {}  # [draw, layer l - 1]: ln(‖a[l]‖² / ‖x‖²) for one input x, He init + ReLU
for n, draws in DRAWS.items():
    x = np.random.default_rng(0).standard_normal((n, 1))
    log_ratio[n] = np.empty((draws, DEPTH))
    for draw in range(draws):
        params = init_params([n] * (DEPTH + 1), "he", np.random.default_rng(draw + 1))
        _, caches = forward(params, x, hidden="relu", output="relu")
        log_ratio[n][draw] = [np.log(np.sum(c[2] ** 2) / np.sum(x**2)) for c in caches]

median = {n: np.median(r[:, -1]) for n, r in log_ratio.items()}  # at layer L
spread = {n: r[:, -1].std(ddof=1) for n, r in log_ratio.items()}
drift = {n: -5 * DEPTH / (2 * n) for n in DRAWS}  # per layer E[ln ratio] ≈ -(5/n)/2
wander = {n: np.sqrt(5 * DEPTH / n) for n in DRAWS}  # per layer Var[ln ratio] ≈ 5/n
print(f"ln(‖a[{DEPTH}]‖² / ‖x‖²), He init + ReLU, one input:")
for n, draws in DRAWS.items():
    print(f"  width {n:3}, {draws:3} nets: median {median[n]:5.2f} (drift -5L/(2n) ="
          f" {drift[n]:5.2f}), std {spread[n]:.2f} (√(5L/n) = {wander[n]:.2f})")
typical_32 = np.exp(median[32] / 2)  # the median net's ‖a[L]‖ / ‖x‖
draws_256 = DRAWS[256]
