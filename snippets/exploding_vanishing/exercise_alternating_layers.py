import numpy as np

L = 30
h = np.array([1.0, 1.0])              # X = [1, 1]
for l in range(1, L + 1):
    a = 1.5 if l % 2 == 1 else 0.5    # odd layers 1.5*I, even layers 0.5*I
    h = (a * np.eye(2)) @ h

y = h[0]
mean_scale = (1.5 + 0.5) / 2          # arithmetic mean: exactly 1
per_layer = np.sqrt(1.5 * 0.5)        # geometric mean: factor per layer
print(f"after {L} layers: y = {y:.6g}")
print(f"0.75^{L // 2} = {0.75 ** (L // 2):.6g}")
print(f"mean scale {mean_scale}, factor per layer {per_layer:.4f}")
