import numpy as np

from normalisation.norm import LAYER, normalise

BLOCKS, WIDTH, BATCH_SIZE = 50, 64, 32
rng = np.random.default_rng(4)
X = rng.standard_normal((WIDTH, BATCH_SIZE))  # E[x²] = 1
shape = (BLOCKS, WIDTH, WIDTH)
W1s = rng.standard_normal(shape) * np.sqrt(2 / WIDTH)  # He
W2s = rng.standard_normal(shape) * np.sqrt(1 / WIDTH)  # LeCun, times alpha
ALPHAS = {"1": 1.0, "1/√L": 1 / np.sqrt(BLOCKS), "0": 0.0}  # branch gains
ms = {}  # alpha -> mean square of x after each block, 0..BLOCKS
for name, alpha in ALPHAS.items():
    x, ms[name] = X, [np.mean(X**2)]
    for W1, W2 in zip(W1s, W2s):
        u = normalise(x, LAYER)[0]  # pre-norm: the branch sees x, scale removed
        x = x + alpha * W2 @ np.maximum(W1 @ u, 0)
        ms[name].append(np.mean(x**2))
    ms[name] = np.array(ms[name])
at = (0, 10, 25, 50)
header = [f"block {b}" for b in at] + ["1 + L α²"]
print(f"{'branch gain':>12}" + "".join(f"{h:>10}" for h in header))
for name, alpha in ALPHAS.items():
    cells = [ms[name][b] for b in at] + [1 + BLOCKS * alpha**2]
    print(f"{name:>12}" + "".join(f"{c:10.3g}" for c in cells))
final_1, final_scaled = ms["1"][-1], ms["1/√L"][-1]
