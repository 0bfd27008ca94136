import numpy as np

from nets.mlp import backward, forward, init_params

WIDTH, DEPTH, GAIN = 256, 50, 5 / 3  # GAIN: PyTorch's nn.init.calculate_gain("tanh")
X = np.random.default_rng(1).standard_normal((WIDTH, 128))  # the table's input,
dZ_L = np.random.default_rng(2).standard_normal((WIDTH, 128))  # injected gradient
params = init_params([WIDTH] * (DEPTH + 1), "lecun", np.random.default_rng(0))  # and draw
params = [(GAIN * W, b) for W, b in params]  # std = GAIN · √(1/n)
_, caches = forward(params, X, hidden="tanh", output="tanh")
grads = backward(params, caches, dZ_L)
rms_50 = np.sqrt(np.mean(caches[-1][2] ** 2))  # RMS of A[50]
grad_growth = np.sqrt(np.mean(grads[0][2] ** 2) / np.mean(grads[-1][2] ** 2))  # dJ/dA[0] vs [49]

# Infinite width: z ~ N(0, v) with v <- GAIN² E[tanh(z)²] settles at a fixed point v*;
# there each layer multiplies the mean squared gradient by chi = GAIN² E[tanh'(z)²].
xi, w = np.polynomial.hermite_e.hermegauss(100)
w = w / w.sum()  # E[f(ξ)] ≈ Σ w·f(xi) for ξ ~ N(0, 1)
v = 1.0
for _ in range(200):
    v = GAIN**2 * np.sum(w * np.tanh(np.sqrt(v) * xi) ** 2)
rms_star = np.sqrt(v) / GAIN  # RMS of tanh(z) at v*
chi = GAIN**2 * np.sum(w * (1 - np.tanh(np.sqrt(v) * xi) ** 2) ** 2)
sqrt_chi, growth_100 = np.sqrt(chi), np.sqrt(chi) ** 100  # in RMS: per layer, over 100

print(f"RMS of A[{DEPTH}]: {rms_50:.3f}  (fixed point: {rms_star:.3f})")
print(f"gradient RMS from layer {DEPTH - 1} down to 0: x{grad_growth:.3g}"
      f"  (fixed point: x{sqrt_chi:.3f} per layer, x{sqrt_chi ** (DEPTH - 1):.3g} over {DEPTH - 1})")
