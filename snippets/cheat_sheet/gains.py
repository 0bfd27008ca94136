import numpy as np

rng = np.random.default_rng(21)
z = rng.standard_normal(1_000_000)  # unit-variance pre-activations
activations = {
    # name: (φ(z), PyTorch's calculate_gain)
    "linear": (z, 1.0),
    "relu": (np.maximum(z, 0), np.sqrt(2)),
    "leaky_relu a=0.01": (np.where(z > 0, z, 0.01 * z), np.sqrt(2 / (1 + 0.01**2))),
    "tanh": (np.tanh(z), 5 / 3),
}
gain_from_moment = {
    k: 1 / np.sqrt(np.mean(phi**2)) for k, (phi, _) in activations.items()
}
print(f"{'activation':18} {'1/√E[φ(z)²]':>12} {'PyTorch gain':>13}")
for k, (_, torch_gain) in activations.items():
    print(f"{k:18} {gain_from_moment[k]:12.4f} {torch_gain:13.4f}")
