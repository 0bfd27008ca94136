import numpy as np

from initialisation_variants.init_schemes import glorot_normal

rng = np.random.default_rng(6)
n, depth, batch = 500, 100, 32
gains = {"1": 1.0, "5/3": 5 / 3, "2": 2.0}
x = rng.standard_normal((batch, n))  # E[x²] = 1
Ws = [glorot_normal((n, n), rng) for _ in range(depth)]  # square: Var(w) = 1/n
grad_out = rng.standard_normal((batch, n))  # dL/da^[100], E[·²] = 1

stds, grad_rms = {}, {}  # per layer: std of a^[l], RMS of dL/da^[l-1]
for k, gain in gains.items():  # every gain uses the same draws
    a, slopes, stds[k] = x, [], []
    for W in Ws:  # forward: a ← tanh(gain·W a)
        a = np.tanh(a @ (gain * W).T)
        slopes.append(1 - a**2)  # tanh′(h) = 1 - tanh(h)²
        stds[k].append(a.std())
    d, grad_rms[k] = grad_out, []
    for W, slope in zip(Ws[::-1], slopes[::-1]):  # backward, last layer first
        d = (slope * d) @ (gain * W)  # gain·Wᵀ(tanh′ ⊙ d)
        grad_rms[k].append(np.sqrt(np.mean(d**2)))
    stds[k], grad_rms[k] = np.array(stds[k]), np.array(grad_rms[k][::-1])

# RMS of dL/dx over RMS of dL/da^[100], and its 100th root
grad_growth = {k: grad_rms[k][0] / np.sqrt(np.mean(grad_out**2)) for k in gains}
print("gain   std a^[20]  std a^[100]   RMS dL/dx   per layer")
for k in gains:
    print(f"{k:>4} {stds[k][19]:11.3f} {stds[k][99]:12.3f}"
          f" {grad_growth[k]:11.3g} {grad_growth[k] ** (1 / depth):11.3f}")
std_53_at_20, std_53_at_100 = stds["5/3"][19], stds["5/3"][99]
std_1_at_20, std_1_at_100 = stds["1"][19], stds["1"][99]
grad_growth_53, grad_growth_2 = grad_growth["5/3"], grad_growth["2"]
