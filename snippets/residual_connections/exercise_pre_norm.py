import numpy as np

from residual_connections.resnet import init_blocks

N, WIDTH = 96, 128  # 96 branches: GPT-2's largest model has 48 blocks of two
rng = np.random.default_rng(0)
x0 = rng.standard_normal((WIDTH, 32))  # E[x²] = 1
final = {}
for name, alpha in (("α = 1", 1.0), ("α = 1/√N", 1 / np.sqrt(N))):
    x = x0
    for W1, _, W2, _ in init_blocks(WIDTH, N, alpha, rng):
        u = x / np.sqrt(np.mean(x**2, axis=0))  # the branch sees x normalised to RMS 1
        x = x + W2 @ np.maximum(W1 @ u, 0)
    final[name] = np.mean(x**2)
    print(f"{name:9} E[x²] after {N} branches: {final[name]:6.2f}  (1 + N α² = {1 + N * alpha**2:.2f})")
alpha1_final, scaled_final = final["α = 1"], final["α = 1/√N"]
