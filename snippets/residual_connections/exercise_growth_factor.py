import numpy as np

from residual_connections.resnet import forward_blocks, init_blocks

ALPHA, L, WIDTH = 0.5, 40, 128
growth = (1 + ALPHA**2) ** L  # E[x²] gains a factor 1 + α² per block
rng = np.random.default_rng(0)
x = rng.standard_normal((WIDTH, 32))  # 32 inputs with E[x²] = 1
out, _ = forward_blocks(init_blocks(WIDTH, L, ALPHA, rng), x)
measured = np.mean(out**2) / np.mean(x**2)  # one net of width 128
print(f"(1 + {ALPHA}²)^{L} = {growth:.1f}; one net of width {WIDTH}: {measured:.1f}")
