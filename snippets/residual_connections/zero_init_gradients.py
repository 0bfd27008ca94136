import numpy as np

from residual_connections.resnet import backward, forward, init_net

rng = np.random.default_rng(0)
X, Y = rng.standard_normal((2, 32)), rng.standard_normal((1, 32))
params = init_net(2, 16, 4, 1, 0.0, rng)  # 4 blocks, every W2 = 0 (zero-init)
(S, s), blocks, (H, h) = params
out, cache = forward(params, X)
is_identity = np.array_equal(out, H @ (S @ X + s) + h)  # the blocks pass x through


def branch_grads(params):  # [(dW1, dc1, dW2, dc2) per block] of the mean squared error
    out, cache = forward(params, X)
    return backward(params, cache, 2 * (out - Y) / Y.size)[1]


def norms(grads):  # {name: the norm of that gradient in each block}
    per_block = zip(*grads)  # dW1 of every block, then dc1, ...
    return {k: np.linalg.norm(g, axis=(1, 2)) for k, g in zip(NAMES, per_block)}


NAMES = ("W1", "c1", "W2", "c2")
step_0 = norms(branch_grads(params))
for block, grads in zip(blocks, branch_grads(params)):
    for w, g in zip(block, grads):
        w -= 0.1 * g  # one gradient-descent step on every branch
step_1 = norms(branch_grads(params))
print("identity at step 0:", is_identity)
print("norm of dJ/d·, smallest..largest over the 4 blocks")
print(f"{'':4}{'step 0':>20}{'step 1':>20}")
for k in NAMES:
    cells = [f"{n[k].min():11.1e}..{n[k].max():.1e}" for n in (step_0, step_1)]
    print(f"{k:4}" + "".join(cells))
