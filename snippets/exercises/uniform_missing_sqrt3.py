import numpy as np

rng = np.random.default_rng(11)
n, depth, batch = 256, 50, 32
x = rng.standard_normal((batch, n))  # E[x²] = 1


def final_rms(bound):
    """RMS after `depth` ReLU layers with weights U(-bound, bound)."""
    a = x
    for _ in range(depth):
        a = np.maximum(a @ rng.uniform(-bound, bound, size=(n, n)).T, 0)
    return np.sqrt(np.mean(a**2))


rms_bug = final_rms(np.sqrt(2 / n))  # the bug: Var(w) = (2/n)/3
rms_fix = final_rms(np.sqrt(6 / n))  # He uniform: √3 · √(2/n)
theory_bug = (1 / 3) ** (depth / 2)  # E[a²] × (2/3)/2 = 1/3 per layer
print(f"missing √3: RMS = {rms_bug:.3g}   (theory 3^-25 = {theory_bug:.3g})")
print(f"He uniform: RMS = {rms_fix:.3g}   (theory 1)")
