import numpy as np

from diagnostics.task import HIDDEN, WIDTH, C, D, X, y
from nets.mlp import backward, forward, init_params

rng = np.random.default_rng(1)
params = init_params([D] + [WIDTH] * HIDDEN + [C], "lecun", rng, gain=5 / 3)
x, labels = X.numpy().T.astype(np.float64), y.numpy()  # one example per column
m = x.shape[1]
Z_L, caches = forward(params, x, hidden="tanh", output="linear")  # logits, (a^[l-1], z, a, g)
P = np.exp(Z_L - Z_L.max(axis=0))
P /= P.sum(axis=0)  # softmax of each column
loss = -np.log(P[labels, np.arange(m)]).mean()  # cross-entropy, mean over the batch
grads = backward(params, caches, (P - np.eye(C)[:, labels]) / m)  # (dW, db, dA_prev)

print(f"loss {loss:.3f}\nlayer    mean    std saturated   |dL/da|   |dL/dW|")
for l in range(1, HIDDEN + 1):
    a, dW = caches[l - 1][2], grads[l - 1][0]  # a^[l] and dL/dW^[l]
    da = grads[l][2]  # dL/da^[l], passed down by layer l + 1
    sat = np.mean(np.abs(a) > 0.99)
    print(f"{l:5} {a.mean():7.3f} {a.std(ddof=1):6.3f} {sat:9.1%} {np.linalg.norm(da):9.2e}", end="")
    print(f" {np.linalg.norm(dW):9.2e}")
print(f"{HIDDEN + 1:5} {'':34} {np.linalg.norm(grads[-1][0]):9.2e}")  # no activation
