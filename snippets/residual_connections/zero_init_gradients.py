import numpy as np

from residual_connections.resnet import backward, forward, init_net

rng = np.random.default_rng(0)
X, Y = rng.standard_normal((2, 32)), rng.standard_normal((1, 32))
params = init_net(2, 16, 4, 1, 0.0, rng)  # 4 blocks, every W2 = 0 (zero-init)
(S, s), blocks, (H, h) = params
out, cache = forward(params, X)
is_identity = np.array_equal(out, H @ (S @ X + s) + h)  # the blocks pass x through unchanged


def branch_grad_norms(params):
    out, cache = forward(params, X)
    grads = backward(params, cache, 2 * (out - Y) / Y.size)[1]
    return {k: np.array([np.linalg.norm(g[i]) for g in grads]) for i, k in enumerate(("W1", "c1", "W2", "c2"))}


step_0 = branch_grad_norms(params)
for block, grads in zip(blocks, backward(params, cache, 2 * (out - Y) / Y.size)[1]):
    for w, g in zip(block, grads):
        w -= 0.1 * g  # one gradient-descent step: only W2 and c2 move
step_1 = branch_grad_norms(params)
print("identity at step 0:", is_identity)
for name, norms in (("step 0", step_0), ("step 1", step_1)):
    print(name, "  ".join(f"|d{k}| {v.min():.1e}..{v.max():.1e}" for k, v in norms.items()))
