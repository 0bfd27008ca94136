import numpy as np

rng = np.random.default_rng(13)
n, depth, batch = 256, 50, 32
x = rng.standard_normal((batch, n))  # E[x²] = 1


def final_rms(bound):
    """RMS after `depth` ReLU layers with weights U(-bound, bound)."""
    a = x
    for _ in range(depth):
        a = np.maximum(a @ rng.uniform(-bound, bound, size=(n, n)).T, 0)
    return np.sqrt(np.mean(a**2))


rms_default = final_rms(1 / np.sqrt(n))  # nn.Linear default: Var = 1/(3n)
rms_kaiming = final_rms(np.sqrt(6 / n))  # nonlinearity="relu": Var = 2/n
theory_default = (1 / 6) ** (depth / 2)  # E[a²] × (1/3)/2 per layer
print(f"default U(±1/√n): RMS = {rms_default:.3g}   (6^-25 = {theory_default:.3g})")
print(f"kaiming_uniform_: RMS = {rms_kaiming:.3g}   (theory 1)")
