import numpy as np

from nets.mlp import backward, forward, init_params
from residual_connections.resnet import backward_blocks, forward_blocks, init_blocks

WIDTH, LAYERS, BATCH = 128, 150, 8
BLOCKS = LAYERS // 2  # two weight layers per residual block
rng = np.random.default_rng(0)
x = rng.standard_normal((WIDTH, BATCH))  # inputs with E[x²] = 1, one per column
g = rng.standard_normal((WIDTH, BATCH))  # injected dJ/d(output), E[g²] = 1
ms = lambda a: np.mean(a**2, axis=0)  # mean square of each column  # noqa: E731

plain = init_params([WIDTH] * (LAYERS + 1), "he", rng)  # 150 ReLU layers, He
_, caches = forward(plain, x, hidden="relu", output="relu")
grads = backward(plain, caches, g * (caches[-1][1] > 0))
fwd = {"plain, He": np.array([ms(x)] + [ms(c[2]) for c in caches])}  # [layer, input]
bwd = {"plain, He": np.array([ms(d[2]) for d in grads] + [ms(g)])}
alphas = {"α = 1": 1.0, "α = 1/√L": 1 / np.sqrt(BLOCKS), "zero-init (α = 0)": 0.0}
draw = init_blocks(WIDTH, BLOCKS, 1.0, np.random.default_rng(1))  # one draw for every α
for name, alpha in alphas.items():
    blocks = [(W1, c1, alpha * W2, c2) for W1, c1, W2, c2 in draw]  # W2 with gain α
    out, caches = forward_blocks(blocks, x)
    fwd[name] = np.array([ms(c[0]) for c in caches] + [ms(out)])  # [block, input]
    bwd[name] = np.array([ms(d) for d in backward_blocks(blocks, caches, g)[1]])

rms = {k: np.sqrt(v.mean(axis=1)) for k, v in fwd.items()}  # over the batch
grad_rms = {k: np.sqrt(v.mean(axis=1)) for k, v in bwd.items()}
print(f"{'':17}{'RMS of x':>22}{'RMS of dJ/dx':>32}")
print(f"{'layer':17}" + "".join(f"{l:>8}" for l in (0, 50, 100, 150)) * 2)
for k in fwd:
    at = [0, 50, 100, 150] if k.startswith("plain") else [0, 25, 50, 75]  # layer 2b
    cells = [f"{rms[k][i]:8.2g}" for i in at] + [f"{grad_rms[k][i]:8.2g}" for i in at]
    print(f"{k:17}" + "".join(cells))
names = ("plain, He", "α = 1", "α = 1/√L")
plain_top, alpha1_top, scaled_top = (rms[k][-1] for k in names)  # forward, at the top
plain_grad_in, alpha1_grad_in, scaled_grad_in = (grad_rms[k][0] for k in names)  # input
