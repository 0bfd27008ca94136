import numpy as np

from nets.mlp import backward, forward, init_params

WIDTH, DEPTH = 256, 50
GAIN = 5 / 3  # PyTorch's nn.init.calculate_gain("tanh"): std = GAIN · √(1/n)
# the table's input, injected gradient and LeCun draw (same seeds), times GAIN
X = np.random.default_rng(1).standard_normal((WIDTH, 64))
dZ_L = np.random.default_rng(2).standard_normal((WIDTH, 64))
lecun = init_params([WIDTH] * (DEPTH + 1), "lecun", np.random.default_rng(0))
params = [(GAIN * W, b) for W, b in lecun]
_, caches = forward(params, X, hidden="tanh", output="tanh")
dA = [g[2] for g in backward(params, caches, dZ_L)]  # dJ/dA[l], l = 0..49
rms_50 = np.sqrt(np.mean(caches[-1][2] ** 2))  # RMS of A[50]
grad_growth = np.sqrt(np.mean(dA[0] ** 2) / np.mean(dA[-1] ** 2))  # 49 -> 0

# Infinite width: z ~ N(0, v), and v <- GAIN² E[tanh(z)²] settles at v*; there
# each layer multiplies the mean squared gradient by chi = GAIN² E[tanh'(z)²]
xi, w = np.polynomial.hermite_e.hermegauss(100)
w = w / w.sum()  # E[f(ξ)] ≈ Σ w·f(xi) for ξ ~ N(0, 1)
v = 1.0
for _ in range(200):
    v = GAIN**2 * np.sum(w * np.tanh(np.sqrt(v) * xi) ** 2)
rms_star = np.sqrt(v) / GAIN  # RMS of tanh(z) at v*
chi = GAIN**2 * np.sum(w * (1 - np.tanh(np.sqrt(v) * xi) ** 2) ** 2)
sqrt_chi, growth_100 = np.sqrt(chi), np.sqrt(chi) ** 100  # RMS: 1 layer, 100

print(f"RMS of A[{DEPTH}]: {rms_50:.3f}  (fixed point: {rms_star:.3f})")
print(f"gradient RMS, layer {DEPTH - 1} down to 0: x{grad_growth:.3g}")
print(f"  (fixed point: x{sqrt_chi:.3f} per layer, x{sqrt_chi**49:.3g} in 49)")
