import numpy as np

rng = np.random.default_rng(13)
n, depth, batch = 256, 50, 32
x = rng.standard_normal((batch, n))  # E[x²] = 1
v = rng.standard_normal((batch, n))  # a nudge to each input, E[v²] = 1
b = 1 / np.sqrt(n)  # nn.Linear default: weight AND bias U(-b, b)


def run(weight_bound):
    """`depth` ReLU layers: RMS of a and of its nudge t after each."""
    a, t, rms, rms_nudge = x, v, [], []
    for _ in range(depth):
        W = rng.uniform(-weight_bound, weight_bound, size=(n, n))
        z = a @ W.T + rng.uniform(-b, b, size=n)
        # the bias does not move with the input: it drops out of the nudge
        a, t = np.maximum(z, 0), (z > 0) * (t @ W.T)
        rms.append(np.sqrt(np.mean(a**2)))
        rms_nudge.append(np.sqrt(np.mean(t**2)))
    return np.array(rms), np.array(rms_nudge)


rms_default, nudge_default = run(b)  # Var(w) = b²/3 = 1/(3n)
rms_kaiming, nudge_kaiming = run(np.sqrt(6 / n))  # nonlinearity="relu"
floor = np.sqrt(1 / (5 * n))  # fixed point of E[a²] ← E[a²]/6 + 1/(6n)
nudge_theory = (1 / 6) ** (depth / 2)  # E[t²] × (1/3)·(1/2) per layer
print("        default U(±1/√n)     kaiming_uniform_ (ReLU)")
print("layer   RMS a   RMS nudge    RMS a   RMS nudge")
for i in (1, 2, 5, 10, 20, 50):
    print(f"{i:5d} {rms_default[i - 1]:7.3f} {nudge_default[i - 1]:11.3g}"
          f" {rms_kaiming[i - 1]:8.3f} {nudge_kaiming[i - 1]:11.3g}")
print(f"theory: RMS a → 1/√(5n) = {floor:.4f}, nudge 6^-25 = {nudge_theory:.3g}")
rms_default_50, nudge_default_50 = rms_default[-1], nudge_default[-1]
rms_kaiming_50, nudge_kaiming_50 = rms_kaiming[-1], nudge_kaiming[-1]
