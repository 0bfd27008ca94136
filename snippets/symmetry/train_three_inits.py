import numpy as np

from labs.circles import make_circles
from nets.mlp import backward, forward, init_params, loss_and_grad, stack_params

DIMS, STEPS, LR, C = [2, 10, 5, 1], 1500, 0.12, 0.5
rng = np.random.default_rng(0)
X, Y = make_circles(300, noise=0.05, rng=rng)  # the course's two circles, (2, 300)
inits = {
    "zeros": init_params(DIMS, "zeros", rng),
    f"constant {C}": init_params(DIMS, "zeros", rng),
    "random (LeCun)": init_params(DIMS, "lecun", rng),
}
for W, b in inits[f"constant {C}"]:
    W[...] = C  # every weight C, every bias 0
params = stack_params(inits.values())  # the three networks trained side by side
loss, spread = [], []
for step in range(STEPS):
    _, caches = forward(params, X, hidden="tanh", output="sigmoid")
    J, dZ = loss_and_grad(caches, Y, "bce")
    loss.append(J)  # loss before this step, one per network
    spread.append(np.ptp(params[0][0], axis=-2).max(axis=-1))  # max_ij |W1[i] - W1[j]|
    for (W, b), (dW, db, _) in zip(params, backward(params, caches, dZ)):
        W -= LR * dW
        b -= LR * db
loss, spread = np.array(loss), np.array(spread)  # (STEPS, 3)
loss_end_zeros, loss_end_constant, loss_end_random = loss[-1]
loss_start_constant, max_spread_constant = loss[0, 1], spread[:, 1].max()
svs = [np.linalg.svd(W, compute_uv=False) for W, _ in params[:2]]  # W1, W2
rank = np.array([(s > 1e-6 * s[:, :1]).sum(axis=-1) for s in svs]).T  # (3 nets, 2)
print(f"{'':16}{'loss start':>11}{'loss end':>10}{'W1 row spread':>15}", end="")
print(f"{'rank W1':>9}{'rank W2':>9}")
for k, name in enumerate(inits):
    print(f"{name:16}{loss[0, k]:11.4f}{loss[-1, k]:10.4f}", end="")
    print(f"{spread[-1, k]:15.3g}{rank[k, 0]:9}{rank[k, 1]:9}")
