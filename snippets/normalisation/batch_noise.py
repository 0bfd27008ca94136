import numpy as np

SIZES, DRAWS = (2, 4, 16, 64, 256), 4000
rng = np.random.default_rng(6)
measured, theory = {}, {}  # m -> std of the batch variance of N(0, 1) data
print(f"{'batch size m':>12}{'std of batch var':>18}{'sqrt(2(m-1))/m':>16}")
for m in SIZES:
    z = rng.standard_normal((DRAWS, m))  # one unit's values in DRAWS batches
    measured[m], theory[m] = z.var(axis=1).std(), np.sqrt(2 * (m - 1)) / m
    print(f"{m:12d}{measured[m]:18.3f}{theory[m]:16.3f}")
