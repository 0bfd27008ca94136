import numpy as np

from nets.mlp import backward, forward, init_params
from residual_connections.resnet import backward_blocks, forward_blocks, init_blocks

WIDTH, LAYERS, BATCH = 128, 150, 8
BLOCKS = LAYERS // 2  # two weight layers per residual block
rng = np.random.default_rng(0)
x = rng.standard_normal((WIDTH, BATCH))  # inputs with E[x²] = 1, one per column
g = rng.standard_normal((WIDTH, BATCH))  # injected dJ/d(output), E[g²] = 1
ms = lambda a: np.mean(a**2, axis=0)  # mean square over units, one per input  # noqa: E731

plain = init_params([WIDTH] * (LAYERS + 1), "he", rng)  # 150 ReLU layers, He
_, caches = forward(plain, x, hidden="relu", output="relu")
grads = backward(plain, caches, g * (caches[-1][1] > 0))
fwd = {"plain, He": np.array([ms(x)] + [ms(c[2]) for c in caches])}  # [layer, input]
bwd = {"plain, He": np.array([ms(d[2]) for d in grads] + [ms(g)])}
alphas = {"α = 1": 1.0, "α = 1/√L": 1 / np.sqrt(BLOCKS), "zero-init (α = 0)": 0.0}
for name, alpha in alphas.items():
    blocks = init_blocks(WIDTH, BLOCKS, alpha, np.random.default_rng(1))  # same W1 for every α
    out, caches = forward_blocks(blocks, x)
    fwd[name] = np.array([ms(c[0]) for c in caches] + [ms(out)])  # [block, input]
    bwd[name] = np.array([ms(d) for d in backward_blocks(blocks, caches, g)[1]])

rms = {k: np.sqrt(v.mean(axis=1)) for k, v in fwd.items()}  # RMS over the batch, per layer/block
grad_rms = {k: np.sqrt(v.mean(axis=1)) for k, v in bwd.items()}
print(f"{'':18} {'RMS of x':>24} {'RMS of dJ/dx':>24}")
print(f"{'layer':18}" + "".join(f"{l:>8}" for l in (0, 50, 100, 150)) * 2)
for k in fwd:
    at = [0, 50, 100, 150] if k.startswith("plain") else [0, 25, 50, 75]  # block b = layer 2b
    print(f"{k:18}" + "".join(f"{rms[k][i]:8.2g}" for i in at) + "".join(f"{grad_rms[k][i]:8.2g}" for i in at))
plain_top, alpha1_top, scaled_top = rms["plain, He"][-1], rms["α = 1"][-1], rms["α = 1/√L"][-1]
plain_grad_in, alpha1_grad_in, scaled_grad_in = (grad_rms[k][0] for k in ("plain, He", "α = 1", "α = 1/√L"))
