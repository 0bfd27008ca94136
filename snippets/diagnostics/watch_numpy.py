import numpy as np

from diagnostics.task import HIDDEN, WIDTH, C, D, X, y
from nets.mlp import backward, forward, init_params

rng = np.random.default_rng(1)
widths = [D] + [WIDTH] * HIDDEN + [C]
params = init_params(widths, "lecun", rng, gain=5 / 3)
x = X.numpy().T.astype(np.float64)  # one example per column
labels = y.numpy()
m = x.shape[1]
# the logits, and caches[l - 1] = (a^[l-1], z^[l], a^[l], activation)
Z_L, caches = forward(params, x, hidden="tanh", output="linear")
P = np.exp(Z_L - Z_L.max(axis=0))
P /= P.sum(axis=0)  # softmax of each column
loss = -np.log(P[labels, np.arange(m)]).mean()  # the mean cross-entropy
# grads[l - 1] = (dL/dW^[l], dL/db^[l], dL/da^[l-1])
grads = backward(params, caches, (P - np.eye(C)[:, labels]) / m)

print(f"loss {loss:.3f}")
print("layer    mean    std saturated   |dL/da|   |dL/dW|")
for l in range(1, HIDDEN + 1):
    a, dW = caches[l - 1][2], grads[l - 1][0]  # a^[l] and dL/dW^[l]
    da = grads[l][2]  # dL/da^[l], passed down by layer l + 1
    mean, std, sat = a.mean(), a.std(ddof=1), np.mean(np.abs(a) > 0.99)
    norms = f"{np.linalg.norm(da):9.2e} {np.linalg.norm(dW):9.2e}"
    print(f"{l:5} {mean:7.3f} {std:6.3f} {sat:9.1%} {norms}")
print(f"{HIDDEN + 1:5} {'':34} {np.linalg.norm(grads[-1][0]):9.2e}")
