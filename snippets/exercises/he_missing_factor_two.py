import numpy as np

rng = np.random.default_rng(10)
n, depth, batch = 256, 50, 32
x = rng.standard_normal((batch, n))  # E[x²] = 1


def final_rms(std):
    """RMS after `depth` ReLU layers with weights N(0, std²)."""
    a = x
    for _ in range(depth):
        a = np.maximum(a @ (rng.standard_normal((n, n)) * std).T, 0)
    return np.sqrt(np.mean(a**2))


rms_bug = final_rms(np.sqrt(1 / n))  # the bug: Var(w) = 1/n in a ReLU net
rms_fix = final_rms(np.sqrt(2 / n))  # He: Var(w) = 2/n
theory_bug = 0.5 ** (depth / 2)      # E[a²] halves at every layer
print(f"missing 2: RMS = {rms_bug:.3g}   (theory 2^-25 = {theory_bug:.3g})")
print(f"He       : RMS = {rms_fix:.3g}   (theory 1)")
